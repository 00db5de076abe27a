"""The site's own pages and error pages in English (issue 12): with the English cookie every
piece of UI text is English, lang and Content-Language say "en", content stays as written."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone, translation

from core.http import Cors
from core.limits import too_many_requests
from tests.website.english import english, english_page, japanese_left, main_of, site_content
from tests.website.test_pf_pages import add_news, group, home, news_index  # noqa: F401
from website.home import QUICK_LINKS
from website.pf_pages import PlatformEventPage

pytestmark = pytest.mark.django_db


def english_client() -> Client:
    client = english(Client())
    client.raise_request_exception = False
    return client


def assert_english(response, content=()) -> str:
    page = english_page(response, response.status_code)  # callers check their error codes
    assert japanese_left(main_of(page), [*content, *site_content()]) == []
    return page


def test_home_page_is_english(client):
    page = assert_english(english(client).get("/"))
    assert "Search by keyword" in page and "For organisations" in page
    assert str(QUICK_LINKS[0].label) == "Children's cafeterias and meals"


def test_helplines_page_is_english(client):
    page = assert_english(english(client).get("/soudan/"))
    assert "<h1>Helplines</h1>" in page


def test_the_404_page_is_english(client):
    response = english(client).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in assert_english(response)


def test_an_api_404_is_english_json(client):
    response = english(client).get("/api/v1/no-such-endpoint/")
    assert json.loads(response.content)["errors"]["__all__"] == [
        "There is no API at this address. Please check the URL."
    ]


def test_the_400_page_is_english(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    response = english_client().post("/join/", {"a": "1", "b": "2", "c": "3"})
    assert response.status_code == 400
    page = assert_english(response)
    assert "The request was not in the right form." in page
    assert "Nothing you entered has been saved." in page


def test_the_500_page_is_english(monkeypatch):
    def broken() -> None:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr("search.views.get_engine", broken)
    response = english_client().get("/search/", {"q": "将棋"})
    assert response.status_code == 500
    assert "A temporary error occurred" in assert_english(response)


def test_the_503_page_is_english_without_the_database():
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("down")):
        response = english_client().get("/")
    assert response.status_code == 503
    page = assert_english(response)
    assert "The service is paused right now." in page
    assert page.count("try again") == 1  # the Japanese page's English line is not repeated


def test_the_429_page_is_english():
    with translation.override("en"):
        response = too_many_requests(30, api=False, cors=Cors.SAME_ORIGIN)
    page = response.content.decode()
    assert '<html lang="en">' in page and "Please wait about 30 seconds" in page
    assert japanese_left(main_of(page)) == []


def test_japanese_error_pages_are_unchanged(client):
    page = client.get("/no-such-page/").content.decode()
    assert '<html lang="ja">' in page and "ページが見つかりません" in page


def test_pf_pages_are_english_around_their_content(client, group, news_index):  # noqa: F811
    """The 事務局's titles and leads stay as written; headings, dates and audience are English."""
    start = timezone.now() + timedelta(days=3)
    group.add_child(instance=PlatformEventPage(title="次の会合", starts_at=start))
    add_news(news_index, "総会のお知らせ", days_ago=1)
    event = PlatformEventPage.objects.get(title="次の会合")
    for url, expected in (
        (group.url, "Working group meetings"),
        (event.url, "For member organisations"),
        (news_index.url, "Get the news by RSS"),
    ):
        page = assert_english(english(client).get(url))
        assert expected in page, url
