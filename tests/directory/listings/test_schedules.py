"""Next-occurrence calculation: weekly, 第2・第4水曜, month ends, exceptions, validity."""

import json
from dataclasses import replace
from datetime import date, datetime, time

import pytest

from directory.listings.schedules import (
    END_OF_DAY,
    JST,
    Recurrence,
    closes_at_year_end,
    holidays_hit,
    is_japanese_holiday,
    never_occurs,
    next_occurrences,
    occurrences,
    recurrence_from_block,
    recurrence_to_block,
    rule_text,
)
from directory.models import PlacePage
from exchange.opendata.schedule_text import parse_schedule_text
from tests.factories.directory import PlacePageFactory


def days(rule: Recurrence, first: date, last: date) -> list[date]:
    return [occ.day for occ in occurrences([rule], first, last)]


def test_second_and_fourth_wednesday():
    rule = Recurrence("monthly", weekdays=(2,), nths=(2, 4), start_time=time(15), end_time=time(17))
    assert days(rule, date(2026, 12, 1), date(2027, 1, 31)) == [
        date(2026, 12, 9),
        date(2026, 12, 23),
        date(2027, 1, 13),
        date(2027, 1, 27),
    ]


def test_last_friday_handles_month_ends_of_any_length():
    rule = Recurrence("monthly", weekdays=(4,), nths=(-1,))
    assert days(rule, date(2027, 1, 1), date(2027, 4, 30)) == [
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 3, 26),
        date(2027, 4, 30),
    ]


def test_fifth_weekday_only_in_months_that_have_one():
    rule = Recurrence("monthly", weekdays=(0,), nths=(5,))
    assert days(rule, date(2026, 11, 1), date(2027, 3, 31)) == [
        date(2026, 11, 30),
        date(2027, 3, 29),
    ]


def test_holidays_given_as_exceptions_are_skipped():
    rule = Recurrence(
        "weekly", weekdays=(0,), exceptions=frozenset({date(2027, 1, 11)})
    )  # 成人の日
    assert days(rule, date(2027, 1, 4), date(2027, 1, 18)) == [date(2027, 1, 4), date(2027, 1, 18)]


def test_every_other_week_counts_from_valid_from():
    rule = Recurrence("weekly", weekdays=(5,), interval=2, valid_from=date(2026, 12, 5))
    assert days(rule, date(2026, 12, 1), date(2026, 12, 31)) == [
        date(2026, 12, 5),
        date(2026, 12, 19),
    ]


def test_next_occurrences_skip_sessions_that_have_ended():
    rule = Recurrence("weekly", weekdays=(2,), start_time=time(15), end_time=time(17))
    during = datetime(2026, 12, 9, 16, 0, tzinfo=JST)
    after = datetime(2026, 12, 9, 17, 30, tzinfo=JST)
    assert next_occurrences([rule], after=during, count=1)[0].day == date(2026, 12, 9)
    assert next_occurrences([rule], after=after, count=1)[0].day == date(2026, 12, 16)


def test_next_occurrences_merge_rules_in_time_order():
    rules = [
        Recurrence("dates", dates=(date(2027, 2, 1),), start_time=time(10)),
        Recurrence("monthly", weekdays=(2,), nths=(2,), start_time=time(18)),
    ]
    found = next_occurrences(rules, after=datetime(2027, 1, 1, tzinfo=JST), count=3)
    assert [o.day for o in found] == [date(2027, 1, 13), date(2027, 2, 1), date(2027, 2, 10)]
    assert found[0].start.tzinfo is not None


def test_open_ended_rule_far_ahead_is_still_found():
    rule = Recurrence("dates", dates=(date(2028, 6, 1),))
    assert next_occurrences([rule], after=datetime(2027, 1, 1, tzinfo=JST), count=1)[0].day == date(
        2028, 6, 1
    )


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            Recurrence(
                "monthly",
                weekdays=(0,),
                nths=(5,),
                valid_from=date(2027, 2, 1),
                valid_until=date(2027, 2, 28),
            ),
            True,
        ),
        (
            Recurrence(
                "weekly", weekdays=(2,), valid_from=date(2027, 2, 1), valid_until=date(2027, 2, 2)
            ),
            True,
        ),
        (
            Recurrence(
                "dates", dates=(date(2027, 1, 1),), exceptions=frozenset({date(2027, 1, 1)})
            ),
            True,
        ),
        (Recurrence("weekly", weekdays=(2,)), False),
    ],
)
def test_never_occurs(rule, expected):
    assert never_occurs(rule, today=date(2026, 11, 22)) is expected


def test_describe_reads_as_japanese():
    rule = Recurrence("monthly", weekdays=(2,), nths=(2, 4), start_time=time(15), end_time=time(17))
    assert rule.describe() == "毎月第2・第4水曜 15:00〜17:00"


# -- 祝日は休み ---------------------------------------------------------------------------------
MONDAYS = Recurrence("weekly", weekdays=(0,), start_time=time(10), end_time=time(12))
CLOSED_ON_HOLIDAYS = replace(MONDAYS, closed_on_holidays=True)


def test_japanese_holidays_include_substitute_and_happy_monday_days():
    assert is_japanese_holiday(date(2027, 1, 11))  # 成人の日（ハッピーマンデー）
    assert is_japanese_holiday(date(2027, 3, 22))  # 振替休日（春分の日が日曜）
    assert not is_japanese_holiday(date(2027, 1, 18))


def test_rule_closed_on_holidays_skips_happy_monday_and_substitute_holiday():
    assert days(CLOSED_ON_HOLIDAYS, date(2027, 1, 4), date(2027, 1, 18)) == [
        date(2027, 1, 4),
        date(2027, 1, 18),
    ]
    assert date(2027, 3, 22) not in days(CLOSED_ON_HOLIDAYS, date(2027, 3, 1), date(2027, 3, 31))
    # Without the flag a holiday is a session day like any other.
    assert date(2027, 1, 11) in days(MONDAYS, date(2027, 1, 4), date(2027, 1, 18))


def test_next_occurrence_after_a_holiday_monday_is_the_following_week():
    after = datetime(2027, 1, 5, tzinfo=JST)
    assert next_occurrences([CLOSED_ON_HOLIDAYS], after=after, count=1)[0].day == date(2027, 1, 18)


def test_holidays_hit_lists_only_the_holidays_the_rule_would_otherwise_have():
    assert holidays_hit(CLOSED_ON_HOLIDAYS, date(2027, 1, 1), date(2027, 3, 31)) == [
        date(2027, 1, 11),
        date(2027, 3, 22),
    ]
    assert holidays_hit(MONDAYS, date(2027, 1, 1), date(2027, 3, 31)) == []


def test_describe_says_closed_on_holidays():
    assert CLOSED_ON_HOLIDAYS.describe() == "毎週月曜 10:00〜12:00（祝日は休み）"


def test_block_round_trip_keeps_the_flag_and_old_values_read_as_open_on_holidays():
    block_type, value = recurrence_to_block(CLOSED_ON_HOLIDAYS)
    assert value["closed_on_holidays"] is True
    stored = {**value, "start_time": time(10), "end_time": time(12)}
    assert recurrence_from_block(block_type, stored) == CLOSED_ON_HOLIDAYS
    # A value saved before the field existed has no key at all.
    del stored["closed_on_holidays"]
    assert recurrence_from_block(block_type, stored).closed_on_holidays is False


@pytest.mark.django_db
def test_schedules_stored_before_the_flag_existed_load_as_open_on_holidays():
    page = PlacePageFactory(schedule=[])
    stored = {"type": "weekly", "value": {"weekdays": ["0"], "interval": 1, "exceptions": []}}
    PlacePage.objects.filter(pk=page.pk).update(schedule=json.dumps([stored]))
    page = PlacePage.objects.get(pk=page.pk)
    assert page.recurrences == [Recurrence("weekly", weekdays=(0,))]
    assert page.schedule[0].value["closed_on_holidays"] is False


# -- one Japanese renderer for pages, iCal, HSDS and the open-data CSV --------------------------
def test_pages_and_the_open_data_csv_name_a_fortnightly_rule_the_same_way() -> None:
    from directory.listings.schedules import rule_text

    rule = Recurrence("weekly", weekdays=(1,), interval=2, start_time=time(10))
    assert rule.describe() == rule_text(rule) == "隔週火曜 10:00〜"
    assert rule_text(rule, exact=True) == "隔週火曜 10:00〜"


def test_a_rule_every_third_week_keeps_its_interval_in_the_csv() -> None:
    from directory.listings.schedules import rule_text

    rule = Recurrence("weekly", weekdays=(3,), interval=3)
    assert rule_text(rule, exact=True) == rule.describe() == "3週ごと木曜"


def test_exact_dates_keep_their_years_and_every_date() -> None:
    from directory.listings.schedules import rule_text

    days = tuple(date(2027, 1, day) for day in range(1, 9))
    rule = Recurrence("dates", dates=days)
    assert rule.describe() == "1月1日、1月2日、1月3日、1月4日、1月5日、1月6日 ほか"
    assert rule_text(rule, exact=True) == "・".join(f"2027年1月{day}日" for day in range(1, 9))


def test_the_open_data_exporter_has_no_renderer_of_its_own() -> None:
    from directory.listings import schedules
    from exchange.opendata import exporter

    assert exporter.rule_text is schedules.rule_text


@pytest.mark.parametrize(
    ("holidays", "year_end", "note"),
    [
        (True, True, "（祝日・年末年始は休み）"),
        (False, True, "（年末年始は休み）"),
        (True, False, "（祝日は休み）"),
    ],
)
def test_a_rule_as_text_says_its_closures_so_an_export_read_back_keeps_them(
    holidays, year_end, note
):
    rule = Recurrence(
        frequency="weekly",
        weekdays=(0,),
        start_time=time(10, 0),
        closed_on_holidays=holidays,
        closed_year_end=year_end,
    )
    text = rule_text(rule)
    assert text.endswith(note)
    assert closes_at_year_end(text) is year_end


def test_midnight_is_written_24_00_and_reads_back_as_the_same_rule():
    rule = Recurrence("weekly", weekdays=(4,), start_time=time(20), end_time=END_OF_DAY)
    assert rule_text(rule) == "毎週金曜 20:00〜24:00"
    assert parse_schedule_text(rule_text(rule, exact=True)).rules == (rule,)
