"""What of a listing's location is public: the one rule every output asks.

Pages, the map, JSON-LD, HSDS, iCal, open data, search and matching all call `public_location`,
so a confidential place (所在地非公開) cannot leak through one output that forgot a check. The
rule looks at the listing's own mode AND, for an event held at a 居場所, at the venue's: an event
at a confidential venue is as confidential as the venue. A confidential place shows its area, or
only the municipality when its member chose to hide the 小学校区 (some DV desks: even the
district says too much).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_noop

from directory.models.areas import Area
from directory.models.listings import EventPage, LocationMode

if TYPE_CHECKING:
    from directory.models.listings import ListingPage, PlacePage

# Marked for translation, translated where a page shows them (the data outputs stay Japanese).
CONFIDENTIAL_TEXT = gettext_noop("所在地は公開していません")
ONLINE_TEXT = gettext_noop("オンライン")
VENUE_OFFLINE_TEXT = gettext_noop("会場の情報は現在公開されていません")
# Areas below the municipality: what a hidden district is widened from.
LOCAL_LEVELS = (Area.Level.SCHOOL_DISTRICT, Area.Level.LIVING_AREA)


@dataclass(frozen=True)
class PublicLocation:
    """Where a listing happens, holding only what may be published (never more)."""

    mode: str
    area: Area | None = None
    postal_code: str = ""
    address: str = ""
    building: str = ""
    point: tuple[float, float] | None = None
    venue: PlacePage | None = None
    area_hidden: bool = False
    venue_offline: bool = False  # an event's chosen 居場所 is not published now

    @property
    def confidential(self) -> bool:
        return self.mode == LocationMode.CONFIDENTIAL

    @property
    def venue_note(self) -> str:
        """What the page says in place of a venue that is not published now."""
        return gettext(VENUE_OFFLINE_TEXT) if self.venue_offline else ""

    @property
    def area_name(self) -> str:
        return self.area.name if self.area else ""

    @property
    def street(self) -> str:
        """住所 and 方書 on one line (iCal LOCATION, search, hand-outs)."""
        return " ".join(part for part in (self.address, self.building) if part)

    @property
    def lines(self) -> list[str]:
        """The lines a page shows under 所在地 / 場所, in the visitor's language."""
        if self.mode == LocationMode.CONFIDENTIAL:
            if not self.area:
                return [gettext(CONFIDENTIAL_TEXT)]
            return [gettext("所在地は公開していません（%(area)s）") % {"area": self.area_name}]
        if self.mode == LocationMode.ONLINE:
            return [gettext(ONLINE_TEXT)]
        postal = [f"〒{self.postal_code}"] if self.postal_code else []
        return [*postal, *(part for part in (self.address, self.building) if part)]


def place_of(listing: ListingPage) -> ListingPage:
    """Whose location fields apply: an event's 居場所 venue when it has no address of its own.

    Only an event that is itself at an address takes its venue's place; a confidential or
    online event keeps its own mode whatever the venue says.
    """
    if (
        isinstance(listing, EventPage)
        and listing.location_mode == LocationMode.ADDRESS
        and not listing.address
        and listing.live_venue is not None
    ):
        return listing.live_venue
    return listing


def hides_area(listing: ListingPage) -> bool:
    """The member chose to show no district for this confidential place."""
    return (
        listing.location_mode == LocationMode.CONFIDENTIAL
        and not listing.show_area_when_confidential
    )


def widen(area: Area | None, hidden: bool) -> Area | None:
    """The area as published: a hidden 小学校区 / 圏域 becomes its municipality."""
    if area is None or not hidden or area.level not in LOCAL_LEVELS:
        return area
    return area.municipality


def public_location(listing: ListingPage) -> PublicLocation:
    """The public part of a listing's location (its own mode and, for events, its venue's)."""
    source = place_of(listing)
    hidden = hides_area(listing) or hides_area(source)
    area = widen(listing.area or source.area, hidden)
    venue = source if source is not listing else None
    offline = isinstance(listing, EventPage) and listing.venue_offline
    mode = source.location_mode
    if mode == LocationMode.CONFIDENTIAL:
        return PublicLocation(mode, area=area, venue=venue, area_hidden=hidden)
    if mode == LocationMode.ONLINE:
        return PublicLocation(mode, area=area, venue=venue, venue_offline=offline)
    return PublicLocation(
        LocationMode.ADDRESS,
        area=area,
        postal_code=source.postal_code,
        address=source.address,
        building=source.address_building,
        point=source.coordinates,
        venue=venue,
        venue_offline=offline,
    )


def public_area(listing: ListingPage) -> Area | None:
    """The area a listing may be filed under (filters, feeds, coverage): never a hidden one."""
    return public_location(listing).area


def public_service_areas(listing: ListingPage) -> list[Area]:
    """A listing's 対象地域 as published: hidden districts widened, duplicates dropped."""
    hidden = hides_area(listing) or hides_area(place_of(listing))
    found: dict[int, Area] = {}
    for area in listing.service_areas.all():
        shown = widen(area, hidden)
        if shown is not None:
            found.setdefault(shown.pk, shown)
    return list(found.values())
