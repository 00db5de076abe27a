"""The map-pin panel in the listing editor: click/drag fills 緯度・経度, typing moves the pin.

Owned by the admin/membership work (static/js/map-pin.js); it lives here to share the
session's Chromium with the other browser tests.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.browser.conftest import live_server_context
from tests.factories.directory import (
    AreaFactory,
    EditorFactory,
    MemberFactory,
    MunicipalityFactory,
    PlacePageFactory,
)

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def place_tab(chromium, live_server):
    """Open a listing's 場所 tab as a new editor of its member: place_tab(listing, username)."""
    contexts = []

    def open_tab(listing, username: str):
        EditorFactory(member=listing.get_parent().specific.member, username=username)
        context = live_server_context(chromium, live_server, DESKTOP)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}{reverse('wagtailadmin_login')}")
        page.fill('input[name="username"]', username)
        page.fill('input[name="password"]', "pw")
        page.click('button[type="submit"]')
        page.goto(f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=[listing.pk])}")
        page.get_by_role("tab", name="場所").click()
        page.locator(".tsunagari-map-pin__map").wait_for(state="visible")
        return page

    yield open_tab
    for context in contexts:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_clicking_the_map_fills_inputs_and_typing_moves_the_pin(place_tab):
    listing = PlacePageFactory(
        member=MemberFactory(), lat=Decimal("35.700000"), lng=Decimal("139.700000")
    )
    page = place_tab(listing, "pin-editor")
    map_element = page.locator(".tsunagari-map-pin__map")
    assert "地理院タイル" in page.locator(".leaflet-control-attribution").inner_text()

    lat, lng = page.locator('input[name="lat"]'), page.locator('input[name="lng"]')
    assert (lat.input_value(), lng.input_value()) == ("35.700000", "139.700000")
    box = map_element.bounding_box()
    map_element.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
    clicked_lat, clicked_lng = float(lat.input_value()), float(lng.input_value())
    assert clicked_lat > 35.7 and clicked_lng > 139.7  # north-east of the centre

    marker = page.locator(".leaflet-marker-icon")
    clicked, box = marker.bounding_box(), map_element.bounding_box()  # clicking scrolled
    assert abs(clicked["x"] + clicked["width"] / 2 - (box["x"] + box["width"] * 0.75)) < 2
    lat.fill("35.690000")  # outside the view: the map follows the pin
    lat.dispatch_event("change")
    page.wait_for_timeout(800)  # Leaflet's pan animation
    moved, box = marker.bounding_box(), map_element.bounding_box()
    assert abs(moved["x"] + moved["width"] / 2 - (box["x"] + box["width"] / 2)) < 2
    assert abs(moved["y"] + moved["height"] - (box["y"] + box["height"] / 2)) < 2


@pytest.mark.django_db(transaction=True)
def test_the_map_opens_on_the_pf_and_follows_the_chosen_area_until_pinned(place_tab):
    """Issue 15: the map opened on Tokyo Station and did not recentre on the chosen 地域."""
    town = MunicipalityFactory(
        centroid_lat=Decimal("35.800000"), centroid_lng=Decimal("139.400000")
    )
    district = AreaFactory(
        parent=town, centroid_lat=Decimal("35.900000"), centroid_lng=Decimal("139.500000")
    )
    page = place_tab(PlacePageFactory(member=MemberFactory(), lat=None, lng=None), "centre-editor")

    def pin_at_map_centre() -> tuple[float, float]:
        map_element = page.locator(".tsunagari-map-pin__map")
        box = map_element.bounding_box()
        map_element.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
        lat, lng = page.locator('input[name="lat"]'), page.locator('input[name="lng"]')
        return float(lat.input_value()), float(lng.input_value())

    lat, lng = pin_at_map_centre()
    assert abs(lat - 35.8) < 0.005 and abs(lng - 139.4) < 0.005  # the PF, not Tokyo

    page.get_by_role("button", name="ピンを外す（緯度・経度を空にする）").click()
    page.evaluate(  # what Wagtail's 地域 chooser does when an area is chosen
        """(pk) => { const input = document.querySelector('[name="area"]');
            input.setAttribute('value', pk);
            input.dispatchEvent(new Event('change', {bubbles: true})); }""",
        str(district.pk),
    )
    lat, lng = pin_at_map_centre()
    assert abs(lat - 35.9) < 0.002 and abs(lng - 139.5) < 0.002
