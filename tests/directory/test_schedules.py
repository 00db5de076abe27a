"""Next-occurrence calculation: weekly, 第2・第4水曜, month ends, exceptions, validity."""

from datetime import date, datetime, time

import pytest

from directory.schedules import JST, Recurrence, never_occurs, next_occurrences, occurrences


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
