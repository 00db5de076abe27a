"""The header's language switch in a browser: English and back, by keyboard, without JavaScript.

Why a browser: the switch is a plain link that sets a cookie on a redirect (website.views.
choose_language); only a browser shows that the cookie sticks for the next page, that the link
is reachable by Tab with a name a screen reader reads, and that it works with JavaScript off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories.directory import PlacePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 12  # the switch sits in the header, before the menu


@pytest.fixture
def listing(settings):
    """A listing found by /search/ (the embedded index, built for this test)."""
    from search.documents import live_documents
    from search.engines.embedded import EmbeddedEngine

    settings.SEARCH_BACKEND = "embedded"
    page = PlacePageFactory(title="みどりの居場所")
    engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    engine.clear()
    engine.index(live_documents())
    return page


@pytest.fixture
def no_script(chromium, live_server) -> Iterator:
    """A phone-sized page with JavaScript disabled that can only reach the live server."""
    context = chromium.new_context(viewport=PHONE, locale="ja-JP", java_script_enabled=False)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    yield context.new_page()
    context.close()


def language_cookie(page) -> str | None:
    cookies = page.context.cookies()
    return next((c["value"] for c in cookies if c["name"] == settings.LANGUAGE_COOKIE_NAME), None)


def path_of(page) -> str:
    return urlsplit(page.url).path


def expect_language(page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_english_by_keyboard_then_the_next_page_then_back_to_japanese(phone, live_server, listing):
    phone.goto(live_server.url + "/search/?q=みどり")
    expect_language(phone, "ja")
    expect(phone.locator("main")).to_contain_text("みどりの居場所")
    switch = phone.get_by_role("link", name="English", exact=True)
    expect(switch).to_have_attribute("lang", "en")
    for _ in range(MAX_TABS):
        phone.keyboard.press("Tab")
        if switch.evaluate("link => link === document.activeElement"):
            break
    else:
        pytest.fail(f"the English link is not reached in {MAX_TABS} Tabs")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/search/$"))  # same path; the typed words are not carried
    expect_language(phone, "en")
    assert language_cookie(phone) == "en"

    phone.goto(live_server.url + listing.url)  # the next page stays English
    expect_language(phone, "en")
    listing_path = path_of(phone)
    phone.get_by_role("link", name="日本語", exact=True).click()
    phone.wait_for_load_state()
    expect_language(phone, "ja")
    assert path_of(phone) == listing_path
    assert language_cookie(phone) == "ja"
    expect(phone.get_by_role("link", name="English", exact=True)).to_be_visible()


def test_the_switch_works_without_javascript(no_script, live_server, listing):
    no_script.goto(live_server.url + "/match/")
    expect_language(no_script, "ja")
    no_script.get_by_role("link", name="English", exact=True).click()
    no_script.wait_for_url(live_server.url + "/match/")
    expect_language(no_script, "en")
    expect(no_script.locator("h1")).to_have_text("Find help together")
    assert language_cookie(no_script) == "en"
    no_script.goto(live_server.url + listing.url)
    expect_language(no_script, "en")
    no_script.get_by_role("link", name="日本語", exact=True).click()
    no_script.wait_for_load_state()
    expect_language(no_script, "ja")
    assert language_cookie(no_script) == "ja"
