"""The resident listing page (issue 12, Build 5): facts first, one schedule, print, calendar,
directions and a contact that falls back to the member's.

Each kind (居場所, 支援・サービス, イベント) renders through templates/directory/listing_page.html;
the tests read the HTML a resident gets, not template internals.
"""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from directory.listings.schedules import Recurrence
from directory.models import LocationMode
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {"place": PlacePageFactory, "service": ServicePageFactory, "event": EventPageFactory}
WEEKLY = [Recurrence("weekly", weekdays=(1,), start_time=time(10), end_time=time(12))]


def page_of(client: Client, listing) -> BeautifulSoup:
    response = client.get(listing.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text_of(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


@pytest.mark.parametrize("kind", FACTORIES)
def test_every_kind_opens_with_what_for_whom_when_where_cost_and_how_to_join(client, kind):
    listing = FACTORIES[kind](
        title="木曜のつどい",
        targets=["children"],
        age_min=6,
        age_max=12,
        schedule=WEEKLY,
        cost_type="free",
        how_to_join="予約なしで来てください。",
        description="長い説明。" * 200,
    )
    soup = page_of(client, listing)
    facts = soup.select_one(".listing-facts")
    assert facts is not None
    labels = [dt.get_text(strip=True) for dt in facts.select("dt")]
    assert labels[:6] == ["対象", "対象年齢", "いつ", "どこ", "費用", "参加のしかた"]
    html = str(soup.select_one("article"))
    # 問い合わせ comes before the long description, not at the bottom of the page.
    assert html.index('id="contact-heading"') < html.index("長い説明。")
    assert html.index("listing-facts") < html.index("長い説明。")


@pytest.mark.parametrize("kind", FACTORIES)
def test_every_kind_has_a_print_button_that_works_through_the_shared_script(client, kind):
    soup = page_of(client, FACTORIES[kind](schedule=WEEKLY))
    button = soup.select_one("button[data-print]")
    assert button is not None and "印刷" in button.get_text()
    assert any(s.get("src", "").endswith("js/print.js") for s in soup.select("script"))


def test_a_link_that_shows_its_own_address_is_not_printed_twice(client, settings):
    member = MemberFactory(website="https://example.org/dantai")
    soup = page_of(client, PlacePageFactory(member=member, website="https://example.org/basho"))
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    printed = re.search(r"a\[href\^=\"http\"\](:not\(\.[\w-]+\))?::after", css)
    assert printed, "print CSS writes a link's address after it"
    excluded = printed.group(1)
    assert excluded, "…but not after a link whose text is already its address"
    cls = excluded[len(":not(.") : -1]
    for link in soup.select(".details a[href^=http]"):
        if link.get_text(strip=True) == link["href"]:
            assert cls in link.get("class", []), link


def test_a_recurring_place_can_be_added_to_a_calendar_without_the_word_ics(client):
    place = PlacePageFactory(schedule=WEEKLY)
    soup = page_of(client, place)
    link = soup.find("a", href=reverse("listing-ics", kwargs={"uuid": place.uuid}))
    assert link is not None and "カレンダー" in link.get_text()
    assert ".ics" not in text_of(soup)


def test_a_listing_without_sessions_offers_no_calendar(client):
    place = PlacePageFactory(schedule=[])
    soup = page_of(client, place)
    assert soup.find("a", href=reverse("listing-ics", kwargs={"uuid": place.uuid})) is None


def test_a_public_point_has_directions_in_gsi_maps_and_openstreetmap(client):
    soup = page_of(client, PlacePageFactory(lat=Decimal("35.681236"), lng=Decimal("139.767125")))
    hrefs = [a["href"] for a in soup.select(".listing-directions a")]
    assert any(h.startswith("https://maps.gsi.go.jp/") and "35.681236" in h for h in hrefs)
    assert any(
        h.startswith("https://www.openstreetmap.org/directions") and "139.767125" in h
        for h in hrefs
    )


@pytest.mark.parametrize("mode", [LocationMode.CONFIDENTIAL, LocationMode.ONLINE])
def test_no_directions_for_a_confidential_or_online_place(client, mode):
    area = AreaFactory()
    listing = PlacePageFactory(location_mode=mode, area=area, address="", lat=None, lng=None)
    html = client.get(listing.url).content.decode()
    assert "listing-directions" not in html
    assert "openstreetmap.org/directions" not in html and "maps.gsi.go.jp" not in html


def test_midnight_is_written_24_00_everywhere_on_an_online_service(client):
    service = ServicePageFactory(
        location_mode=LocationMode.ONLINE,
        address="",
        lat=None,
        lng=None,
        schedule_text="毎日 20:00〜24:00",
        schedule=[
            Recurrence(
                "weekly", weekdays=tuple(range(7)), start_time=time(20), end_time=time(23, 59)
            )
        ],
    )
    text = text_of(page_of(client, service))
    assert "23:59" not in text
    assert "20:00〜24:00" in text


@pytest.mark.parametrize("kind", FACTORIES)
def test_the_schedule_is_presented_once(client, kind):
    listing = FACTORIES[kind](schedule_text="毎週火曜の午前中", schedule=WEEKLY)
    text = text_of(page_of(client, listing))
    assert "開催ルール" not in text
    assert text.count("毎週火曜の午前中") == 1
    assert "毎週火曜 10:00〜12:00" not in text, "the rule is not said a second time"


def test_without_a_schedule_text_the_rule_is_the_schedule(client):
    text = text_of(page_of(client, PlacePageFactory(schedule_text="", schedule=WEEKLY)))
    assert text.count("毎週火曜 10:00〜12:00") == 1


def test_empty_contact_fields_fall_back_to_the_members_and_say_so(client):
    member = MemberFactory(phone="03-1111-2222", email="info@example.org")
    listing = ServicePageFactory(
        member=member, contact_point="相談窓口", phone="", email="", website=""
    )
    soup = page_of(client, listing)
    contact = soup.select_one("#contact-heading").find_parent("section")
    assert contact.find("a", href="tel:0311112222") is not None
    assert contact.find("a", href="mailto:info@example.org") is not None
    assert "相談窓口" in contact.get_text()
    assert "団体の連絡先" in contact.get_text()


def test_a_listing_with_its_own_phone_and_mail_does_not_claim_the_members(client):
    member = MemberFactory(phone="03-1111-2222", email="info@example.org", website="")
    listing = PlacePageFactory(member=member, phone="03-3333-4444", email="basho@example.org")
    contact = page_of(client, listing).select_one("#contact-heading").find_parent("section")
    assert contact.find("a", href="tel:0333334444") is not None
    assert "03-1111-2222" not in contact.get_text()
    assert "団体の連絡先" not in contact.get_text()
