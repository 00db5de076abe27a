"""One row → Draft (pure): lists, fees, schedules per format, flags. No database needed."""

from datetime import date, time

import pytest

from directory.listings.schedules import Recurrence
from exchange.opendata.columns import FORMATS
from exchange.opendata.reading import Row
from exchange.opendata.rows import read_row

REFERENCE = date(2026, 11, 1)


def draft_of(fmt, **values):
    return read_row(FORMATS[fmt], Row(2, values), reference=REFERENCE)


def test_semicolon_lists_use_the_first_contact_and_keep_the_rest():
    draft = draft_of(
        "facility",
        name="センター",
        url="https://a.example.org;https://b.example.org",
        phone="03-1111-2222；03-1111-3333",
        target="子ども;高齢の方",
        weekdays="月;水;金",
    )
    assert draft.website == "https://a.example.org"
    assert draft.phone == "03-1111-2222"
    assert "https://b.example.org" in draft.description and "03-1111-3333" in draft.description
    assert draft.targets == {"children", "older-people"}
    assert draft.rules == (Recurrence("weekly", weekdays=(0, 2, 4)),)


def test_facility_weekdays_and_times_columns_with_a_note():
    draft = draft_of(
        "facility",
        name="公民館",
        weekdays="月火水木金",
        start_time="９：００",
        end_time="１７：００",
        schedule_note="祝日は休館",
    )
    assert draft.rules == (
        Recurrence(
            "weekly",
            weekdays=(0, 1, 2, 3, 4),
            start_time=time(9),
            end_time=time(17),
            closed_on_holidays=True,
        ),
    )
    assert draft.schedule_text == "月火水木金 09:00〜17:00 祝日は休館"
    assert draft.review == []


def test_note_that_already_says_the_columns_and_closed_on_holidays_is_used_alone():
    draft = draft_of(
        "facility",
        name="ふれあいサロン",
        weekdays="月",
        start_time="10:00",
        end_time="12:00",
        schedule_note="毎週月曜 10:00〜12:00（祝日は休み）",
    )
    assert draft.rules == (
        Recurrence(
            "weekly", weekdays=(0,), start_time=time(10), end_time=time(12), closed_on_holidays=True
        ),
    )
    assert draft.schedule_text == "毎週月曜 10:00〜12:00（祝日は休み）"


def test_event_period_sessions_close_on_holidays_when_the_note_says_so():
    draft = draft_of(
        "event",
        name="冬休みのつどい",
        start_date="2027-01-08",
        end_date="2027-01-12",
        schedule_note="祝日・年末年始は休み",
    )
    (rule,) = draft.rules
    assert rule.closed_on_holidays
    assert not rule.matches(date(2027, 1, 11))  # 成人の日
    assert "祝日・年末年始は休み" in draft.schedule_text


def test_event_note_with_sessions_is_limited_to_the_period():
    draft = draft_of(
        "event",
        name="連続講座",
        start_date="2027-04-01",
        end_date="2028-03-31",
        schedule_note="毎月第2土曜 10:00〜12:00",
    )
    (rule,) = draft.rules
    assert (rule.nths, rule.valid_from, rule.valid_until) == (
        (2,),
        date(2027, 4, 1),
        date(2028, 3, 31),
    )


def test_event_without_any_date_is_an_error_and_never_raises():
    draft = draft_of("event", name="未定の会", schedule_note="未定")
    assert draft.errors and "開催日" in draft.errors[0]


def test_fee_number_and_detail_disagreeing_is_flagged():
    draft = draft_of("event", name="会", start_date="2027-01-01", fee="0", fee_detail="材料費500円")
    assert draft.cost_type == "varies" and "free" not in draft.conditions
    assert draft.cost_text == "0円 / 材料費500円"
    assert any("食い違" in note for note in draft.review)


def test_bare_fee_restated_in_detail_is_not_repeated():
    draft = draft_of("facility", name="館", fee="0", fee_detail="0円")
    assert (draft.cost_text, draft.cost_type) == ("0円", "free")


@pytest.mark.parametrize(
    ("values", "flag"),
    [
        ({"email": "not-an-address"}, "メールアドレス"),
        ({"url": "javascript:alert(1)"}, "URL"),
        ({"postal_code": "12-34"}, "郵便番号"),
        ({"address": "東京都架空市中央1-1", "address_city": "見本町"}, "一致しません"),
        ({"takeout": "要相談"}, "テイクアウト"),
        ({"code": "139997"}, "検査数字"),
    ],
)
def test_doubtful_cells_are_flagged(values, flag):
    draft = draft_of("kodomo-shokudo", name="食堂", **values)
    assert any(flag in note for note in draft.review)
    assert not draft.errors
