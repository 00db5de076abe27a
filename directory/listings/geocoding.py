"""Fill in missing map points from listing addresses — only from `manage.py geocode_missing`.

Geocoding calls an outside service (slow, rate-limited, sometimes down), so it never runs in a
request or a model save (docs/demo.md "Geocoding").
Every answer is kept in a small JSON file (var/geocode-cache.json by default): the same address
is never asked twice, across runs and processes, without adding a database table, and the file can
be inspected or deleted by hand. The project's Django cache is per-process memory, which would be
empty on every run. "Not found" answers are cached too; a geocoder that cannot be reached is not,
so a later run tries again.

When the address cannot be placed (not found, or the geocoder is offline) the listing gets its
area's centroid and a review note, so the editor knows the pin is only approximate.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from geopy.exc import GeopyError

from directory.listings.validators import validate_latitude, validate_longitude
from directory.models import Area, ListingPage, LocationMode, listing_page_models

logger = logging.getLogger("tsunagari.geocoding")

# A geocode function: address → an object with .latitude/.longitude, or None when not found.
# It raises geopy's GeopyError when the service cannot be used (offline, timeout, quota).
GeocodeFunction = Callable[[str], Any]
COORDINATE = Decimal("0.000001")
NOTE_NOT_FOUND = "位置は地域の中心です（住所から位置を特定できませんでした）"
NOTE_OFFLINE = "位置は地域の中心です（位置検索サービスに接続できませんでした）"


class Outcome(StrEnum):
    FOUND = "found"
    CENTROID = "centroid"  # not found or offline: the area's centroid, with a review note
    NO_CENTROID = "no_centroid"  # nothing to fall back on: left unchanged
    PLANNED = "planned"  # --dry-run


@dataclass(frozen=True)
class Result:
    listing: ListingPage
    outcome: Outcome
    query: str
    point: tuple[Decimal, Decimal] | None = None
    note: str = ""
    cached: bool = False


def make_geocoder() -> GeocodeFunction:
    """The configured geopy geocoder (default Nominatim), at most one request per second.

    settings.GEOCODER names a geopy service ("nominatim", "arcgis", …); GEOCODER_USER_AGENT and
    GEOCODER_TIMEOUT are passed on, GEOCODER_OPTIONS (a dict) adds e.g. an API key or a domain.
    """
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import get_geocoder_for_service

    service = get_geocoder_for_service(getattr(settings, "GEOCODER", "nominatim"))
    geocoder = service(
        user_agent=settings.GEOCODER_USER_AGENT,
        timeout=settings.GEOCODER_TIMEOUT,
        **getattr(settings, "GEOCODER_OPTIONS", {}),
    )
    # Nominatim's usage policy: no more than one request per second.
    return RateLimiter(
        geocoder.geocode, min_delay_seconds=1, max_retries=0, swallow_exceptions=False
    )


def default_cache_path() -> Path:
    return Path(getattr(settings, "GEOCODER_CACHE_PATH", settings.VAR_DIR / "geocode-cache.json"))


def normalise(address: str) -> str:
    """One cache key for 全角/半角 and spacing variants of the same address."""
    return " ".join(unicodedata.normalize("NFKC", address).split())


class GeocodeCache:
    """address → [lat, lng] (found) or None (not found), stored as a JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.entries: dict[str, list[float] | None] = json.loads(
                path.read_text(encoding="utf-8")
            )
        except FileNotFoundError:
            self.entries = {}
        except (ValueError, OSError):
            logger.warning("geocode cache %s is unreadable; starting a new one", path)
            self.entries = {}

    def __contains__(self, address: str) -> bool:
        return normalise(address) in self.entries

    def get(self, address: str) -> list[float] | None:
        return self.entries.get(normalise(address))

    def put(self, address: str, point: list[float] | None) -> None:
        self.entries[normalise(address)] = point

    def save(self) -> None:
        """Write atomically, so an interrupted run never leaves a half-written file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self.entries, out, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(temporary, self.path)


# -- which listings ----------------------------------------------------------------------------
def working_copy(page: ListingPage) -> ListingPage:
    """What an editor would see: the latest draft when there is one, else the page itself."""
    if page.has_unpublished_changes:
        latest = page.get_latest_revision_as_object()
        if isinstance(latest, ListingPage):
            return latest
    return page


def needs_point(page: ListingPage) -> bool:
    return (
        page.location_mode == LocationMode.ADDRESS
        and bool(page.address.strip())
        and (page.lat is None or page.lng is None)
    )


def listings_missing_points() -> Iterator[ListingPage]:
    """Listings with a public address and no point (confidential and online-only never)."""
    for model in listing_page_models():
        pages = (
            model.objects.filter(Q(lat__isnull=True) | Q(has_unpublished_changes=True))
            .filter(location_mode=LocationMode.ADDRESS)
            .exclude(address="")
        )
        for page in pages.select_related("area", "area__parent").order_by("path"):
            copy = working_copy(page)
            if needs_point(copy):
                yield copy


def query_for(page: ListingPage) -> str:
    """The address with its prefecture in front when missing (helps any geocoder)."""
    address = normalise(page.address)
    municipality = page.area.municipality if page.area else None
    prefecture = municipality.parent if municipality else None
    if prefecture is not None and not address.startswith(prefecture.name):
        return f"{prefecture.name}{address}"
    return address


def fallback_centroid(area: Area | None) -> tuple[Decimal, Decimal] | None:
    """The listing's area centroid, else its municipality's."""
    for candidate in (area, area.municipality if area else None):
        if (
            candidate is not None
            and candidate.centroid_lat is not None
            and candidate.centroid_lng is not None
        ):
            return candidate.centroid_lat, candidate.centroid_lng
    return None


# -- geocoding -------------------------------------------------------------------------------
class Locator:
    """Asks the geocoder once per address (through the cache); stops asking once it is offline."""

    def __init__(self, geocode: GeocodeFunction | None, cache: GeocodeCache) -> None:
        self.geocode = geocode
        self.cache = cache
        self.offline = geocode is None

    def locate(self, query: str) -> tuple[list[float] | None, bool, bool]:
        """(point or None, from cache?, offline?)."""
        if query in self.cache:
            return self.cache.get(query), True, False
        if self.offline or self.geocode is None:
            return None, False, True
        try:
            location = self.geocode(query)
        except GeopyError as error:
            logger.warning("geocoder unavailable (%s); using area centroids", type(error).__name__)
            self.offline = True
            return None, False, True
        point = _in_japan(location)
        self.cache.put(query, point)
        return point, False, False


def _in_japan(location: Any) -> list[float] | None:
    if location is None:
        return None
    lat, lng = (
        Decimal(str(location.latitude)).quantize(COORDINATE),
        Decimal(str(location.longitude)).quantize(COORDINATE),
    )
    try:
        validate_latitude(lat)
        validate_longitude(lng)
    except ValidationError:
        return None  # a match abroad is a wrong match for a listing in Japan
    return [float(lat), float(lng)]


def place(page: ListingPage, locator: Locator) -> Result:
    """Decide the point for one listing (no saving)."""
    query = query_for(page)
    point, cached, offline = locator.locate(query)
    if point is not None:
        lat, lng = (Decimal(str(v)).quantize(COORDINATE) for v in point)
        return Result(page, Outcome.FOUND, query, (lat, lng), cached=cached)
    centroid = fallback_centroid(page.area)
    if centroid is None:
        return Result(page, Outcome.NO_CENTROID, query, cached=cached)
    note = NOTE_OFFLINE if offline else NOTE_NOT_FOUND
    return Result(page, Outcome.CENTROID, query, centroid, note=note, cached=cached)


def save_point(page: ListingPage, point: tuple[Decimal, Decimal], note: str = "") -> None:
    """Store the point as a new revision; publish it only if the page was live with no draft."""
    page.lat, page.lng = point
    if note and note not in page.review_notes:
        page.review_notes = "\n".join(filter(None, [page.review_notes.strip(), note]))
    publish = page.live and not page.has_unpublished_changes
    revision = page.save_revision(log_action=True, changed=True)
    if publish:
        revision.publish()


def geocode_missing(
    *,
    geocode: GeocodeFunction | None,
    cache: GeocodeCache,
    limit: int | None = None,
    dry_run: bool = False,
    progress: Callable[[Iterable[ListingPage]], Iterable[ListingPage]] = lambda pages: pages,
) -> list[Result]:
    """Place every listing that has an address but no point. `geocode=None` means offline."""
    pages = list(listings_missing_points())[:limit] if limit else list(listings_missing_points())
    locator = Locator(None if dry_run else geocode, cache)
    results: list[Result] = []
    for page in progress(pages):
        if dry_run:
            results.append(
                Result(page, Outcome.PLANNED, query_for(page), cached=query_for(page) in cache)
            )
            continue
        result = place(page, locator)
        if result.point is not None:
            save_point(page, result.point, result.note)
        results.append(result)
    if not dry_run:
        cache.save()
    return results
