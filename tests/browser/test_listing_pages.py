"""Listing pages in a browser (issue 12, Build 5): contact in the first screens of a phone, a
print button that prints without doubled addresses, and page weight before map tiles (axe-core
and screenshots of each listing kind and a member page: test_axe_sweep.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from directory.listings.schedules import END_OF_DAY, JST, Recurrence
from directory.models import LocationMode
from search.documents import live_documents
from search.engines.embedded import EmbeddedEngine
from tests.browser.conftest import live_server_context
from tests.factories.directory import (
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# The budget: a page and everything it loads, map tiles aside (they are aborted here).
PAGE_WEIGHT_LIMIT = 250 * 1024
# "Within the first screens": the 問い合わせ heading starts inside the first two phone screens.
CONTACT_WITHIN = 2 * PHONE["height"]
KINDS = ("place", "service", "event")
# A member's text as long as real ones, so the layout is tried with real weight above the fold.
DESCRIPTION = (
    "地域のだれもが気軽に立ち寄れる場所です。お茶を飲みながら話したり、本を読んだり、"
    "一人で静かに過ごしたりできます。初めての方も、スタッフが声をかけますので安心してください。"
) * 6


@pytest.fixture
def listings(settings) -> dict[str, str]:
    """One listing of each kind (with the fields residents read) and their member's page."""
    settings.SEARCH_BACKEND = "embedded"
    member = MemberFactory(name="みどりの会", phone="03-1111-2222", email="info@example.org")
    common = {
        "member": member,
        "description": DESCRIPTION,
        "categories": ["kodomo-shokudo"],
        "targets": ["older-people"],
        "keywords": ["お茶会", "体操"],
        "cost_type": "free",
        "how_to_join": "予約はいりません。\n直接お越しください。",
        "accessibility": "車いすで入れます。",
    }
    place = PlacePageFactory(
        title="みどりの居場所",
        schedule_text="毎週火曜 10:00〜12:00",
        schedule=[Recurrence("weekly", weekdays=(1,), start_time=time(10), end_time=time(12))],
        website="https://example.org/midori",
        **common,
    )
    service = ServicePageFactory(
        title="みどりの夜のチャット相談",
        location_mode=LocationMode.ONLINE,
        address="",
        lat=None,
        lng=None,
        online_url="https://example.org/chat",
        schedule_text="毎日 20:00〜24:00",
        schedule=[
            Recurrence("weekly", weekdays=tuple(range(7)), start_time=time(20), end_time=END_OF_DAY)
        ],
        **common,
    )
    soon = datetime.now(JST).date() + timedelta(days=3)
    event = EventPageFactory(
        title="みどりの体操会",
        schedule=[Recurrence("dates", dates=(soon,), start_time=time(10), end_time=time(11))],
        **common,
    )
    engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    engine.clear()
    engine.index(live_documents())
    return {
        "place": place.url,
        "service": service.url,
        "event": event.url,
        "member": place.get_parent().url,
    }


@pytest.fixture
def open_at(chromium, live_server) -> Iterator:
    """open_at(size) → a page of its own browser context at that viewport."""
    contexts = []

    def opener(viewport: dict[str, int]):
        context = live_server_context(chromium, live_server, viewport)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("kind", KINDS)
def test_contact_is_within_the_first_screens_on_a_phone(open_at, live_server, listings, kind):
    page = open_at(PHONE)
    page.goto(live_server.url + listings[kind])
    heading = page.locator("#contact-heading")
    box = heading.bounding_box()
    assert box is not None and box["y"] < CONTACT_WITHIN, f"問い合わせ at {box} px"
    contact = page.locator(".listing-contact")
    expect(contact.locator('a[href="tel:0311112222"]')).to_be_visible()
    expect(contact).to_contain_text("団体の連絡先")


def test_print_button_prints_and_print_css_writes_each_address_once(open_at, live_server, listings):
    page = open_at(PHONE)
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page.goto(live_server.url + listings["place"])
    button = page.get_by_role("button", name="このページを印刷する")
    button.click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    expect(button).to_be_hidden()
    after = "(el) => getComputedStyle(el, '::after').content"
    website = page.locator('.details a[href="https://example.org/midori"]').first
    assert website.inner_text() == "https://example.org/midori"
    assert website.evaluate(after) == "none", "a link showing its address is not printed twice"
    page.goto(live_server.url + listings["service"])
    guide = page.locator('.details a[href="https://example.org/chat"]')
    assert "https://example.org/chat" in guide.evaluate(after), "a worded link prints its address"


def test_without_javascript_no_dead_print_button(chromium, live_server, listings):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + listings["place"])
    expect(page.locator("button[data-print]")).to_be_hidden()
    expect(page.locator(".listing-facts")).to_contain_text("毎週火曜 10:00〜12:00")
    context.close()


@pytest.mark.parametrize("which", ["home", "search", *KINDS])
def test_page_weight_before_map_tiles(open_at, live_server, listings, which):
    paths = {"home": "/", "search": "/search/?q=みどり", **listings}
    page = open_at(PHONE)
    sizes: list[int] = []

    def count(request) -> None:
        transferred = request.sizes()
        sizes.append(transferred["responseBodySize"] + transferred["responseHeadersSize"])

    page.on("requestfinished", count)
    page.goto(live_server.url + paths[which], wait_until="networkidle")
    assert sizes, "the page loaded something"
    total = sum(sizes)
    assert total <= PAGE_WEIGHT_LIMIT, f"{paths[which]}: {total / 1024:.0f} KB"
