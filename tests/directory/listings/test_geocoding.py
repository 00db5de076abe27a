"""Geocoding of listings without a map point, with an injected fake geocoder (no network)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from geopy.exc import GeocoderUnavailable

from directory.listings import geocoding
from directory.listings.geocoding import (
    NOTE_NOT_FOUND,
    NOTE_OFFLINE,
    GeocodeCache,
    Outcome,
    geocode_missing,
)
from directory.models import ListingPage, LocationMode, PlacePage, ServicePage
from tests.factories.directory import AreaFactory, PlacePageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db

ADDRESS = "架空市中央1-2-3"


@dataclass
class Location:
    latitude: float
    longitude: float


class FakeGeocoder:
    """Answers from a dict; raises GeocoderUnavailable when `offline`; records every query."""

    def __init__(self, answers: dict[str, Location | None] | None = None, offline: bool = False):
        self.answers = answers or {}
        self.offline = offline
        self.queries: list[str] = []

    def __call__(self, query: str) -> Location | None:
        self.queries.append(query)
        if self.offline:
            raise GeocoderUnavailable("no network in tests")
        return self.answers.get(query)


@pytest.fixture
def cache(tmp_path) -> GeocodeCache:
    return GeocodeCache(tmp_path / "geocode-cache.json")


@pytest.fixture
def district():
    return AreaFactory(centroid_lat=Decimal("35.710000"), centroid_lng=Decimal("139.720000"))


def published_listing(factory=PlacePageFactory, **kwargs) -> ListingPage:
    """A live listing with no draft changes and no point."""
    kwargs = {"address": ADDRESS, "lat": None, "lng": None, **kwargs}
    page = factory(**kwargs)
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    return page


def test_found_address_gets_its_point_published(cache, district):
    page = published_listing(area=district)
    fake = FakeGeocoder({f"東京都{ADDRESS}": Location(35.6812, 139.7671)})

    [result] = geocode_missing(geocode=fake, cache=cache)

    assert result.outcome == Outcome.FOUND
    page.refresh_from_db()
    assert (page.lat, page.lng) == (Decimal("35.681200"), Decimal("139.767100"))
    assert page.review_notes == ""
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision.as_object().lat == Decimal("35.681200")
    saved = json.loads(cache.path.read_text(encoding="utf-8"))
    assert saved == {f"東京都{ADDRESS}": [35.6812, 139.7671]}


def test_not_found_falls_back_to_the_area_centroid_and_says_so(cache, district):
    page = published_listing(area=district)
    fake = FakeGeocoder({})

    [result] = geocode_missing(geocode=fake, cache=cache)

    assert result.outcome == Outcome.CENTROID
    page.refresh_from_db()
    assert (page.lat, page.lng) == (Decimal("35.710000"), Decimal("139.720000"))
    assert page.review_notes == NOTE_NOT_FOUND
    assert not page.has_unpublished_changes
    # "not found" is remembered: the same address is never asked again
    assert f"東京都{ADDRESS}" in cache and cache.get(f"東京都{ADDRESS}") is None


def test_offline_uses_centroids_stops_asking_and_caches_nothing(cache, district):
    first = published_listing(area=district)
    second = published_listing(area=district, address="架空市北2-1")
    fake = FakeGeocoder(offline=True)

    results = geocode_missing(geocode=fake, cache=cache)

    assert [r.outcome for r in results] == [Outcome.CENTROID, Outcome.CENTROID]
    assert len(fake.queries) == 1  # after the first failure it does not wait on every listing
    for page in (first, second):
        page.refresh_from_db()
        assert page.lat == Decimal("35.710000")
        assert NOTE_OFFLINE in page.review_notes
    assert json.loads(cache.path.read_text(encoding="utf-8")) == {}


def test_cache_hit_does_not_ask_the_geocoder(cache, district):
    page = published_listing(area=district)
    cache.put(f"東京都{ADDRESS}", [35.7, 139.8])
    fake = FakeGeocoder(offline=True)

    [result] = geocode_missing(geocode=fake, cache=cache)

    assert fake.queries == []
    assert result.cached and result.outcome == Outcome.FOUND
    page.refresh_from_db()
    assert (page.lat, page.lng) == (Decimal("35.700000"), Decimal("139.800000"))


def test_cache_key_ignores_full_width_and_spacing(tmp_path):
    cache = GeocodeCache(tmp_path / "c.json")
    cache.put("東京都架空市中央１－２－３", [35.7, 139.8])
    cache.save()
    reread = GeocodeCache(tmp_path / "c.json")
    assert reread.get(" 東京都架空市中央1-2-3 ") == [35.7, 139.8]
    assert "東京都架空市中央1-2-4" not in reread


def test_confidential_online_and_pinned_listings_are_skipped(cache, district):
    ServicePageFactory(
        location_mode=LocationMode.CONFIDENTIAL, address="", lat=None, lng=None, area=district
    )
    ServicePageFactory(location_mode=LocationMode.ONLINE, address="", lat=None, lng=None)
    published_listing(area=district, lat=Decimal("35.7"), lng=Decimal("139.7"))
    fake = FakeGeocoder({})

    assert geocode_missing(geocode=fake, cache=cache) == []
    assert fake.queries == []
    confidential = ServicePage.objects.get(location_mode=LocationMode.CONFIDENTIAL)
    assert confidential.lat is None and confidential.coordinates is None


def test_a_match_outside_japan_counts_as_not_found(cache, district):
    page = published_listing(area=district)
    fake = FakeGeocoder({f"東京都{ADDRESS}": Location(48.85, 2.35)})

    [result] = geocode_missing(geocode=fake, cache=cache)

    assert result.outcome == Outcome.CENTROID
    page.refresh_from_db()
    assert page.lat == Decimal("35.710000")


def test_a_draft_gets_a_new_draft_revision_and_is_not_published(cache, district):
    page = published_listing(area=district)
    page.title = "下書きの新しい名前"
    page.save_revision()
    fake = FakeGeocoder({f"東京都{ADDRESS}": Location(35.6812, 139.7671)})

    geocode_missing(geocode=fake, cache=cache)

    page.refresh_from_db()
    assert page.lat is None  # the live version is untouched …
    assert page.title != "下書きの新しい名前"
    draft = page.get_latest_revision_as_object()
    assert draft.lat == Decimal("35.681200")  # … the draft keeps its edits and gains the point
    assert draft.title == "下書きの新しい名前"
    assert page.has_unpublished_changes


def test_dry_run_and_limit_save_nothing_and_ask_nobody(cache, district):
    for n in range(3):
        published_listing(area=district, address=f"架空市中央{n}")
    fake = FakeGeocoder({})

    assert len(geocode_missing(geocode=fake, cache=cache, limit=2, dry_run=True)) == 2
    assert fake.queries == []
    assert not PlacePage.objects.filter(lat__isnull=False).exists()
    assert not cache.path.exists()


def test_command_reports_centroid_fallback(cache, district, monkeypatch):
    published_listing(area=district)
    fake = FakeGeocoder({})
    monkeypatch.setattr(geocoding, "make_geocoder", lambda: fake)
    out = StringIO()

    call_command("geocode_missing", "--cache", str(cache.path), stdout=out, stderr=StringIO())

    text = out.getvalue()
    assert "地域の中心を使用" in text and NOTE_NOT_FOUND in text
    assert "地域の中心 1 件" in text
    assert fake.queries == [f"東京都{ADDRESS}"]


def test_command_offline_never_builds_a_geocoder(cache, district, monkeypatch):
    published_listing(area=district)

    def no_network():
        raise AssertionError("--offline must not create a geocoder")

    monkeypatch.setattr(geocoding, "make_geocoder", no_network)
    out = StringIO()
    call_command(
        "geocode_missing", "--offline", "--cache", str(cache.path), stdout=out, stderr=StringIO()
    )
    assert NOTE_OFFLINE in out.getvalue()
