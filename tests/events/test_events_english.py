"""/events/ in English (issue 12): tabs, calendar, filters, sessions and errors read in English.

Event titles, area names and addresses stay as their members wrote them; the Japanese page is
unchanged (test_events_page.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from directory.listings.schedules import JST, Recurrence
from directory.models import Area
from tests.factories.directory import EventPageFactory
from tests.website.english import english, english_page, japanese_left, main_of

pytestmark = pytest.mark.django_db
TITLE = "こども食堂の日"


def today() -> date:
    return datetime.now(JST).date()


@pytest.fixture
def listed(reindex):
    event = EventPageFactory(
        title=TITLE,
        categories=["kodomo-shokudo"],
        schedule=[Recurrence("dates", dates=(today(),))],  # all day: listed until midnight
    )
    reindex()
    return event


def page(client: Client, params: dict, status: int = 200) -> BeautifulSoup:
    html = english_page(english(client).get("/events/", params), status)
    return BeautifulSoup(html, "html.parser")


def japanese_ui(soup: BeautifulSoup, content: list[str]) -> list[str]:
    areas = [*(str(a) for a in Area.objects.all()), *Area.objects.values_list("name", flat=True)]
    return japanese_left(main_of(str(soup)), [*content, *areas])


@pytest.mark.parametrize("tab", ["today", "week", "month"])
def test_each_tab_is_english(client, listed, tab):
    soup = page(client, {"when": tab})
    text = soup.get_text(" ")
    assert "Events and dates" in text
    assert {"today": "Events: Today", "week": "Events: This week", "month": "Events: This month"}[
        tab
    ] in text
    assert "1 result" in text and "Event or course" in text and "All day" in text
    assert "Calendar" in text and "See in your calendar app" in text
    assert japanese_ui(soup, [TITLE, listed.address or ""]) == []


def test_the_calendar_names_days_and_month_in_english(client, listed):
    soup = page(client, {})
    caption = soup.find("caption").get_text()
    assert re.match(rf"{today():%B %Y} \(select a date with events", caption)
    headers = [th.get_text(strip=True) for th in soup.select("table.month th")]
    assert headers == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert soup.select_one("table.month th abbr")["title"] == "Monday"


def test_one_day_is_headed_with_its_english_date(client, listed):
    soup = page(client, {"date": today().isoformat()})
    assert f"{today():%a} {today().day} {today():%b}" in soup.find(id="list-heading").get_text()


def test_bad_dates_are_refused_in_english(client, listed):
    soup = page(client, {"date": "2020-01-01", "month": "x"}, status=400)
    text = soup.get_text(" ")
    assert "We could not read your search" in text
    assert "You can see dates from today" in text
    assert "Please give the month like 2026-12." in text
    assert japanese_ui(soup, []) == []


def test_the_japanese_page_is_unchanged(client, listed):
    html = client.get("/events/", {"when": "today"}).content.decode()
    assert '<h2 id="list-heading">今日の開催</h2>' in html and "1件" in html
