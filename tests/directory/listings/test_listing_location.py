"""Where a listing may be pinned: confidential and online-only listings never have a point."""

import pytest

from directory.models import LocationMode
from tests.factories.directory import AreaFactory, EventPageFactory, PlacePageFactory

pytestmark = pytest.mark.django_db


def test_public_listing_has_its_point():
    place = PlacePageFactory()
    assert place.coordinates == (35.7, 139.7)


def test_event_at_a_public_venue_takes_the_venue_point():
    venue = PlacePageFactory()
    event = EventPageFactory(venue=venue, address="", lat=None, lng=None)
    assert event.coordinates == venue.coordinates


def test_confidential_event_at_a_venue_is_never_pinned():
    """The event's own mode wins over its venue's point (search and matching read this)."""
    venue = PlacePageFactory()
    event = EventPageFactory(
        venue=venue,
        location_mode=LocationMode.CONFIDENTIAL,
        area=AreaFactory(),
        address="",
        lat=None,
        lng=None,
    )
    assert event.coordinates is None


def test_online_only_event_is_never_pinned_even_with_a_venue():
    event = EventPageFactory(
        venue=PlacePageFactory(),
        location_mode=LocationMode.ONLINE,
        address="",
        lat=None,
        lng=None,
    )
    assert event.coordinates is None
