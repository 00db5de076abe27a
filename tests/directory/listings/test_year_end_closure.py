"""「年末年始は休み」 in a schedule text pauses the listing on 12/29〜1/3 everywhere (issue 16)."""

from datetime import date, datetime, time, timedelta

import pytest

from directory.listings.schedules import (
    JST,
    Recurrence,
    closes_at_year_end,
    flag_closures,
    is_year_end,
    occurrences,
)
from tests.factories.directory import PlacePageFactory

EVERY_DAY = Recurrence("weekly", weekdays=tuple(range(7)), start_time=time(10), end_time=time(12))
YEAR_END = [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)] + [
    date(2027, 1, d) for d in (1, 2, 3)
]


@pytest.mark.parametrize(
    "text",
    [
        "年末年始は休み",
        "毎日 10:00〜12:00（年末年始休館）",
        "土日祝日・年末年始を除く",
        "年末年始（12月29日〜1月3日）はお休みします",
        "祝日、年末年始は休みです",
    ],
)
def test_texts_that_close_over_the_year_end(text):
    assert closes_at_year_end(text)


@pytest.mark.parametrize("text", ["", "年末年始も開催します", "年末年始も休みなし", "毎週水曜"])
def test_texts_that_do_not(text):
    assert not closes_at_year_end(text)


def test_year_end_is_the_29th_of_december_to_the_3rd_of_january():
    days = [date(2026, 12, 28) + timedelta(days=n) for n in range(8)]
    assert [d for d in days if is_year_end(d)] == YEAR_END


@pytest.mark.django_db
def test_a_listing_that_says_so_has_no_session_on_those_days():
    listing = PlacePageFactory(
        schedule=[EVERY_DAY], schedule_text="毎日 10:00〜12:00、年末年始は休み"
    )
    sessions = occurrences(listing.recurrences, date(2026, 12, 27), date(2027, 1, 5))
    assert [s.day for s in sessions] == [
        date(2026, 12, 27),
        date(2026, 12, 28),
        date(2027, 1, 4),
        date(2027, 1, 5),
    ]
    # The resident schedule (next sessions) skips them too.
    after = datetime(2026, 12, 28, 13, tzinfo=JST)
    assert listing.next_occurrences(count=1, after=after)[0].day == date(2027, 1, 4)


@pytest.mark.django_db
def test_a_listing_without_the_words_keeps_its_sessions():
    listing = PlacePageFactory(schedule=[EVERY_DAY], schedule_text="毎日 10:00〜12:00")
    sessions = occurrences(listing.recurrences, date(2026, 12, 29), date(2027, 1, 3))
    assert len(sessions) == 6


def test_flag_closures_lists_new_years_day_once_when_both_flags_close_it():
    rule = Recurrence(
        "weekly", weekdays=tuple(range(7)), closed_on_holidays=True, closed_year_end=True
    )
    closed = flag_closures(rule, date(2026, 12, 28), date(2027, 1, 12))
    # 1月1日 (元日) and 1月11日 (成人の日) are holidays; 12/29〜1/3 is 年末年始.
    assert closed == [*YEAR_END, date(2027, 1, 11)]


@pytest.mark.django_db
def test_hsds_carries_the_closure_as_exdates_and_reads_it_back_as_the_texts():
    from exchange.hsds.export import schedule_objects
    from exchange.hsds.schedules import convert_schedules

    listing = PlacePageFactory(
        schedule=[EVERY_DAY], schedule_text="毎日 10:00〜12:00、年末年始は休み"
    )
    [exported] = schedule_objects(listing)
    year = datetime.now(JST).date().year
    assert f"{year}-12-30" in exported["notes"]  # HSDS has no exception field: notes EXDATE
    [rule] = convert_schedules([exported]).rules
    # The 12/29〜1/3 EXDATEs are what the description says, not hand-entered closures.
    assert rule.closed_year_end and not any(is_year_end(day) for day in rule.exceptions)
