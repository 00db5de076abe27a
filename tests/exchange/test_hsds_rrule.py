"""Recurrence ↔ RRULE: both directions, checked against dateutil's RFC 5545 expansion."""

from dataclasses import replace
from datetime import date, datetime, time

import pytest
from dateutil.rrule import rrulestr

from directory.listings.schedules import Recurrence, occurrences
from exchange.rrule import RRuleSpec, UnsupportedRule, from_spec, to_spec

RULES = [
    Recurrence("weekly", weekdays=(0, 2), start_time=time(10), end_time=time(12)),
    Recurrence("weekly", weekdays=(4,), interval=2, valid_from=date(2025, 4, 2)),
    Recurrence("weekly", weekdays=(5,), interval=3),
    Recurrence("monthly", weekdays=(2,), nths=(2, 4), start_time=time(15)),
    Recurrence("monthly", weekdays=(4,), nths=(-1,), valid_until=date(2026, 3, 31)),
    Recurrence("monthly", weekdays=(1, 3), nths=(1, 3), exceptions=frozenset({date(2025, 1, 2)})),
    Recurrence("dates", dates=(date(2025, 5, 3), date(2025, 6, 7), date(2025, 7, 5))),
]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.describe())
def test_round_trip_gives_the_same_rule(rule):
    spec = to_spec(rule)
    assert from_spec(
        spec, start_time=rule.start_time, end_time=rule.end_time, valid_from=rule.valid_from
    ) == [rule]


@pytest.mark.parametrize("rule", RULES[:-1], ids=lambda r: r.describe())
def test_rrule_text_expands_to_the_same_sessions_as_the_rule(rule):
    spec = to_spec(rule)
    first, last = spec.dtstart, date(2026, 12, 31)
    expected = [o.day for o in occurrences([rule], first, last)]
    expanded = rrulestr(spec.rrule_text(), dtstart=datetime.combine(first, time()))
    got = [
        d.date()
        for d in expanded.between(datetime.combine(first, time()), datetime(2027, 1, 1), inc=True)
    ]
    got = [d for d in got if d not in rule.exceptions]
    assert got == expected


def test_monthly_byday_uses_nth_prefixes_and_last():
    spec = to_spec(Recurrence("monthly", weekdays=(2,), nths=(-1, 2, 4)))
    assert spec.byday == ("2WE", "4WE", "-1WE")
    assert spec.rrule_text() == "FREQ=MONTHLY;BYDAY=2WE,4WE,-1WE;WKST=MO"


def test_weekly_interval_and_until_are_written():
    rule = Recurrence("weekly", weekdays=(1,), interval=2, valid_until=date(2025, 12, 31))
    assert to_spec(rule).rrule_text() == "FREQ=WEEKLY;INTERVAL=2;UNTIL=20251231;BYDAY=TU;WKST=MO"


def test_dates_become_dtstart_and_rdates_with_exdates():
    rule = Recurrence(
        "dates",
        dates=(date(2025, 6, 7), date(2025, 5, 3)),
        exceptions=frozenset({date(2025, 6, 7)}),
    )
    spec = to_spec(rule)
    assert (spec.freq, spec.dtstart, spec.rdates) == (None, date(2025, 5, 3), (date(2025, 6, 7),))
    assert spec.exdates == (date(2025, 6, 7),)


def test_mixed_monthly_byday_splits_into_one_rule_per_weekday_set():
    rules = from_spec(RRuleSpec("MONTHLY", byday=("1MO", "3FR", "3MO")))
    assert {(r.nths, r.weekdays) for r in rules} == {((1, 3), (0,)), ((3,), (4,))}


def test_monthly_without_nth_is_weekly():
    assert from_spec(RRuleSpec("MONTHLY", byday=("SA",))) == [Recurrence("weekly", weekdays=(5,))]


def test_a_foreign_dtstart_becomes_valid_from():
    [rule] = from_spec(RRuleSpec("WEEKLY", byday=("MO",), dtstart=date(2025, 9, 1)))
    assert rule.valid_from == date(2025, 9, 1)


@pytest.mark.parametrize(
    "spec",
    [
        RRuleSpec("DAILY", byday=("MO",)),
        RRuleSpec("MONTHLY", interval=2, byday=("1MO",)),
        RRuleSpec("WEEKLY", byday=()),
        RRuleSpec("WEEKLY", byday=("2MO",)),
        RRuleSpec("MONTHLY", byday=("6MO",)),
        RRuleSpec("MONTHLY", byday=("1MO", "TU")),
        RRuleSpec("WEEKLY", byday=("XX",)),
        RRuleSpec(None),
    ],
)
def test_unsupported_rules_raise_with_a_japanese_reason(spec):
    with pytest.raises(UnsupportedRule) as error:
        from_spec(spec)
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in str(error.value))


# 祝日は休み: 2027-01-11 成人の日, 2027-03-22 振替休日, both Mondays.
CLOSED_MONDAYS = Recurrence(
    "weekly",
    weekdays=(0,),
    start_time=time(10),
    exceptions=frozenset({date(2027, 2, 1)}),
    closed_on_holidays=True,
)


def test_holidays_the_rule_would_hit_become_exdates_within_the_window():
    spec = to_spec(CLOSED_MONDAYS, today=date(2026, 12, 1))
    assert spec.closed_on_holidays
    assert {date(2027, 1, 11), date(2027, 2, 1), date(2027, 3, 22)} <= set(spec.exdates)
    assert all(d.weekday() == 0 for d in spec.exdates)
    # A year back and HORIZON_DAYS ahead, no further (DTSTART aside, see below).
    listed = set(spec.exdates) - {spec.dtstart}
    assert min(listed) >= date(2025, 12, 1) and max(listed) <= date(2029, 2, 9)
    assert to_spec(replace(CLOSED_MONDAYS, closed_on_holidays=False)).exdates == (date(2027, 2, 1),)


def test_dtstart_on_a_holiday_is_excluded_even_before_the_window():
    spec = to_spec(CLOSED_MONDAYS, today=date(2026, 12, 1))
    assert spec.dtstart == date(2024, 1, 1)  # 元日, a Monday: DTSTART always counts in RFC 5545
    assert date(2024, 1, 1) in spec.exdates


def test_rule_closed_on_holidays_round_trips_keeping_only_hand_entered_exceptions():
    spec = to_spec(CLOSED_MONDAYS, today=date(2026, 12, 1))
    assert from_spec(spec, start_time=time(10)) == [CLOSED_MONDAYS]


def test_holiday_exdates_without_the_flag_stay_ordinary_exceptions():
    spec = replace(to_spec(CLOSED_MONDAYS, today=date(2026, 12, 1)), closed_on_holidays=False)
    [rule] = from_spec(spec, start_time=time(10))
    assert not rule.closed_on_holidays and date(2027, 1, 11) in rule.exceptions


def test_dates_rule_closed_on_holidays_excludes_the_listed_holiday():
    rule = Recurrence(
        "dates", dates=(date(2027, 1, 10), date(2027, 1, 11)), closed_on_holidays=True
    )
    spec = to_spec(rule)
    assert spec.exdates == (date(2027, 1, 11),)
    assert from_spec(spec) == [rule]
