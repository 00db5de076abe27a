"""The Japanese schedule-text parser on what municipal files really write."""

from datetime import date, time

import pytest

from directory.listings.schedules import Recurrence
from exchange.opendata.schedule_text import (
    REASON_BAD_DATE,
    REASON_BAD_TIME,
    REASON_BIWEEKLY,
    REASON_DAY_OF_MONTH,
    REASON_TIME_ONLY,
    REASON_UNREAD,
    REASON_WRONG_WEEKDAY,
    parse_schedule_text,
)

REFERENCE = date(2026, 11, 1)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAYS = (MON, TUE, WED, THU, FRI)


def weekly(days, start=None, end=None, interval=1, holidays=False):
    return Recurrence(
        "weekly",
        weekdays=days,
        interval=interval,
        start_time=start,
        end_time=end,
        closed_on_holidays=holidays,
    )


def monthly(nths, days, start=None, end=None):
    return Recurrence("monthly", weekdays=days, nths=nths, start_time=start, end_time=end)


def dates(*days, start=None, end=None):
    return Recurrence("dates", dates=days, start_time=start, end_time=end)


T = time

FULLY_PARSED = [
    ("毎週月・水・金 10:00〜16:00", [weekly((MON, WED, FRI), T(10), T(16))]),
    ("月火水木金", [weekly(WEEKDAYS)]),
    ("月〜金", [weekly(WEEKDAYS)]),
    ("月曜〜金曜 9:00-17:00", [weekly(WEEKDAYS, T(9), T(17))]),
    ("土日", [weekly((SAT, SUN))]),
    ("毎水曜日", [weekly((WED,))]),
    ("平日 9時半〜17時", [weekly(WEEKDAYS, T(9, 30), T(17))]),
    ("毎日 7:00〜", [weekly(tuple(range(7)), T(7))]),
    ("毎月第2・第4土曜 11:30～13:30", [monthly((2, 4), (SAT,), T(11, 30), T(13, 30))]),
    (
        "第4水曜日(1)17：00～17：45　(2)17：45～18：30",
        [monthly((4,), (WED,), T(17), T(17, 45)), monthly((4,), (WED,), T(17, 45), T(18, 30))],
    ),
    (
        "第４水曜日①１７時～１７時４５分②１７時４５分～１８時３０分",
        [monthly((4,), (WED,), T(17), T(17, 45)), monthly((4,), (WED,), T(17, 45), T(18, 30))],
    ),
    ("第1・3日曜日", [monthly((1, 3), (SUN,))]),
    ("第2週と第4週の土曜日", [monthly((2, 4), (SAT,))]),
    ("最終金曜", [monthly((-1,), (FRI,))]),
    ("毎月最終土曜日 10時〜12時", [monthly((-1,), (SAT,), T(10), T(12))]),
    (
        "第2土曜と第4日曜 13:00〜15:00",
        [monthly((2,), (SAT,), T(13), T(15)), monthly((4,), (SUN,), T(13), T(15))],
    ),
    ("午前10時〜午後3時 毎週火曜", [weekly((TUE,), T(10), T(15))]),
    ("毎週木曜 午後5時〜7時", [weekly((THU,), T(17), T(19))]),
    ("10:00〜16:00 月〜金", [weekly(WEEKDAYS, T(10), T(16))]),
    ("2026年12月5日", [dates(date(2026, 12, 5))]),
    ("12/5(土)", [dates(date(2026, 12, 5))]),
    ("１２／５（土）１０：００～１２：００", [dates(date(2026, 12, 5), start=T(10), end=T(12))]),
    ("2027-01-09", [dates(date(2027, 1, 9))]),
    ("令和8年12月19日", [dates(date(2026, 12, 19))]),
    ("12月5日・19日 10:00〜", [dates(date(2026, 12, 5), date(2026, 12, 19), start=T(10))]),
    (
        "12/5(土)、12/19(土) 11時〜13時",
        [dates(date(2026, 12, 5), date(2026, 12, 19), start=T(11), end=T(13))],
    ),
    ("3月7日", [dates(date(2027, 3, 7))]),  # without a year: the next 7 March
    ("10月20日", [dates(date(2026, 10, 20))]),  # …unless it was only recently
]


@pytest.mark.parametrize(("text", "expected"), FULLY_PARSED)
def test_text_becomes_rules_with_nothing_left_over(text, expected):
    parsed = parse_schedule_text(text, reference=REFERENCE)
    assert list(parsed.rules) == expected
    assert parsed.leftovers == ()
    assert parsed.complete


CLOSURES = [
    ("月〜金 9:00-17:00（祝日休み）", [weekly(WEEKDAYS, T(9), T(17), holidays=True)], True),
    ("毎日(水曜休み)", [weekly((MON, TUE, THU, FRI, SAT, SUN))], False),
    ("月〜土 10時〜18時 定休日:水曜", [weekly((MON, TUE, THU, FRI, SAT), T(10), T(18))], False),
    ("土日祝休み", [], True),
    ("毎週金曜（祝日・年末年始は休み）", [weekly((FRI,), holidays=True)], True),
    (
        "第2・第4水曜 15時〜17時 祝日は休館",
        [
            Recurrence(
                "monthly",
                weekdays=(WED,),
                nths=(2, 4),
                start_time=T(15),
                end_time=T(17),
                closed_on_holidays=True,
            )
        ],
        True,
    ),
    (
        "2027年1月8日〜1月12日（祝日は休み）",
        [
            Recurrence(
                "dates",
                dates=tuple(date(2027, 1, d) for d in range(8, 13)),
                closed_on_holidays=True,
            )
        ],
        True,
    ),
]


@pytest.mark.parametrize(("text", "expected", "holidays"), CLOSURES)
def test_closures_are_notes_remove_closed_weekdays_and_close_rules_on_holidays(
    text, expected, holidays
):
    parsed = parse_schedule_text(text, reference=REFERENCE)
    assert list(parsed.rules) == expected
    assert parsed.leftovers == ()
    assert parsed.notes
    assert parsed.closed_on_holidays is holidays


LEFT_OVER = [
    ("毎月15日", [], "毎月15日", REASON_DAY_OF_MONTH),
    ("毎月１５日　１０時～１２時", [], "毎月１５日　１０時～１２時", REASON_DAY_OF_MONTH),
    ("隔週火曜", [weekly((TUE,), interval=2)], "隔週火曜", REASON_BIWEEKLY),
    ("雨天中止", [], "雨天中止", REASON_UNREAD),
    ("月1回", [], "月1回", REASON_UNREAD),
    ("午前10時〜午後3時", [], "午前10時〜午後3時", REASON_TIME_ONLY),
    ("12/5(金)", [], "12/5(金)", REASON_WRONG_WEEKDAY),
    ("2026年2月30日", [], "2026年2月30日", REASON_BAD_DATE),
    (
        "毎週月曜 ２５：００〜２６：００",
        [weekly((MON,))],
        "２５：００〜２６：００",
        REASON_BAD_TIME,
    ),
    ("毎週月曜 16:00〜15:00", [weekly((MON,))], "16:00〜15:00", REASON_BAD_TIME),
    ("４月から", [], "４月から", REASON_UNREAD),
]


@pytest.mark.parametrize(("text", "expected", "fragment", "reason"), LEFT_OVER)
def test_what_is_not_a_rule_is_returned_verbatim_with_a_reason(text, expected, fragment, reason):
    parsed = parse_schedule_text(text, reference=REFERENCE)
    assert list(parsed.rules) == expected
    assert [(left.text, left.reason) for left in parsed.leftovers] == [(fragment, reason)]
    assert not parsed.complete


def test_parsed_parts_and_unparsed_parts_of_one_text_are_both_kept():
    parsed = parse_schedule_text("毎週水曜 10:00〜12:00 ※夏休み期間は別日程", reference=REFERENCE)
    assert list(parsed.rules) == [weekly((WED,), T(10), T(12))]
    assert [left.text for left in parsed.leftovers] == ["※夏休み期間は別日程"]


def test_a_month_is_not_read_as_monday():
    parsed = parse_schedule_text("4月から毎週土曜", reference=REFERENCE)
    assert list(parsed.rules) == [weekly((SAT,))]
    assert [left.text for left in parsed.leftovers] == ["4月から"]


@pytest.mark.parametrize("text", ["", "   ", "\u3000\t"])
def test_empty_text_gives_nothing(text):
    parsed = parse_schedule_text(text)
    assert parsed.rules == () and parsed.leftovers == () and not parsed.complete


@pytest.mark.parametrize(
    "text", ["第", "(((", "〜〜〜", "12/", "第9金曜", "99月99日", "曜日", "\x00\x01", "1/2/3/4/5"]
)
def test_odd_text_never_raises(text):
    parse_schedule_text(text, reference=REFERENCE)


PERIODS = [
    ("12月5日〜7日", [dates(date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7))]),
    ("2026-12-05〜2026-12-07", [dates(date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7))]),
    (
        "12月30日〜1月1日 10時〜",
        [dates(date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1), start=T(10))],
    ),
    (
        "2027年2月1日〜2027年3月31日 10:00〜16:00",
        [
            Recurrence(
                "weekly",
                weekdays=tuple(range(7)),
                start_time=T(10),
                end_time=T(16),
                valid_from=date(2027, 2, 1),
                valid_until=date(2027, 3, 31),
            )
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), PERIODS)
def test_a_period_means_every_day_of_it(text, expected):
    parsed = parse_schedule_text(text, reference=REFERENCE)
    assert list(parsed.rules) == expected and parsed.leftovers == ()


@pytest.mark.parametrize("text", ["毎週水曜 12月28日～1月4日は休み", "毎週水曜 12/29は休館"])
def test_closed_dates_are_notes_not_sessions(text):
    parsed = parse_schedule_text(text, reference=REFERENCE)
    assert list(parsed.rules) == [weekly((WED,))]
    assert parsed.leftovers == () and len(parsed.notes) == 1
