"""Issue 15 item 6: an event whose 居場所 venue went offline says so instead of a dead link."""

import pytest

from directory.listings.location import VENUE_OFFLINE_TEXT, public_location
from tests.factories.directory import EventPageFactory, PlacePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_at_offline_venue():
    venue = PlacePageFactory(title="ひだまり会館", address="いずみ町1-2-3")
    event = EventPageFactory(venue=venue, address="", lat=None, lng=None)
    venue.unpublish()
    event.refresh_from_db()
    return venue, event


def test_the_event_page_says_the_venue_is_not_public(client, event_at_offline_venue):
    venue, event = event_at_offline_venue
    html = client.get(event.url).content.decode()
    assert VENUE_OFFLINE_TEXT in html
    assert venue.url_path not in html and "ひだまり会館" not in html


def test_an_offline_venue_lends_no_address_or_point(event_at_offline_venue):
    _venue, event = event_at_offline_venue
    location = public_location(event)
    assert location.venue is None and location.venue_offline
    assert "いずみ町" not in " ".join(location.lines)
    assert event.coordinates is None


def test_a_live_venue_is_still_linked(client):
    venue = PlacePageFactory(title="ひだまり会館")
    event = EventPageFactory(venue=venue, address="", lat=None, lng=None)
    html = client.get(event.url).content.decode()
    assert "ひだまり会館" in html and VENUE_OFFLINE_TEXT not in html
