"""The home page's 今週 and the feed links (issue 12): where residents find the calendars."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from directory.listings.schedules import JST, Recurrence
from directory.models import MemberPage
from tests.factories.directory import EventPageFactory, MemberFactory, PlacePageFactory

pytestmark = pytest.mark.django_db


def test_home_shows_this_weeks_sessions_and_links_to_events(client, reindex):
    today = datetime.now(JST).date()
    EventPageFactory(
        title="今週の親子の会",
        schedule=[Recurrence("dates", dates=(today,), start_time=time(23), end_time=time(23, 59))],
    )
    EventPageFactory(
        title="再来週の会",
        schedule=[Recurrence("dates", dates=(today + timedelta(days=8),), start_time=time(10))],
    )
    reindex()
    html = client.get("/").content.decode()
    section = html.split('id="week-heading"')[1].split('id="needs-heading"')[0]
    assert "今週の親子の会" in section and "再来週の会" not in section
    assert 'href="/events/"' in section


def test_member_page_offers_its_feed_in_words(client):
    member = MemberFactory(slug="kakuu-net")
    PlacePageFactory(member=member)
    page = MemberPage.objects.get(member=member)
    html = client.get(page.url).content.decode()
    feed = reverse("member-ics", kwargs={"slug": "kakuu-net"})
    assert f'<a href="{feed}">この団体の開催日をカレンダーアプリに登録</a>' in html
    assert ".ics" not in html.replace(feed, "")


def test_all_feed_has_every_public_listing(client):
    shown = EventPageFactory(title="みんなの会")
    other = PlacePageFactory(
        title="月1の食堂", schedule=[Recurrence("monthly", weekdays=(2,), nths=(1,))]
    )
    draft = EventPageFactory(title="下書きの会", live=False)
    response = client.get(reverse("all-ics"))
    assert response.status_code == 200
    summaries = {str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert {shown.title, other.title} <= summaries and draft.title not in summaries
