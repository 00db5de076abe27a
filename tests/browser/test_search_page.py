"""/search/ on a phone (issue 12): results within the first screen, a short keyboard path,
filters and sort without JavaScript, list ↔ map and 近くをさがす (axe-core: test_axe_sweep.py)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import live_server_context, screenshot
from tests.factories.directory import AreaFactory, PlacePageFactory, ServicePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
CATEGORIES = ["kodomo-shokudo", "salon", "consultation", "community-cafe"]
CONDITIONS = ["free", "no-reservation", "solo-ok", "wheelchair", "online"]


@pytest.fixture
def listings(settings):
    """Enough listings that every filter group has many options (the old page's worst case)."""
    from search.documents import live_documents
    from search.engines.embedded import EmbeddedEngine

    settings.SEARCH_BACKEND = "embedded"
    areas = [AreaFactory(name=f"第{i}小学校区") for i in range(1, 6)]
    for i in range(24):
        PlacePageFactory(
            title=f"まちの食堂{i:02d}",
            area=areas[i % 5],
            categories=[CATEGORIES[i % 4], "kodomo-shokudo"],
            conditions=CONDITIONS[: i % 5 + 1],
            lat=Decimal("35.70") + Decimal(i) / 100,
            lng=Decimal("139.70") + Decimal(i) / 100,
        )
    ServicePageFactory(
        title="オンライン食堂相談",
        categories=["kodomo-shokudo"],
        location_mode="online",
        address="",
        lat=None,
        lng=None,
        online_available=True,
        conditions=["online"],
    )
    PlacePageFactory(title="ひとつだけの居場所", lat=Decimal("35.2"), lng=Decimal("139.2"))
    engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    engine.clear()
    engine.index(live_documents())


@pytest.fixture
def phone390(chromium, live_server):
    context = live_server_context(chromium, live_server, PHONE)
    yield context.new_page()
    context.close()


def first_result_top(page) -> float:
    card = page.locator(".search-results__list .card").first
    expect(card).to_be_visible()
    return card.bounding_box()["y"]


def test_first_result_within_the_first_screen_after_a_keyword_search(
    phone390, live_server, listings
):
    phone390.goto(live_server.url + "/search/")
    phone390.fill("#id_q", "食堂")
    phone390.press("#id_q", "Enter")
    phone390.wait_for_url(re.compile(r"q=%E9%A3%9F%E5%A0%82"))
    assert first_result_top(phone390) <= PHONE["height"]
    screenshot(phone390, "search-390-keyword")


def test_first_result_within_the_first_screen_after_a_home_quick_link(
    phone390, live_server, listings
):
    phone390.goto(live_server.url + "/")
    phone390.locator(".quick-links a").first.click()
    phone390.wait_for_url(re.compile(r"/search/\?category=kodomo-shokudo"))
    assert first_result_top(phone390) <= PHONE["height"]
    screenshot(phone390, "search-390-quick-link")


def test_keyboard_from_the_search_box_to_the_first_result_in_few_tabs(
    phone390, live_server, listings
):
    phone390.goto(live_server.url + "/search/?q=食堂&condition=free")
    phone390.focus("#id_q")
    first = phone390.locator(".search-results__list .card__title a").first
    tabs = 0
    while not first.evaluate("link => link === document.activeElement"):
        assert tabs < 8, "the first result is reached in at most 8 Tabs from the search box"
        phone390.keyboard.press("Tab")
        tabs += 1
    phone390.keyboard.press("Enter")
    expect(phone390.locator("h1")).to_contain_text("まちの食堂")


def test_filters_and_sort_work_without_javascript(chromium, live_server, listings):
    context = chromium.new_context(viewport=PHONE, locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=食堂")
    expect(page.locator(".search-status")).to_contain_text("25件")
    page.locator("#filters > summary").click()
    wheelchair = page.locator("label.search-option", has_text="車いす可")
    expect(wheelchair).to_contain_text("（9）")  # i % 5 in (3, 4) for i < 24
    wheelchair.locator("input").check()
    page.get_by_role("button", name="この条件でさがす").click()
    page.wait_for_url(re.compile(r"condition=wheelchair"))
    expect(page.locator(".search-status")).to_contain_text("9件")
    expect(page.locator(".chip")).to_contain_text("車いす可")
    page.get_by_role("link", name="開催が近い順").click()
    page.wait_for_url(re.compile(r"sort=upcoming"))
    expect(page.locator('.search-sort a[aria-current="true"]')).to_have_text("開催が近い順")
    page.locator(".chip").first.click()  # removing the chip keeps the sort
    page.wait_for_url(re.compile(r"^(?!.*condition=).*sort=upcoming"))
    expect(page.locator(".search-status")).to_contain_text("25件")
    context.close()


def test_list_and_map_show_the_same_results(phone390, live_server, listings):
    phone390.goto(live_server.url + "/search/?q=食堂&condition=online")
    phone390.get_by_role("link", name="地図で見る").click()
    phone390.wait_for_url(re.compile(r"/search/map/\?q=.*condition=online"))
    expect(phone390.locator("#search-map")).to_be_visible()
    markers = phone390.locator("#search-map .leaflet-marker-icon")
    expect(markers.first).to_be_visible()
    expect(phone390.locator(".map-attribution")).to_contain_text("地理院タイル")
    listed = phone390.locator("text=オンラインで参加・相談できる掲載")
    expect(listed).to_be_visible()  # the online-only service, beside the map
    phone390.get_by_role("link", name="リストで見る").click()
    phone390.wait_for_url(re.compile(r"/search/\?q=.*condition=online"))
    expect(phone390.locator(".search-results__list .card").first).to_be_visible()
    screenshot(phone390, "search-390-list-after-map")


def test_a_marker_popup_links_to_the_listing(phone390, live_server, listings):
    phone390.goto(live_server.url + "/search/map/?q=ひとつだけの居場所")
    marker = phone390.locator("#search-map .leaflet-marker-icon").first
    marker.click()
    link = phone390.locator(".leaflet-popup-content a")
    expect(link).to_have_text("ひとつだけの居場所")
    link.click()
    expect(phone390.locator("h1")).to_have_text("ひとつだけの居場所")
    screenshot(phone390, "search-390-map")


def test_near_me_with_a_mocked_position(chromium, live_server, listings):
    context = live_server_context(chromium, live_server, PHONE)
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": 35.90123, "longitude": 139.90456})
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=食堂")
    page.get_by_role("link", name="近くをさがす").click()
    page.get_by_role("button", name="現在地を使う").click()
    page.wait_for_url(re.compile(r"sort=distance"))
    url = page.url
    assert "lat=35.901&" in url and url.endswith("lng=139.905")  # ~100 m, before it left the page
    assert "35.90123" not in url and "139.90456" not in url
    expect(page.locator(".chip")).to_contain_text("現在地の近く")
    first = page.locator(".search-results__list .card__title").first
    expect(first).to_have_text("まちの食堂20")  # 35.90, 139.90: the nearest
    context.close()
