"""iCal sessions (issue 12/16): DTSTART at the first upcoming session, 年末年始 as EXDATEs."""

from datetime import date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from directory.listings.schedules import JST, Recurrence, occurrences
from tests.factories.directory import EventPageFactory, PlacePageFactory

pytestmark = pytest.mark.django_db


def only_event(client, listing):
    response = client.get(reverse("listing-ics", kwargs={"uuid": listing.uuid}))
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    return event


def expand(event, first: date, last: date) -> list[date]:
    """Dates of the sessions the VEVENT describes between two dates (as a calendar app would)."""
    start = event.decoded("dtstart")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    exdates = event.get("exdate") or []
    excluded = {
        value.dt.date() if isinstance(value.dt, datetime) else value.dt
        for group in (exdates if isinstance(exdates, list) else [exdates])
        for value in group.dts
    }
    window = rule.between(
        datetime.combine(first, time(0), JST), datetime.combine(last, time(23, 59), JST), inc=True
    )
    return [moment.date() for moment in window if moment.date() not in excluded]


def test_recurring_dtstart_is_the_first_upcoming_session_not_in_2024(client):
    today = datetime.now(JST).date()
    rule = Recurrence("weekly", weekdays=(2,), interval=2, start_time=time(15), end_time=time(17))
    listing = PlacePageFactory(schedule=[rule])
    event = only_event(client, listing)
    start = event.decoded("dtstart")
    expected = occurrences([rule], today, today + timedelta(days=14))[0].start
    assert start == expected
    assert start.date() >= today
    # The set from DTSTART on is the rule's own (隔週 keeps its phase).
    last = today + timedelta(days=120)
    assert expand(event, today, last) == [s.day for s in occurrences([rule], today, last)]


def test_ended_rule_keeps_its_own_first_session(client):
    rule = Recurrence(
        "weekly",
        weekdays=(0,),
        start_time=time(10),
        valid_from=date(2025, 1, 6),
        valid_until=date(2025, 3, 31),
    )
    listing = EventPageFactory(schedule=[rule, Recurrence("dates", dates=(date(2025, 1, 5),))])
    response = client.get(reverse("listing-ics", kwargs={"uuid": listing.uuid}))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert events[0].decoded("dtstart").date() == date(2025, 1, 6)


def test_year_end_closure_becomes_exdates(client):
    year = datetime.now(JST).date().year
    rule = Recurrence("weekly", weekdays=tuple(range(7)), start_time=time(10))
    listing = PlacePageFactory(schedule=[rule], schedule_text="毎日10時から（年末年始は休み）")
    event = only_event(client, listing)
    days = expand(event, date(year, 12, 27), date(year + 1, 1, 5))
    assert days == [
        date(year, 12, 27),
        date(year, 12, 28),
        date(year + 1, 1, 4),
        date(year + 1, 1, 5),
    ]
