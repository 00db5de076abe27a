"""JSON-LD (issue 16): a multi-session event lists every upcoming session as a subEvent."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from directory.listings.schedules import Recurrence
from directory.models import LocationMode
from exchange.jsonld import document_for
from tests.factories.directory import AreaFactory, EventPageFactory

pytestmark = pytest.mark.django_db
BASE = "https://pf.example.jp/"


def test_dated_event_lists_all_its_upcoming_sessions():
    today = timezone.localdate()
    days = tuple(today + timedelta(days=n) for n in (-7, 3, 10, 40))
    event = EventPageFactory(
        title="親子の工作会",
        schedule=[Recurrence("dates", dates=days, start_time=time(10), end_time=time(11, 30))],
    )
    data = document_for(event, BASE)
    starts = [sub["startDate"][:10] for sub in data["subEvent"]]
    assert starts == [d.isoformat() for d in days[1:]]
    first = data["subEvent"][0]
    assert first["@type"] == "Event" and first["name"] == "親子の工作会"
    assert first["endDate"].endswith("T11:30:00+09:00")
    assert first["location"] == data["location"]
    assert data["startDate"] == first["startDate"]


def test_single_session_event_has_no_sub_events():
    day = timezone.localdate() + timedelta(days=20)
    event = EventPageFactory(schedule=[Recurrence("dates", dates=(day,))])
    data = document_for(event, BASE)
    assert data["startDate"] == day.isoformat()
    assert "subEvent" not in data


def test_sub_events_of_a_confidential_event_carry_no_address():
    area = AreaFactory(name="架空第二小学校区")
    today = timezone.localdate()
    event = EventPageFactory(
        location_mode=LocationMode.CONFIDENTIAL,
        area=area,
        schedule=[Recurrence("dates", dates=(today + timedelta(1), today + timedelta(8)))],
    )
    data = document_for(event, BASE)
    for sub in data["subEvent"]:
        assert "address" not in sub["location"] and "geo" not in sub["location"]
