"""/search/ and /search/map/ in English (issue 12): every piece of UI text is English.

What members wrote (titles, summaries, area names) and the visitor's own words stay as they
are; the labels, notices, chips, sorts, facets, errors and the near-me messages are English.
The Japanese pages are unchanged (test_search_page.py and the others still read them).
"""

from __future__ import annotations

import re
from datetime import time

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client

from directory.listings.schedules import Recurrence
from directory.models import Area
from tests.factories.directory import AreaFactory, PlacePageFactory
from tests.website.english import english, english_page, japanese_left, main_of

pytestmark = pytest.mark.django_db

WEEKEND_NIGHTS = Recurrence("weekly", weekdays=(5, 6), start_time=time(18), end_time=time(20))
TITLES = ["夜の食堂", "朝のサロン"]


@pytest.fixture
def corpus(reindex):
    district = AreaFactory(name="ひまわり小学校区")
    PlacePageFactory(
        title=TITLES[0],
        summary="土曜と日曜の夜に開く食堂です。",
        area=district,
        categories=["kodomo-shokudo"],
        conditions=["free"],
        schedule=[WEEKEND_NIGHTS],
    )
    PlacePageFactory(title=TITLES[1], summary="月曜の朝のサロンです。", categories=["salon"])
    reindex()
    return district


def page(client: Client, url: str, params: dict, status: int = 200) -> BeautifulSoup:
    html = english_page(english(client).get(url, params), status)
    return BeautifulSoup(html, "html.parser")


def content_words() -> list[str]:
    """Listing content and PF data that stay as written: titles, summaries, area names."""
    areas = [str(area) for area in Area.objects.all()] + [a.name for a in Area.objects.all()]
    return [*TITLES, "土曜と日曜の夜に開く食堂です。", "月曜の朝のサロンです。", *areas]


def japanese_ui(soup: BeautifulSoup, typed: tuple[str, ...] = ()) -> list[str]:
    """Japanese left in the page's main part (text and labels) once content is taken out."""
    return japanese_left(main_of(str(soup)), [*content_words(), *typed])


def test_results_with_words_and_filters_are_english(client, corpus):
    soup = page(client, "/search/", {"q": "食堂", "condition": "free", "age": "8"})
    text = soup.get_text(" ")
    assert "Search drop-in places, support and events" in text
    assert "1 result found" in text
    assert "Filters on (× to remove)" in text and "Age: 8" in text
    assert "Best match" in text and "Soonest" in text
    assert "Show on map" in text and "Near me" in text
    assert "Day of the week" in text and "Time of day" in text and "Sat" in text
    assert "Evening" in text  # 夜, the time of day
    assert "Remove all filters" in text and "Search with these filters" in text
    assert "Next: " in text  # the card's next date
    assert japanese_ui(soup, ("食堂",)) == []


def test_understood_words_are_named_in_english(client, corpus):
    soup = page(client, "/search/", {"q": "土曜 夜"})
    notice = soup.find(class_="search-understood").get_text(" ")
    assert "“Sat”, “Evening”" in notice and "searching with these as filters" in notice
    assert "as typed" in notice
    suggested = [a.get_text() for a in soup.select(".search-help a")]  # words to search with
    assert japanese_ui(soup, ("土曜", "夜", *suggested)) == []


def test_a_date_word_is_read_back_as_an_english_date(client, corpus):
    soup = page(client, "/search/", {"q": "今週末"})
    notice = soup.find(class_="search-understood").get_text(" ")
    assert re.search(r"“This weekend \((Sat|Sun) \d+ \w{3}", notice)
    assert japanese_ui(soup, ("今週末",)) == []


def test_an_empty_result_says_what_to_try_in_english(client, corpus):
    soup = page(client, "/search/", {"q": "ぜんぜんないことば", "condition": "free"})
    text = soup.get_text(" ")
    assert "nothing found" in text and "No listings match." in text
    assert "Try removing a filter" in text and "See all listings" in text
    assert "Find help together" in text and "helpline (phone or chat)" in text
    assert japanese_ui(soup, ("ぜんぜんないことば", "こども食堂", "食堂")) == []


def test_a_weak_result_offers_help_in_english(client, corpus):
    soup = page(client, "/search/", {"q": "しょくど"})
    text = soup.get_text(" ")
    assert "Can't find what you need?" in text
    assert japanese_ui(soup, ("しょくど", "食堂", "こども食堂")) == [] or "Did you mean" in text


def test_partial_matches_are_explained_in_english(client, corpus):
    soup = page(client, "/search/", {"q": "食堂 サロン"})
    partial = soup.find(class_="search-partial")
    assert partial is not None
    assert "have all your words" in partial.get_text(" ") or "has all your words" in str(partial)


def test_bad_input_is_refused_in_english(client, corpus):
    soup = page(client, "/search/", {"age": "abc", "day": "x"}, status=400)
    text = soup.get_text(" ")
    assert "We could not read your search" in text
    assert "Age: Age must be a whole number from 0 to" in text
    assert "“x” is not a day of the week" in text
    assert "Remove the filters and start again" in text
    assert japanese_ui(soup, ("abc",)) == []


def test_an_unknown_place_is_refused_in_english(client, corpus):
    soup = page(client, "/search/", {"place": "どこにもない町"})
    text = soup.get_text(" ")
    assert "We could not find an area or place called “どこにもない町”" in text


def test_a_phone_number_gets_the_notice_in_english(client, corpus):
    soup = page(client, "/search/", {"q": "食堂 090-1234-5678"})
    text = soup.get_text(" ")
    assert "You can search without personal details" in text
    assert "phone number" in text and "platform rule" in text
    assert japanese_ui(soup, ("食堂",)) == []


def test_near_me_messages_for_the_script_are_english(client, corpus):
    soup = page(client, "/search/", {"q": "食堂"})
    near = soup.find(id="near")
    assert near["data-asking"] == "Asking for your location…"
    assert near["data-failed"].startswith("We could not use your location.")
    assert "Use my location" in near.get_text(" ")


def test_the_map_page_is_english(client, corpus):
    soup = page(client, "/search/map/", {"q": "食堂"})
    text = soup.get_text(" ")
    assert "Show as list" in text and "1 result found" in text
    assert "Listings on the map (1)" in text or "Listings not on the map (1)" in text
    attribution = BeautifulSoup(settings.MAP_TILE_ATTRIBUTION, "html.parser").get_text()
    assert japanese_ui(soup, ("食堂", attribution)) == []  # the tiles' credit, as they ask


def test_the_japanese_page_is_unchanged(client, corpus):
    html = client.get("/search/", {"q": "土曜 夜"}).content.decode()
    assert "「土曜」・「夜」 としてさがしています。" in html
    assert "関連度順" in html and "近くをさがす" in html
