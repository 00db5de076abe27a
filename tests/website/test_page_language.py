"""Japanese by default, English when the visitor chooses it, and pages always say which.

Found (issue 12): an English browser got `Content-Language: en` on a `lang="ja"` page, and no one
could choose English. The site is Japanese whatever the browser asks for, until the header's
switch sets the language cookie; then pages, form errors and headers are all English.
"""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.encoding import iri_to_uri

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/search/?q=食堂", "/join/", "/soudan/"])
def test_an_english_browser_gets_japanese_pages_labelled_japanese(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.get("Content-Language") == "ja"
    assert '<html lang="ja">' in response.content.decode()


def test_an_english_browsers_form_errors_are_japanese(client):
    response = client.post("/join/", {"name": ""}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "This field is required" not in html
    assert "入力してください" in html


def test_admin_login_is_japanese_for_an_english_browser(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in" not in html and "ログイン" in html


def test_a_language_left_active_in_the_thread_does_not_leak_into_a_request(client):
    """Each request is put in Japanese: a worker thread never keeps another request's language."""
    translation.activate("en")
    try:
        html = client.post("/join/", {"name": ""}).content.decode()
    finally:
        translation.deactivate()
    assert "This field is required" not in html and "入力してください" in html


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_switch_remembers_english_and_returns_to_the_same_page(client):
    response = client.get("/language/en/", {"next": "/search/?q=食堂"})
    assert response.status_code == 302 and response["Location"] == iri_to_uri("/search/?q=食堂")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["samesite"] == "Lax" and cookie["max-age"]
    page = client.get("/search/?q=食堂")
    assert page["Content-Language"] == "en" and '<html lang="en">' in page.content.decode()


@pytest.mark.parametrize("url", ["/", "/soudan/", "/join/"])
def test_an_english_page_is_labelled_english_and_links_back_to_japanese(client, url):
    html = english(client).get(url).content.decode()
    assert '<html lang="en">' in html and "Skip to main content" in html
    assert 'lang="ja" hreflang="ja"' in html and "日本語</a>" in html


def test_every_japanese_page_offers_english_in_english(client):
    html = client.get("/").content.decode()
    assert (
        '<a href="/language/en/?next=%2F" lang="en" hreflang="en" rel="nofollow">English</a>'
        in html
    )


def test_english_form_errors_are_english(client):
    html = english(client).post("/join/", {"name": ""}).content.decode()
    assert "This field is required" in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", ""])
def test_the_switch_never_sends_a_visitor_off_the_site(client, target):
    response = client.get("/language/en/", {"next": target})
    assert response["Location"] == "/"


def test_an_unknown_language_is_404_and_an_unknown_cookie_means_japanese(client):
    assert client.get("/language/fr/").status_code == 404
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="ja">' in client.get("/").content.decode()


def test_the_anonymous_page_cache_keeps_each_language_apart(client):
    assert '<html lang="ja">' in client.get("/soudan/").content.decode()
    assert '<html lang="en">' in english(client).get("/soudan/").content.decode()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    assert '<html lang="ja">' in client.get("/soudan/").content.decode()


def test_the_switch_links_the_page_path_without_its_query(client):
    """Found: the link carried the page's unrounded lat/lng and typed words into every page."""
    html = client.get(
        "/search/", {"q": "食堂", "lat": "35.712345", "lng": "139.798765", "kind": "place"}
    ).content.decode()
    assert '<a href="/language/en/?next=%2Fsearch%2F" lang="en"' in html
    assert "35.712345" not in html
