"""/events/ in a browser (issue 12): the home page's 今週 links to the list, and a day of the
calendar is reached with the keyboard alone (axe-core on these pages: test_axe_sweep.py)."""

import re
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from directory.listings.schedules import JST, Recurrence
from search.documents import live_documents
from search.engines.embedded import EmbeddedEngine
from tests.factories.directory import EventPageFactory, PlacePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sessions(settings):
    settings.SEARCH_BACKEND = "embedded"
    today = datetime.now(JST).date()
    EventPageFactory(
        title="親子の工作会",
        categories=["kodomo-shokudo"],
        schedule=[Recurrence("dates", dates=(today,), start_time=time(23), end_time=time(23, 30))],
    )
    PlacePageFactory(
        title="第2・第4水曜のこども食堂",
        schedule=[Recurrence("monthly", weekdays=(2,), nths=(2, 4), start_time=time(17))],
    )
    EventPageFactory(
        title="来週の体操",
        schedule=[Recurrence("dates", dates=(today + timedelta(days=8),), start_time=time(10))],
    )
    engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    engine.clear()
    engine.index(live_documents())
    return today


def test_home_shows_this_weeks_sessions_with_a_link_to_events(phone, live_server, sessions):
    phone.goto(live_server.url + "/")
    week = phone.locator(".home-events")
    expect(week).to_contain_text("親子の工作会")
    expect(week).not_to_contain_text("来週の体操")
    week.get_by_role("link", name="イベントの一覧・カレンダーを見る").click()
    expect(phone).to_have_url(f"{live_server.url}/events/")


def test_a_calendar_day_is_reached_by_keyboard(phone, live_server, sessions):
    phone.goto(live_server.url + f"/events/?month={sessions:%Y-%m}")
    day = phone.locator("table.month a").first
    day.focus()
    expect(day).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(r"date=\d{4}-\d{2}-\d{2}"))
    expect(phone.locator("#list-heading")).to_contain_text("日（")
