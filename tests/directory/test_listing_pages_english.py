"""Listing, member and report pages in English (issue 12): every piece of UI text is English.

What members wrote (titles, summaries, addresses, names) stays in Japanese, and an English
listing says so once near the top. The Japanese pages are unchanged (test_listing_page.py and
the report tests still read them in Japanese).
"""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from directory.bootstrap import sync_vocabulary
from directory.listings.schedules import Recurrence, rule_text, rule_text_en
from directory.models import MemberIndexPage, VocabularyTerm
from directory.templatetags.listing_tags import (
    age_text,
    describe_rule,
    format_day,
    format_full_date,
)
from tests.factories.directory import (
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
    member_page_for,
)

pytestmark = pytest.mark.django_db

FACTORIES = {"place": PlacePageFactory, "service": ServicePageFactory, "event": EventPageFactory}
KIND_LABELS = {"place": "Drop-in place", "service": "Support service", "event": "Event or course"}
WEEKLY = [Recurrence("weekly", weekdays=(0,), start_time=time(10), end_time=time(12))]
NOTE = "This listing is shown as its organisation wrote it (in Japanese)."
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]+")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def get(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    return BeautifulSoup(html, "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def japanese_ui(node, content: list[str]) -> list[str]:
    """Japanese left in `node`'s text and aria-labels once the members' words are taken out."""
    labels = [element["aria-label"] for element in node.select("[aria-label]")]
    text = " ".join([text_of(node), *labels])
    for written in sorted(content, key=len, reverse=True):
        text = text.replace(written, " ")
    return JAPANESE.findall(text)


def listing_content(listing) -> list[str]:
    """What the member wrote, and the map provider's required credit (as the provider words it)."""
    member = listing.get_parent().specific.member
    credit = BeautifulSoup(settings.MAP_TILE_ATTRIBUTION, "html.parser").get_text()
    return [listing.title, listing.summary, listing.address, member.name, credit]


@pytest.mark.parametrize("kind", FACTORIES)
def test_every_kind_of_listing_reads_in_english_but_for_what_its_member_wrote(client, kind):
    listing = FACTORIES[kind](
        targets=["children"],
        conditions=["wheelchair"],
        categories=["kodomo-shokudo"],
        age_min=6,
        age_max=12,
        schedule=WEEKLY,
        cost_type="free",
        capacity=20,
        languages=["ja", "en", "jsl"],
    )
    soup = get(english(client), listing.url)
    article = soup.select_one("article")
    labels = [dt.get_text(strip=True) for dt in article.select(".listing-facts dt")]
    assert labels[:6] == ["Who it is for", "Ages", "When", "Where", "Cost", "How to join"]
    text = text_of(article)
    for expected in (
        KIND_LABELS[kind],
        "Children",
        "Children's cafeteria",
        "Wheelchair accessible",
        "Ages 6–12",
        "Every Monday 10:00–12:00",
        "Free",
        "20 people",
        "Japanese, English, Sign language",
        "Report a mistake",
        "Information last checked",
    ):
        assert expected in text, expected
    assert japanese_ui(article, listing_content(listing)) == []
    assert text_of(soup.select_one(".breadcrumbs a")) == "Home"


@pytest.mark.parametrize("kind", FACTORIES)
def test_an_english_listing_says_once_near_the_top_that_it_is_as_written(client, kind):
    listing = FACTORIES[kind](schedule=WEEKLY, description="長い説明。")
    html = str(get(english(client), listing.url).select_one("article"))
    assert html.count(NOTE) == 1
    assert html.index(NOTE) < html.index("listing-facts") < html.index("長い説明。")


def test_the_japanese_listing_has_no_english_note_and_keeps_its_japanese(client):
    listing = PlacePageFactory(schedule=WEEKLY, targets=["children"], cost_type="free")
    html = client.get(listing.url).content.decode()
    assert NOTE not in html and '<html lang="ja">' in html
    assert "毎週月曜 10:00〜12:00" in html and "子ども" in html and "無料" in html


def test_a_paused_listing_explains_itself_in_english(client):
    listing = ServicePageFactory(status="paused", schedule=[])
    text = text_of(get(english(client), listing.url).select_one("article"))
    assert "Paused" in text and "This activity is paused at the moment." in text


def test_the_member_page_and_its_listings_read_in_english(client):
    member = MemberFactory(name="つながり食堂の会")
    member.targets.set(VocabularyTerm.objects.filter(scheme="target", slug="older-people"))
    listing = PlacePageFactory(member=member, schedule=WEEKLY, targets=["children"])
    soup = get(english(client), member_page_for(member).url)
    main = soup.select_one("main") or soup
    text = text_of(main)
    for expected in ("About the organisation", "NPO", "Older people", "Drop-in place", "Children"):
        assert expected in text, expected
    assert "this organisation's dates to your calendar app" in text
    page_titles = [MemberIndexPage.objects.get().title]
    assert japanese_ui(main, [*listing_content(listing), member.kana, *page_titles]) == []


def test_the_members_index_reads_in_english(client):
    members = [MemberFactory(), MemberFactory()]
    index = MemberIndexPage.objects.get()
    soup = get(english(client), index.url)
    main = soup.select_one("main") or soup
    text = text_of(main)
    assert "2 organisations take part in this platform" in text
    assert "Apply to join" in text
    content = [index.title, index.specific.intro, *(m.name for m in members)]
    assert japanese_ui(main, content) == []


def test_the_report_form_and_its_errors_are_english(client):
    listing = PlacePageFactory()
    url = reverse("listing-report", kwargs={"uuid": listing.uuid})
    soup = get(english(client), url)
    text = text_of(soup.select_one("main") or soup)
    for expected in ("Report a mistake", "The date or time is wrong", "(required)", "Send report"):
        assert expected in text, expected
    response = client.post(url, {"reason": "", "message": ""})
    errors = BeautifulSoup(response.content, "html.parser")
    main = errors.select_one("main") or errors
    assert "Please check what you entered." in text_of(main)
    assert "This field is required." in text_of(main.select_one(".field__errors"))
    assert japanese_ui(main, [listing.title]) == []


def test_the_report_thanks_page_is_english(client):
    listing = PlacePageFactory()
    english(client).post(
        reverse("listing-report", kwargs={"uuid": listing.uuid}), {"reason": "schedule"}
    )
    soup = get(client, reverse("listing-report-thanks", kwargs={"uuid": listing.uuid}))
    main = soup.select_one("main") or soup
    assert "Thank you for your report" in text_of(main)
    assert japanese_ui(main, [listing.title]) == []


@pytest.mark.parametrize(
    ("rule", "japanese", "english_text"),
    [
        (WEEKLY[0], "毎週月曜 10:00〜12:00", "Every Monday 10:00–12:00"),
        (
            Recurrence("monthly", weekdays=(5,), nths=(2, 4)),
            "毎月第2・第4土曜",
            "2nd and 4th Saturday of the month",
        ),
        (
            Recurrence("monthly", weekdays=(4,), nths=(-1,), start_time=time(20)),
            "毎月最終金曜 20:00〜",
            "Last Friday of the month 20:00–",
        ),
        (
            Recurrence(
                "weekly",
                weekdays=(1, 3),
                interval=2,
                start_time=time(18),
                end_time=time(23, 59),
                closed_on_holidays=True,
            ),
            "隔週火・木曜 18:00〜24:00（祝日は休み）",
            "Every other Tuesday and Thursday 18:00–24:00 (closed on public holidays)",
        ),
        (
            Recurrence("dates", dates=(date(2027, 5, 9), date(2027, 6, 13))),
            "5月9日、6月13日",
            "9 May, 13 June",
        ),
    ],
)
def test_a_schedule_rule_reads_in_english_and_its_japanese_text_is_unchanged(
    rule, japanese, english_text
):
    assert rule_text(rule) == japanese
    assert rule_text_en(rule) == english_text


def test_dates_and_ages_read_in_english_on_english_pages_only():
    today = date(2026, 12, 1)
    with translation.override("en"):
        assert format_day(date(2026, 12, 10), today) == "Thu 10 Dec"
        assert format_day(date(2027, 1, 6), today) == "Wed 6 Jan 2027"
        assert format_full_date(date(2026, 4, 1)) == "1 April 2026"
        assert age_text(65, None) == "Ages 65 and over"
    with translation.override("ja"):
        assert format_day(date(2026, 12, 10), today) == "12月10日（木）"
        assert age_text(65, None) == "65歳以上"


def test_every_vocabulary_term_has_an_english_label_after_migrate():
    assert not VocabularyTerm.objects.filter(label_en="").exists()


def test_the_next_load_fills_missing_english_labels_and_keeps_edited_ones():
    VocabularyTerm.objects.filter(slug="kodomo-shokudo").update(label_en="")
    VocabularyTerm.objects.filter(slug="salon").update(label_en="Salon (edited)")
    slugs = set(VocabularyTerm.objects.values_list("scheme", "slug"))
    assert sync_vocabulary() == 0
    assert set(VocabularyTerm.objects.values_list("scheme", "slug")) == slugs
    labels = dict(VocabularyTerm.objects.filter(scheme="category").values_list("slug", "label_en"))
    assert labels["kodomo-shokudo"] == "Children's cafeteria"
    assert labels["salon"] == "Salon (edited)"


def test_a_rules_window_and_coming_closures_read_in_english():
    rule = Recurrence(
        "weekly",
        weekdays=(0,),
        start_time=time(10),
        end_time=time(12),
        valid_from=date(2026, 4, 1),
        closed_on_holidays=True,
    )
    today = date(2026, 12, 1)
    with translation.override("en"):
        assert describe_rule(rule, today) == (
            "Every Monday 10:00–12:00 (closed on public holidays) (from 1 April 2026)."
            " Closed: Mon 11 Jan 2027"
        )
    with translation.override("ja"):
        assert describe_rule(rule, today) == (
            "毎週月曜 10:00〜12:00（祝日は休み）（2026年4月1日から）　休み: 2027年1月11日（月）"
        )
