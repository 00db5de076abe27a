"""Presentational helpers: Japanese dates, rule descriptions, labels, freshness, location text."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from directory.listings.location import public_location
from directory.listings.schedules import JST, Occurrence, Recurrence
from directory.models import Area, EventPage, LocationMode, PlacePage
from directory.templatetags.listing_tags import (
    describe_rule,
    format_day,
    format_full_date,
    format_occurrence,
    is_stale,
    language_labels,
    recurring_rule_texts,
)

TODAY = date(2026, 11, 22)


def test_day_has_japanese_weekday_and_no_year_this_year():
    assert format_day(date(2026, 12, 10), TODAY) == "12月10日（木）"


def test_day_in_another_year_shows_the_year():
    assert format_day(date(2027, 1, 6), TODAY) == "2027年1月6日（水）"


def test_full_date():
    assert format_full_date(date(2026, 4, 1)) == "2026年4月1日"


def test_occurrence_with_start_and_end():
    occ = Occurrence(
        start=datetime(2026, 12, 9, 15, 0, tzinfo=JST), end=datetime(2026, 12, 9, 17, 0, tzinfo=JST)
    )
    assert format_occurrence(occ, TODAY) == "12月9日（水） 15:00〜17:00"


def test_occurrence_without_end_and_all_day():
    assert (
        format_occurrence(Occurrence(start=datetime(2026, 12, 9, 10, 30, tzinfo=JST)), TODAY)
        == "12月9日（水） 10:30〜"
    )
    all_day = Occurrence(start=datetime(2026, 12, 9, tzinfo=JST), all_day=True)
    assert format_occurrence(all_day, TODAY) == "12月9日（水）"


def test_occurrence_over_midnight_names_the_end_day():
    occ = Occurrence(
        start=datetime(2026, 12, 31, 22, 0, tzinfo=JST), end=datetime(2027, 1, 1, 1, 0, tzinfo=JST)
    )
    assert format_occurrence(occ, TODAY) == "12月31日（木） 22:00〜2027年1月1日（金） 01:00"


def test_occurrence_given_in_utc_is_shown_in_japan_time():
    occ = Occurrence(start=datetime(2026, 12, 9, 6, 0, tzinfo=JST).astimezone(tz=None))
    assert format_occurrence(occ, TODAY).endswith("06:00〜")


def test_rule_description_adds_window_and_future_closures_only():
    rule = Recurrence(
        "monthly",
        weekdays=(2,),
        nths=(2, 4),
        start_time=time(15),
        end_time=time(17),
        valid_from=date(2026, 4, 1),
        valid_until=date(2027, 3, 31),
        exceptions=frozenset({date(2026, 1, 14), date(2026, 12, 23)}),
    )
    assert describe_rule(rule, TODAY) == (
        "毎月第2・第4水曜 15:00〜17:00（2026年4月1日から2027年3月31日まで）　休み: 12月23日（水）"
    )


def test_rule_closed_on_holidays_says_so_and_names_the_holidays_it_skips_soon():
    rule = Recurrence(
        "weekly", weekdays=(0,), start_time=time(10), end_time=time(12), closed_on_holidays=True
    )
    # 勤労感謝の日 and 成人の日 are Mondays within two months; 3月22日（振替休日） is not yet named.
    assert describe_rule(rule, TODAY) == (
        "毎週月曜 10:00〜12:00（祝日は休み）　休み: 11月23日（月）、2027年1月11日（月）"
    )


def test_only_repeating_rules_are_described():
    rules = [
        Recurrence("dates", dates=(date(2026, 12, 1),)),
        Recurrence("weekly", weekdays=(0, 4), start_time=time(10)),
    ]
    assert recurring_rule_texts(rules, TODAY) == ["毎週月・金曜 10:00〜"]


def test_language_labels_in_japanese():
    assert language_labels(["ja", "easy-ja", "jsl", "xx"]) == [
        "日本語",
        "やさしい日本語",
        "手話",
        "xx",
    ]
    assert language_labels([]) == []


def test_stale_after_a_year_or_when_never_verified():
    assert is_stale(None, TODAY)
    assert is_stale(TODAY - timedelta(days=366), TODAY)
    assert not is_stale(TODAY - timedelta(days=365), TODAY)
    assert not is_stale(TODAY, TODAY)


# Page instances look up their content type once, hence the database for these tests.
def area(name: str) -> Area:
    return Area(pk=1, code="999990-001", name=name, level=Area.Level.SCHOOL_DISTRICT)


@pytest.mark.django_db
def test_confidential_location_shows_only_the_area():
    listing = PlacePage(
        title="x", location_mode=LocationMode.CONFIDENTIAL, area=area("さくら小学校区")
    )
    view = public_location(listing)
    assert view.lines == ["所在地は公開していません（さくら小学校区）"]
    assert view.point is None


@pytest.mark.django_db
def test_address_location_has_postal_code_address_building_and_point():
    listing = PlacePage(
        title="x",
        postal_code="999-0001",
        address="架空市中央1-2-3",
        address_building="市民センター2階",
        lat=Decimal("35.1"),
        lng=Decimal("139.2"),
    )
    view = public_location(listing)
    assert view.lines == ["〒999-0001", "架空市中央1-2-3", "市民センター2階"]
    assert view.point == (35.1, 139.2)


@pytest.mark.django_db
def test_online_only_location():
    assert public_location(PlacePage(title="x", location_mode=LocationMode.ONLINE)).lines == [
        "オンライン"
    ]


@pytest.mark.django_db
def test_event_takes_its_venue_address_but_a_confidential_event_never_does():
    venue = PlacePage(title="会場", address="架空市北1丁目", lat=Decimal("35"), lng=Decimal("139"))
    event = EventPage(title="e", venue=venue)
    view = public_location(event)
    assert view.venue is venue
    assert view.lines == ["架空市北1丁目"]
    assert view.point == (35.0, 139.0)

    hidden = EventPage(
        title="e", venue=venue, location_mode=LocationMode.CONFIDENTIAL, area=area("みなみ小学校区")
    )
    view = public_location(hidden)
    assert view.venue is None
    assert view.point is None
    assert view.lines == ["所在地は公開していません（みなみ小学校区）"]


def test_a_session_until_midnight_is_written_24_00():
    # 24:00 is stored as END_OF_DAY (23:59); a page writes it the way members do.
    occ = Occurrence(
        start=datetime(2026, 12, 9, 20, 0, tzinfo=JST),
        end=datetime(2026, 12, 9, 23, 59, tzinfo=JST),
    )
    assert format_occurrence(occ, TODAY) == "12月9日（水） 20:00〜24:00"
    rule = Recurrence("weekly", weekdays=(2,), start_time=time(20), end_time=time(23, 59))
    assert describe_rule(rule, TODAY) == "毎週水曜 20:00〜24:00"
