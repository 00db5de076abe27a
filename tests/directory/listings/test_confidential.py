"""所在地非公開: no output ever shows an address part or point of a confidential place.

The place is stored with every address part filled in (as data saved before the form emptied
them would be), so each output is tested on its own, not only through the form. An event held
at that place must not inherit any of it. With 「地域を表示する」 off, the 小学校区 goes too and
outputs name at most the municipality.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import time
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from coordination.coverage import coverage_table
from directory.listings.location import public_location
from directory.listings.schedules import Recurrence
from directory.models import Area, EventPage, ListingPage, LocationMode, Member, PlacePage
from exchange.hsds.export import export_services
from exchange.opendata.exporter import export_csv
from search.documents import live_documents
from search.engines.embedded import EmbeddedEngine
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    MunicipalityFactory,
    PlacePageFactory,
)
from tests.factories.membership import page_edit_form_data

pytestmark = pytest.mark.django_db

STORED = {
    "postal_code": "999-0099",
    "address": "架空市秘密町9-9-9",
    "address_building": "ひみつビル3階",
    "lat": Decimal("35.123456"),
    "lng": Decimal("139.654321"),
}
# Every spelling an output could use for the stored parts.
SECRETS = ("999-0099", "9990099", "秘密町", "ひみつビル", "35.123", "139.654")
DISTRICT_NAME = "ひだまり第九小学校区"
DISTRICT_CODE = "999990-909"
WEEKLY = [Recurrence("weekly", weekdays=(1,), start_time=time(10), end_time=time(12))]


@dataclass
class Secret:
    member: Member
    municipality: Area
    district: Area
    place: PlacePage
    event: EventPage

    @property
    def listings(self) -> list[ListingPage]:
        return [self.place, self.event]


def confidential_place(show_area: bool) -> Secret:
    municipality = MunicipalityFactory()
    district = AreaFactory(code=DISTRICT_CODE, name=DISTRICT_NAME, parent=municipality)
    member = MemberFactory(name="ひだまり支援ネット", slug="hidamari")
    place = PlacePageFactory(
        member=member,
        title="ひだまり相談室",
        categories=["consultation"],
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=district,
        show_area_when_confidential=show_area,
        service_areas=[district],
        online_available=True,
        schedule=WEEKLY,
    )
    # As stored before the form emptied them (or by an import): every output must still hold.
    PlacePage.objects.filter(pk=place.pk).update(**STORED)
    place.refresh_from_db()
    event = EventPageFactory(
        member=member,
        title="ひだまり茶話会",
        categories=["consultation"],
        venue=place,
        address="",
        lat=None,
        lng=None,
        area=district,
        service_areas=[district],
        schedule=WEEKLY,
    )
    return Secret(member, municipality, district, place, event)


@pytest.fixture(params=[True, False], ids=["area-shown", "area-hidden"])
def secret(request: pytest.FixtureRequest) -> Secret:
    return confidential_place(show_area=request.param)


def assert_private(text: str, secret: Secret) -> None:
    """No stored address part; and no district when the member chose to hide it."""
    for part in SECRETS:
        assert part not in text, part
    if not secret.place.show_area_when_confidential:
        assert DISTRICT_NAME not in text
        assert DISTRICT_CODE not in text


def body(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def without_area_choices(html: str) -> str:
    """A search or match form offers every district to choose from: that is not the listing."""
    return re.sub(r"<select.*?</select>", "", html, flags=re.DOTALL)


# -- the form ---------------------------------------------------------------------------------
def test_clean_empties_every_address_part_of_a_confidential_place():
    district = AreaFactory()
    page = PlacePage(
        title="x", summary="s", location_mode=LocationMode.CONFIDENTIAL, area=district, **STORED
    )
    page.clean()
    assert (page.postal_code, page.address, page.address_building) == ("", "", "")
    assert page.lat is None and page.lng is None


def test_saving_a_confidential_place_stores_no_address_part():
    place = PlacePageFactory(location_mode=LocationMode.CONFIDENTIAL, area=AreaFactory(), **STORED)
    stored = PlacePage.objects.get(pk=place.pk)
    assert (stored.postal_code, stored.address, stored.address_building) == ("", "", "")
    assert stored.lat is None and stored.lng is None
    revision = stored.latest_revision.content
    assert not any(revision.get(name) for name in STORED)


def test_the_editor_publishing_a_confidential_place_keeps_no_address_part(editor_client, member):
    place = PlacePageFactory(member=member, area=AreaFactory(), postal_code="999-0001")
    data = page_edit_form_data(
        editor_client,
        place,
        location_mode=LocationMode.CONFIDENTIAL,
        **{name: str(value) for name, value in STORED.items()},
    )
    data.pop("show_area_when_confidential", None)  # unticked: show the municipality only
    data["action-publish"] = "action-publish"
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[place.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = PlacePage.objects.get(pk=place.pk)
    assert stored.location_mode == LocationMode.CONFIDENTIAL
    assert not stored.show_area_when_confidential
    assert (stored.postal_code, stored.address, stored.address_building) == ("", "", "")
    assert stored.lat is None and stored.lng is None
    assert not any(stored.latest_revision.content.get(name) for name in STORED)


def test_area_is_shown_by_default_and_the_help_text_explains_both_choices():
    field = PlacePage._meta.get_field("show_area_when_confidential")
    assert PlacePage().show_area_when_confidential is True
    assert "DV" in field.help_text
    mode_help = PlacePage._meta.get_field("location_mode").help_text
    assert "郵便番号" in mode_help and "空" in mode_help


# -- the one rule -----------------------------------------------------------------------------
def test_public_location_of_a_confidential_place_and_its_event(secret):
    for listing in secret.listings:
        location = public_location(listing)
        assert location.mode == LocationMode.CONFIDENTIAL
        assert (location.postal_code, location.address, location.building) == ("", "", "")
        assert location.point is None
        expected = secret.district if secret.place.show_area_when_confidential else None
        assert location.area == (expected or secret.municipality)


# -- every output -----------------------------------------------------------------------------
def test_listing_pages_and_member_page(client: Client, secret):
    for listing in secret.listings:
        page = body(client.get(listing.url))
        assert_private(page, secret)
        assert "所在地は公開していません" in page
        assert "application/ld+json" in page and "listing-map-config" not in page
        if secret.place.show_area_when_confidential:
            assert DISTRICT_NAME in page
        else:
            assert "架空市" in page
    assert_private(body(client.get(secret.event.get_parent().url)), secret)


def test_hsds_detail_list_and_export(client: Client, secret):
    for listing in secret.listings:
        assert_private(body(client.get(f"/api/hsds/services/{listing.uuid}")), secret)
    assert_private(body(client.get("/api/hsds/services")), secret)
    assert_private(body(client.get("/api/hsds/service_at_locations")), secret)
    exported = list(export_services())
    assert {str(listing.uuid) for listing in secret.listings} <= {s["id"] for s in exported}
    assert_private(json.dumps(exported, ensure_ascii=False), secret)


def calendars(secret: Secret) -> Iterator[str]:
    for listing in secret.listings:
        yield reverse("listing-ics", kwargs={"uuid": listing.uuid})
    yield reverse("member-ics", kwargs={"slug": secret.member.slug})
    yield reverse("category-ics", kwargs={"slug": "consultation"})
    yield reverse("area-ics", kwargs={"code": secret.municipality.code})


def test_ical_listing_and_feeds(client: Client, secret):
    for url in calendars(secret):
        text = body(client.get(url)).replace("\r\n ", "")  # unfold long lines
        assert "BEGIN:VEVENT" in text
        assert_private(text, secret)
        assert "GEO:" not in text


def test_area_feed_of_a_hidden_district_does_not_list_the_place(client: Client):
    secret = confidential_place(show_area=False)
    text = body(client.get(reverse("area-ics", kwargs={"code": DISTRICT_CODE})))
    assert str(secret.place.uuid) not in text and str(secret.event.uuid) not in text


@pytest.mark.parametrize("format_slug", ["facility", "event"])
def test_open_data_export(secret, format_slug: str):
    text = export_csv(format_slug)
    expected = secret.place if format_slug == "facility" else secret.event
    assert str(expected.uuid) in text
    assert_private(text, secret)


@pytest.fixture
def indexed(settings) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    settings.SEARCH_BACKEND = "embedded"

    def run() -> None:
        engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
        engine.clear()
        engine.index(live_documents())

    return run


def test_search_documents_api_and_page(client: Client, secret, indexed):
    for document in live_documents():
        assert_private(json.dumps(document, ensure_ascii=False, default=str), secret)
    indexed()
    results = body(client.get("/api/v1/resources", {"q": "ひだまり"}))
    assert str(secret.event.uuid) in results
    assert_private(results, secret)
    for listing in secret.listings:
        assert_private(body(client.get(f"/api/v1/resources/{listing.uuid}")), secret)
    page = body(client.get("/search/", {"q": "ひだまり"}))
    assert "ひだまり茶話会" in page
    assert_private(without_area_choices(page), secret)
    if not secret.place.show_area_when_confidential:
        found = body(client.get("/api/v1/resources", {"area": DISTRICT_CODE}))
        assert str(secret.place.uuid) not in found


def test_matching_results_and_hand_out(client: Client, secret):
    ids = [str(listing.uuid) for listing in secret.listings]
    handout = body(client.post(reverse("match-print"), {"id": ids}))
    assert "ひだまり茶話会" in handout
    assert_private(handout, secret)
    results = client.post(
        reverse("api-match"),
        json.dumps({"area": secret.municipality.code, "limit": 50}),
        content_type="application/json",
    )
    assert str(secret.event.uuid) in body(results)
    assert_private(body(results), secret)
    page = body(client.post(reverse("match"), {"area": secret.municipality.code}))
    assert "ひだまり茶話会" in page
    assert_private(without_area_choices(page), secret)


def test_coverage_counts_a_hidden_district_in_no_district_row(secret):
    table = coverage_table("category", secret.municipality)
    [row] = [row for row in table.rows if row.district.pk == secret.district.pk]
    assert (row.counts["consultation"] > 0) is secret.place.show_area_when_confidential


# -- the data migration -----------------------------------------------------------------------
def test_migration_clears_stored_parts_of_existing_confidential_places():
    secret = confidential_place(show_area=True)
    PlacePage.objects.filter(pk=secret.place.pk).update(**STORED)
    public = PlacePageFactory(postal_code="999-0001", address_building="中央会館")
    migration = importlib.import_module("directory.migrations.0003_confidential_places")
    migration.clear_confidential_places(django_apps, None)
    place = PlacePage.objects.get(pk=secret.place.pk)
    assert (place.postal_code, place.address, place.address_building) == ("", "", "")
    assert place.lat is None and place.lng is None
    assert PlacePage.objects.get(pk=public.pk).address_building == "中央会館"
