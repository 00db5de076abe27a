"""axe-core sweep (issue 12): WCAG 2.1 A/AA, every impact, on each public page kind in Japanese
and in English, at a phone (390×844) and a desktop (1280×800) size, with a screenshot of each in
test-artifacts/. The only axe check of these pages: the other browser modules test behaviour.

Why one test per language rather than per page: the platform is built once and one browser
context per language visits every page, so the sweep stays cheap in CI; every violation of every
page is still reported together, each line naming its page, language and size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest

from directory.listings.schedules import JST, Recurrence
from directory.models import LocationMode
from search.documents import live_documents
from search.engines.embedded import EmbeddedEngine
from tests.browser.conftest import axe_violations, live_server_context, screenshot
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    MunicipalityFactory,
    PlacePageFactory,
    ServicePageFactory,
    terms,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"390x844": {"width": 390, "height": 844}, "1280x800": {"width": 1280, "height": 800}}
LANGUAGES = ("ja", "en")
OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[139.6, 35.6], [139.8, 35.6], [139.8, 35.8], [139.6, 35.8], [139.6, 35.6]]],
}


@dataclass(frozen=True)
class Sweep:
    """One page of the sweep: its name in file names and messages, its path, and what to do
    after it loads (open a panel) before axe looks."""

    name: str
    path: str
    then: Callable | None = None


def opener(selector: str) -> Callable:
    """Open the <details> panel at `selector`, as a click on its summary would."""
    return lambda page: page.locator(selector).evaluate("(panel) => { panel.open = true; }")


@pytest.fixture
def platform(settings) -> list[Sweep]:
    """A small platform: a member with a place, a service and an event in a mapped district,
    a second member so lists have more than one, and the search index built from them."""
    settings.SEARCH_BACKEND = "embedded"
    MunicipalityFactory()
    district = AreaFactory(name="みどり小学校区", outline=OUTLINE)
    member = MemberFactory(
        name="みどりの会",
        description="地域のだれもが立ち寄れる場をつくっています。",
        contact_point="事務局",
        email="info@example.org",
    )
    member.fields.set(terms("category", ["kodomo-shokudo", "salon"]))
    member.offers.set(terms("offer", ["venue"]))
    member.areas.set([district])
    MemberFactory(name="あおぞらネット")
    common = {
        "member": member,
        "area": district,
        "categories": ["kodomo-shokudo"],
        "targets": ["older-people"],
        "cost_type": "free",
        "description": "毎週、お茶を飲みながら話したり、体操をしたりしています。",
        "keywords": ["お茶会", "体操"],
        "how_to_join": "予約はいりません。\n直接お越しください。",
        "accessibility": "車いすで入れます。",
    }
    today = datetime.now(JST).date()
    place = PlacePageFactory(
        title="みどりの居場所",
        schedule_text="毎週火曜 10:00〜12:00",
        schedule=[Recurrence("weekly", weekdays=(1,), start_time=time(10), end_time=time(12))],
        conditions=["no-reservation"],
        postal_code="999-0001",
        address_building="みどり会館 1階",
        website="https://example.org/midori",
        phone="099-000-2222",
        languages=["ja", "easy-ja"],
        **common,
    )
    service = ServicePageFactory(
        title="みどりの電話相談",
        location_mode=LocationMode.ONLINE,
        address="",
        lat=None,
        lng=None,
        online_url="https://example.org/chat",
        **common,
    )
    event = EventPageFactory(
        title="みどりの体操会",
        schedule=[
            Recurrence("dates", dates=(today + timedelta(days=1),), start_time=time(10)),
        ],
        venue=place,
        **common,
    )
    engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    engine.clear()
    engine.index(live_documents())
    return [
        Sweep("home", "/"),
        Sweep("search-list", "/search/?q=みどり"),
        Sweep("search-map", "/search/map/?q=みどり"),
        Sweep("search-filters", "/search/?q=みどり&condition=no-reservation", opener("#filters")),
        Sweep("events-list", "/events/"),
        Sweep("events-calendar", f"/events/?month={today:%Y-%m}"),
        Sweep(
            "events-filters", "/events/?category=kodomo-shokudo", opener(".event-filters details")
        ),
        Sweep("place", place.url),
        Sweep("service", service.url),
        Sweep("event", event.url),
        Sweep("soudan", "/soudan/"),
        Sweep("match", "/match/"),
        Sweep("partners", "/partners/"),
        Sweep("coverage", "/coverage/"),
        Sweep("members", "/members/"),
        Sweep("member", place.get_parent().url),
        Sweep("join", "/join/"),
        Sweep("report", f"/listings/{place.uuid}/report/"),
        Sweep("404", "/no-such-page/"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations_on_any_page(chromium, live_server, axe_source, platform, language):
    context = live_server_context(chromium, live_server, SIZES["390x844"], scale=1)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    found: list[str] = []
    try:
        for sweep in platform:
            for size, viewport in SIZES.items():
                page.set_viewport_size(viewport)
                response = page.goto(live_server.url + sweep.path)
                assert response is not None
                assert response.status == (404 if sweep.name == "404" else 200), sweep.path
                assert page.locator("html").get_attribute("lang") == language, sweep.path
                if sweep.then:
                    sweep.then(page)
                where = f"{sweep.name} {language} {size} ({sweep.path})"
                found += [
                    f"{where}: {v}" for v in axe_violations(page, live_server.url, axe_source)
                ]
                screenshot(page, f"axe-{sweep.name}-{language}-{size}")
    finally:
        context.close()
    assert found == [], "\n".join(found)
