"""Keyboard use and the phone flow home → member → listing (axe-core: test_axe_sweep.py)."""

from datetime import time

import pytest
from playwright.sync_api import expect

from directory.listings.schedules import Recurrence
from directory.models import CostType
from tests.browser.conftest import PHONE, screenshot
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    terms,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def listing():
    member = MemberFactory(
        name="ひだまりネットワーク",
        description="子どもから高齢の方まで、だれもが立ち寄れる場をつくっています。",
        contact_point="事務局",
        email="info@example.org",
    )
    member.fields.set(terms("category", ["kodomo-shokudo", "salon"]))
    member.targets.set(terms("target", ["children", "older-people"]))
    district = AreaFactory(name="ひだまり小学校区")
    member.areas.set([district])
    place = PlacePageFactory(
        member=member,
        title="ひだまり食堂",
        kana="ひだまりしょくどう",
        summary="子どもも大人も、みんなでごはんを食べる食堂です。",
        description="毎月第2・第4土曜に開いています。\nひとりでの参加も歓迎します。",
        categories=["kodomo-shokudo"],
        targets=["children", "parents"],
        conditions=["no-reservation", "solo-ok"],
        keywords=["ごはん", "地域食堂"],
        postal_code="999-0001",
        address="架空市中央1-2-3",
        address_building="ひだまり会館 1階",
        area=district,
        schedule_text="毎月第2・第4土曜 11:30〜13:30",
        schedule=[
            Recurrence(
                "monthly",
                weekdays=(5,),
                nths=(2, 4),
                start_time=time(11, 30),
                end_time=time(13, 30),
            )
        ],
        cost_type=CostType.PAID,
        cost_text="子ども無料・大人300円",
        languages=["ja", "easy-ja"],
        phone="099-000-2222",
    )
    EventPageFactory(
        member=member, title="ひだまり体操の会", venue=place, address="", lat=None, lng=None
    )
    return place


def test_tab_reaches_the_skip_link_first_and_focus_is_visible(phone, live_server, listing):
    phone.goto(live_server.url + "/")
    phone.keyboard.press("Tab")
    focused = phone.evaluate(
        """() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          return {cls: el.className, text: el.textContent.trim(), top: box.top, height: box.height,
                  outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
        }"""
    )
    assert focused["cls"] == "skip-link" and focused["text"] == "本文へ移動"
    assert focused["top"] >= 0 and focused["height"] > 0  # shown on focus, inside the viewport
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2
    screenshot(phone, "skip-link-focused")

    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    inside_main = phone.evaluate(
        "() => document.getElementById('main').contains(document.activeElement)"
    )
    assert inside_main, "after the skip link, Tab continues inside <main>"


def test_home_to_listing_on_a_phone(phone, live_server, listing):
    phone.goto(live_server.url + "/")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "home-375")

    phone.get_by_role("link", name="会員団体", exact=True).first.click()
    phone.get_by_role("link", name="ひだまりネットワーク").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "ひだまりネットワーク"
    screenshot(phone, "member-375")

    phone.get_by_role("link", name="ひだまり食堂").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "ひだまり食堂"
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    body = phone.locator("main").inner_text()
    for text in (
        "架空市中央1-2-3",
        "毎月第2・第4土曜 11:30〜13:30",
        "子ども無料・大人300円",
        "情報の誤りを報告",
    ):
        assert text in body
    # Leaflet ran (tiles are blocked offline) and the attribution is visible.
    # expect() waits for the deferred scripts; is_visible() alone raced them on a cold server.
    expect(phone.locator("#listing-map")).to_be_visible()
    expect(phone.locator(".leaflet-control-attribution")).to_be_visible()
    screenshot(phone, "listing-375")
