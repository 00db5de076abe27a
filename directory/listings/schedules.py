"""Structured schedules and their occurrences — pure functions, no database.

A listing's schedule is a list of `Recurrence` rules (weekly on given weekdays, nth weekdays of
the month such as 第2・第4水曜, or specific dates), each with optional times, a validity window,
exception dates (closures), whether it pauses on Japanese public holidays (「祝日は休み」) and
whether it pauses over 年末年始 (12月29日〜1月3日, said by the listing's text: see
`closes_at_year_end`).
The original Japanese text is kept on the listing; these rules are what search, matching, iCal
and HSDS export compute with.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

import holidays
from django.utils import translation

JST = ZoneInfo("Asia/Tokyo")
WEEKDAY_LABELS = ("月", "火", "水", "木", "金", "土", "日")
NTH_LABELS = {1: "第1", 2: "第2", 3: "第3", 4: "第4", 5: "第5", -1: "最終"}
# English pages (rule_text_en): the same rules in English word order, not a translated catalogue.
WEEKDAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NTH_LABELS_EN = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
MONTH_NAMES_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# How far ahead an open-ended rule is searched for its next date (and for "never occurs").
HORIZON_DAYS = 800
# A time cannot hold 24:00, so a session that runs until midnight is stored ending at 23:59.
END_OF_DAY = time(23, 59)

Frequency = Literal["weekly", "monthly", "dates"]
HOLIDAY_NOTE = "（祝日は休み）"
# Said in every text made from rules, so the closure survives an export read back (closes_at_year_end).
YEAR_END_NOTE = "（年末年始は休み）"
HOLIDAY_AND_YEAR_END_NOTE = "（祝日・年末年始は休み）"
HOLIDAY_NOTE_EN = " (closed on public holidays)"
YEAR_END_NOTE_EN = " (closed over the New Year holidays)"
HOLIDAY_AND_YEAR_END_NOTE_EN = " (closed on public holidays and over the New Year holidays)"
# 年末年始 is 12月29日〜翌年1月3日: the 行政機関の休日 (行政機関の休日に関する法律 第1条第1項
# 第3号), which public facilities and most 居場所 follow when they write 「年末年始は休み」.
YEAR_END_FROM = (12, 29)
YEAR_END_UNTIL = (1, 3)
# 「年末年始は休み」「年末年始休館」「祝日・年末年始を除く」「年末年始（12/29〜1/3）はお休み」:
# 年末年始 followed (after an optional bracketed note) by a word that closes; 「休みなし」 does not.
YEAR_END_CLOSURE = re.compile(
    "年末年始(?:\\s*[（(][^）)]*[）)])?\\s*(?:期間)?\\s*(?:中)?\\s*(?:[はをの]|も)?\\s*"
    "(?:お?休み(?!なし|ません)|休館|休業|休会|休止|休所|休室|休園|閉館|除[くきいけ])"
)


@lru_cache(maxsize=64)
def _japanese_holidays(year: int) -> frozenset[date]:
    # One immutable set per year: the `holidays` object itself fills years in lazily on lookup,
    # which is neither cheap to repeat nor safe to share between threads.
    return frozenset(holidays.country_holidays("JP", years=year))


def is_year_end(day: date) -> bool:
    """One of the 年末年始 days, 12月29日〜1月3日."""
    return (day.month, day.day) >= YEAR_END_FROM or (day.month, day.day) <= YEAR_END_UNTIL


def closes_at_year_end(text: str | None) -> bool:
    """Whether a schedule text says the listing is closed over 年末年始."""
    return bool(text) and YEAR_END_CLOSURE.search(str(text)) is not None


def is_japanese_holiday(day: date) -> bool:
    """A 国民の祝日 or 休日 in Japan, including 振替休日 and the ハッピーマンデー days."""
    return day in _japanese_holidays(day.year)


@dataclass(frozen=True)
class Recurrence:
    """One rule of a schedule. Weekdays are 0=Monday … 6=Sunday; nths are 1–5 or -1 (last)."""

    frequency: Frequency
    weekdays: tuple[int, ...] = ()
    nths: tuple[int, ...] = ()
    interval: int = 1
    dates: tuple[date, ...] = ()
    start_time: time | None = None
    end_time: time | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    exceptions: frozenset[date] = field(default_factory=frozenset)
    closed_on_holidays: bool = False
    # 「年末年始は休み」: set from the listing's schedule text, not stored in the block.
    closed_year_end: bool = False

    def matches(self, day: date) -> bool:
        """Whether the rule has a session on `day`."""
        if day in self.exceptions:
            return False
        if self.closed_on_holidays and is_japanese_holiday(day):
            return False
        if self.closed_year_end and is_year_end(day):
            return False
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_until and day > self.valid_until:
            return False
        if self.frequency == "dates":
            return day in self.dates
        if day.weekday() not in self.weekdays:
            return False
        if self.frequency == "weekly":
            if self.interval <= 1:
                return True
            anchor = self.valid_from or date(2024, 1, 1)
            anchor_monday = anchor - timedelta(days=anchor.weekday())
            weeks = (day - timedelta(days=day.weekday()) - anchor_monday).days // 7
            return weeks % self.interval == 0
        return nth_of_month(day) in self.nths or (
            -1 in self.nths and day.month != (day + timedelta(days=7)).month
        )

    def describe(self) -> str:
        """A short Japanese description such as 「毎月第2・第4水曜 15:00〜17:00」."""
        return rule_text(self)


def clock_text(moment: time) -> str:
    """「20:00」, and 「24:00」 for END_OF_DAY: the one way a page writes a time of day.

    Members write 「20:00〜24:00」; the rule stores 23:59. Every text made from rules or
    sessions writes it back as 24:00, so a page never shows both (the importers read 24:00 as
    END_OF_DAY, so a text made here reads back as the same rule).
    """
    return "24:00" if moment.replace(second=0, microsecond=0) == END_OF_DAY else f"{moment:%H:%M}"


def rule_text(rule: Recurrence, *, exact: bool = False) -> str:
    """One rule in Japanese: 「隔週火曜 10:00〜12:00」, 「毎月第2・第4水曜」, 「5月9日、6月13日」.

    The one renderer for pages, iCal, HSDS and the open-data CSV, so they never name a rule in
    different words. `exact` writes every date with its year (「2027年5月9日・2027年6月13日」),
    which `exchange.opendata.schedule_text` reads back into the same rule; otherwise dates are
    shown without the year and cut after six.
    """
    days = "・".join(WEEKDAY_LABELS[d] for d in sorted(rule.weekdays))
    if rule.frequency == "weekly":
        prefix = {1: "毎週", 2: "隔週"}.get(rule.interval, f"{rule.interval}週ごと")
        text = f"{prefix}{days}曜"
    elif rule.frequency == "monthly":
        nths = "・".join(NTH_LABELS[n] for n in sorted(rule.nths, key=lambda n: (n < 0, n)))
        text = f"毎月{nths}{days}曜"
    elif exact:
        text = "・".join(f"{d.year}年{d.month}月{d.day}日" for d in rule.dates)
    else:
        text = "、".join(f"{d.month}月{d.day}日" for d in sorted(rule.dates)[:6])
        if len(rule.dates) > 6:
            text += " ほか"
    return text + times_and_closures(
        rule, "〜", (HOLIDAY_AND_YEAR_END_NOTE, HOLIDAY_NOTE, YEAR_END_NOTE)
    )


def times_and_closures(rule: Recurrence, dash: str, notes: tuple[str, str, str]) -> str:
    """「 10:00〜12:00（祝日は休み）」: the times and closure note, in either language's words.

    `notes` are the (holidays and year end, holidays, year end) notes.
    """
    text = ""
    if rule.start_time:
        text += f" {clock_text(rule.start_time)}{dash}"
        if rule.end_time:
            text += clock_text(rule.end_time)
    both, holidays, year_end = notes
    if rule.closed_on_holidays and rule.closed_year_end:
        text += both
    elif rule.closed_on_holidays:
        text += holidays
    elif rule.closed_year_end:
        text += year_end
    return text


def english_list(items: list[str]) -> str:
    """「A」, 「A and B」, 「A, B and C」: how an English sentence lists days."""
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def rule_text_en(rule: Recurrence) -> str:
    """One rule in English for English pages: 「Every Monday 10:00–12:00」, 「2nd and 4th Saturday」.

    Only pages read it; exports keep rule_text, which importers read back.
    """
    days = english_list([WEEKDAY_NAMES_EN[d] for d in sorted(rule.weekdays)])
    if rule.frequency == "weekly":
        if rule.interval <= 1:
            text = f"Every {days}"
        elif rule.interval == 2:
            text = f"Every other {days}"
        else:
            text = f"Every {rule.interval} weeks on {days}"
    elif rule.frequency == "monthly":
        ordered = sorted(rule.nths, key=lambda n: (n < 0, n))
        nths = english_list([NTH_LABELS_EN[n] for n in ordered])
        text = f"{nths[0].upper()}{nths[1:]} {days} of the month"
    else:
        text = ", ".join(f"{d.day} {MONTH_NAMES_EN[d.month - 1]}" for d in sorted(rule.dates)[:6])
        if len(rule.dates) > 6:
            text += " and more"
    return text + times_and_closures(
        rule, "–", (HOLIDAY_AND_YEAR_END_NOTE_EN, HOLIDAY_NOTE_EN, YEAR_END_NOTE_EN)
    )


def display_rule_text(rule: Recurrence) -> str:
    """A rule as a page shows it: English on English pages, rule_text otherwise."""
    return rule_text_en(rule) if translation.get_language() == "en" else rule_text(rule)


@dataclass(frozen=True, order=True)
class Occurrence:
    """One session: an aware start (Asia/Tokyo) and an optional end."""

    start: datetime
    end: datetime | None = None
    all_day: bool = False

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def finishes_at(self) -> datetime:
        """When the session is over: its end, the end of an all-day session, or its start."""
        if self.end:
            return self.end
        return self.start + timedelta(days=1) if self.all_day else self.start


def nth_of_month(day: date) -> int:
    """1 for the first such weekday of its month, 2 for the second, …"""
    return (day.day - 1) // 7 + 1


def last_day_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _occurrence_on(rule: Recurrence, day: date) -> Occurrence:
    if rule.start_time is None:
        return Occurrence(start=datetime.combine(day, time(0), JST), all_day=True)
    start = datetime.combine(day, rule.start_time, JST)
    end = datetime.combine(day, rule.end_time, JST) if rule.end_time else None
    return Occurrence(start=start, end=end)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def occurrences(rules: Iterable[Recurrence], first: date, last: date) -> list[Occurrence]:
    """Every session of `rules` between two dates (inclusive), in time order."""
    found: set[Occurrence] = set()
    for rule in rules:
        if rule.frequency == "dates":
            days: Iterable[date] = (d for d in rule.dates if first <= d <= last)
        else:
            lo = max(first, rule.valid_from) if rule.valid_from else first
            hi = min(last, rule.valid_until) if rule.valid_until else last
            days = _days(lo, hi)
        found.update(_occurrence_on(rule, d) for d in days if rule.matches(d))
    return sorted(found)


def next_occurrences(
    rules: Iterable[Recurrence], after: datetime | None = None, count: int = 3
) -> list[Occurrence]:
    """The next `count` sessions that have not ended at `after` (default: now)."""
    after = (after or datetime.now(JST)).astimezone(JST)
    rules = list(rules)
    result: list[Occurrence] = []
    window_start = after.date()
    # Search in growing windows so that the common case (weekly rules) stays cheap.
    for span in (35, 120, HORIZON_DAYS):
        window_end = after.date() + timedelta(days=span)
        for occ in occurrences(rules, window_start, window_end):
            if occ.finishes_at >= after:
                result.append(occ)
                if len(result) >= count:
                    return result
        window_start = window_end + timedelta(days=1)
    return result


def holidays_hit(rule: Recurrence, first: date, last: date) -> list[date]:
    """The holidays between two dates on which only `closed_on_holidays` cancels a session.

    Formats that cannot say 「祝日は休み」 (RRULE, schema.org) list these days as exceptions.
    """
    if not rule.closed_on_holidays:
        return []
    open_rule = replace(rule, closed_on_holidays=False)
    return [
        day for day in _days(first, last) if is_japanese_holiday(day) and open_rule.matches(day)
    ]


def flag_closures(rule: Recurrence, first: date, last: date) -> list[date]:
    """The days between two dates that only 「祝日は休み」 or 「年末年始は休み」 cancel.

    What formats that list days (EXDATE, schema.org exceptDate, the page's 休み list) write
    for the two flags; 1月1日 is both a holiday and 年末年始 and is listed once.
    """
    if not (rule.closed_on_holidays or rule.closed_year_end):
        return []
    open_rule = replace(rule, closed_on_holidays=False, closed_year_end=False)
    return [
        day
        for day in _days(first, last)
        if (is_japanese_holiday(day) or is_year_end(day))
        and open_rule.matches(day)
        and not rule.matches(day)
    ]


def never_occurs(rule: Recurrence, today: date | None = None) -> bool:
    """True when a rule can never produce a session (e.g. 第5月曜 in a February-only window)."""
    first = rule.valid_from or (today or date.today()) - timedelta(days=HORIZON_DAYS)
    last = rule.valid_until or first + timedelta(days=2 * HORIZON_DAYS)
    if rule.frequency == "dates":
        return not any(rule.matches(d) for d in rule.dates)
    return not occurrences([rule], first, last)


def _given(values: Iterable[Any] | None) -> list[Any]:
    """The filled rows of a list: an empty date row (None) is the editor's, not a date."""
    return [v for v in values or () if v not in (None, "")]


def recurrence_from_block(
    block_type: str, value: dict[str, Any], *, closed_year_end: bool = False
) -> Recurrence:
    """Build a Recurrence from one schedule StreamField child (see directory.listings.blocks).

    Empty rows are skipped, not compared: the editor reports them (blocks.RuleDateBlock), and
    a value holding one must not turn every page that reads it into a 500. `closed_year_end`
    comes from the listing's text (`closes_at_year_end`), which the block does not hold.
    """
    return Recurrence(
        frequency=block_type,  # type: ignore[arg-type]
        weekdays=tuple(sorted(int(d) for d in _given(value.get("weekdays")))),
        nths=tuple(sorted(int(n) for n in _given(value.get("nths")))),
        interval=int(value.get("interval") or 1),
        dates=tuple(sorted(_given(value.get("dates")))),
        start_time=value.get("start_time"),
        end_time=value.get("end_time"),
        valid_from=value.get("valid_from"),
        valid_until=value.get("valid_until"),
        exceptions=frozenset(_given(value.get("exceptions"))),
        closed_on_holidays=bool(value.get("closed_on_holidays")),
        closed_year_end=closed_year_end,
    )


def recurrence_to_block(rule: Recurrence) -> tuple[str, dict[str, Any]]:
    """The StreamField (block_type, raw value) for a Recurrence — used by importers."""

    def iso(value: date | time | None) -> str | None:
        return value.isoformat() if value else None

    value: dict[str, Any] = {
        "start_time": iso(rule.start_time),
        "end_time": iso(rule.end_time),
        "valid_from": iso(rule.valid_from),
        "valid_until": iso(rule.valid_until),
        "exceptions": [d.isoformat() for d in sorted(rule.exceptions)],
        "closed_on_holidays": rule.closed_on_holidays,
    }
    if rule.frequency == "dates":
        value["dates"] = [d.isoformat() for d in rule.dates]
    else:
        value["weekdays"] = [str(d) for d in rule.weekdays]
    if rule.frequency == "weekly":
        value["interval"] = rule.interval
    if rule.frequency == "monthly":
        value["nths"] = [str(n) for n in rule.nths]
    return rule.frequency, value
