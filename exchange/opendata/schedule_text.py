"""Japanese schedule text → structured `Recurrence` rules, as municipal open data writes it.

Real files say 「毎週月・水・金 10:00〜16:00」, 「毎月第2・第4土曜 11:30～13:30」,
「第4水曜日(1)17：00～17：45　(2)17：45～18：30」 or 「12/5(土)」. This module turns what it can
into rules and returns every part it could not (or must not) turn into a rule, verbatim and with
a Japanese reason, so an importer can keep the original text and flag the listing for review.
Pure functions, no database: the caller decides what to store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from directory.listings.schedules import END_OF_DAY, WEEKDAY_LABELS, Recurrence
from exchange.opendata.schedule_grammar import (
    DASHES,
    NOISE,
    ONE_DATE_JP,
    ONE_DATE_NUM,
    TOKEN,
    W,
    normalise_with_origin,
)

WEEKDAY_INDEX = {label: i for i, label in enumerate(WEEKDAY_LABELS)}
REIWA_OFFSET = 2018  # 令和1年 = 2019
# A date without a year is taken to be the next one, unless it is at most this long ago.
PAST_TOLERANCE = timedelta(days=90)

REASON_UNREAD = "読み取れませんでした（案内文のまま表示します）。"
REASON_DAY_OF_MONTH = (
    "「毎月15日」のような日にちの繰り返しは開催ルールで表せないため、案内文のまま表示します。"
)
REASON_BIMONTHLY = "隔月などの繰り返しは開催ルールで表せないため、案内文のまま表示します。"
REASON_BIWEEKLY = (
    "隔週の開催ルールにしましたが、どの週から数えるかが分からないため開催日をご確認ください。"
)
REASON_TIME_ONLY = "時刻はありますが曜日・日付が分からないため、ルールにできませんでした。"
REASON_BAD_TIME = "時刻が正しくありません（終了が開始より前など）。"
REASON_BAD_DATE = "存在しない日付です。"
REASON_WRONG_WEEKDAY = "日付と曜日が一致しません。日付をご確認ください。"


class _Unreadable(ValueError):
    """A token that was recognised but cannot be trusted; its message is the reason."""


@dataclass(frozen=True)
class Leftover:
    """A fragment of the original text that is not (fully) expressed by the rules."""

    text: str
    reason: str


@dataclass(frozen=True)
class ParsedSchedule:
    rules: tuple[Recurrence, ...] = ()
    leftovers: tuple[Leftover, ...] = ()
    # Recognised statements that rules cannot carry but that need no review (shown as text).
    notes: tuple[str, ...] = ()
    # 「祝日休み」 and the like: every rule of the text then has closed_on_holidays set.
    closed_on_holidays: bool = False

    @property
    def complete(self) -> bool:
        """Every part of the text became a rule."""
        return bool(self.rules) and not self.leftovers


# -- turning tokens into pieces --------------------------------------------------------------


@dataclass
class _Spec:
    """The day part of a rule before times are attached."""

    frequency: str  # weekly | monthly | dates | unsupported
    weekdays: tuple[int, ...] = ()
    nths: tuple[int, ...] = ()
    interval: int = 1
    dates: tuple[date, ...] = ()
    reason: str = ""
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass
class _Group:
    specs: list[_Spec] = field(default_factory=list)
    times: list[tuple[time, time | None]] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _weekdays(text: str) -> tuple[int, ...]:
    """月・水・金 / 月火水木金 / 月〜金 → weekday numbers (祝 is handled by the caller)."""
    days: set[int] = set()
    for match in re.finditer(f"({W})(?:曜日?)?(?:\\s*(?:[{DASHES}]|から)\\s*({W}))?", text):
        first, last = WEEKDAY_INDEX[match.group(1)], match.group(2)
        if last is None:
            days.add(first)
        else:
            end = WEEKDAY_INDEX[last]
            span = range(first, end + 1) if first <= end else [*range(first, 7), *range(end + 1)]
            days.update(span)
    return tuple(sorted(days))


def _nths(text: str) -> tuple[int, ...]:
    found = {int(n) for n in re.findall("\\d", text)}
    if re.search("最終|最後", text):
        found.add(-1)
    return tuple(sorted(n for n in found if n == -1 or 1 <= n <= 5))


def _clock(match: re.Match[str], prefix: str, afternoon: bool = False) -> time | None:
    """One clock time; `afternoon` reads 「午後5時〜7時」's end as 19:00."""
    hour_text = match.group(f"{prefix}h")
    if hour_text is None:
        return None
    hour = int(hour_text)
    minute = int(
        match.group(f"{prefix}m")
        or match.group(f"{prefix}mm")
        or (30 if match.group(f"{prefix}half") else 0)
    )
    ampm = match.group(f"{prefix}ap")
    if (ampm == "午後" or (ampm is None and afternoon)) and hour < 12:
        hour += 12
    if hour == 24 and minute == 0:
        return END_OF_DAY
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _Unreadable(REASON_BAD_TIME)
    return time(hour, minute)


def _resolve_year(month: int, day: int, year: int | None, reference: date) -> date:
    if year is not None:
        return date(year, month, day)
    candidate = date(reference.year, month, day)
    if candidate < reference - PAST_TOLERANCE:
        candidate = date(reference.year + 1, month, day)
    return candidate


def _check_weekday(value: date, token: str) -> None:
    written = re.search(f"\\(\\s*({W})", token)
    if written and WEEKDAY_INDEX[written.group(1)] != value.weekday():
        raise _Unreadable(REASON_WRONG_WEEKDAY)


def _dates_jp(token: str, reference: date) -> tuple[date, ...]:
    year: int | None = None
    era = re.match("(?:令和|R)\\s*(\\d{1,2}|元)\\s*年", token)
    if era:
        year = REIWA_OFFSET + (1 if era.group(1) == "元" else int(era.group(1)))
    elif western := re.match("(\\d{4})\\s*年", token):
        year = int(western.group(1))
    month = int(re.search("(\\d{1,2})\\s*月", token).group(1))  # type: ignore[union-attr]
    days = [int(d) for d in re.findall("(\\d{1,2})\\s*日", token)]
    found = tuple(_resolve_year(month, d, year, reference) for d in days)
    if len(found) == 1:
        _check_weekday(found[0], token)
    return found


def _date_num(token: str, reference: date) -> tuple[date, ...]:
    numbers = [int(n) for n in re.findall("\\d+", token.split("(")[0])]
    if len(numbers) == 3:
        value = date(numbers[0], numbers[1], numbers[2])
    else:
        value = _resolve_year(numbers[0], numbers[1], None, reference)
    _check_weekday(value, token)
    return (value,)


# Longer periods become one every-day weekly rule over the period instead of a list of dates.
MAX_LISTED_DAYS = 31


def _date_range(token: str, reference: date) -> _Spec:
    """「2027年2月1日〜3月31日」: the right side borrows the left side's year and month."""
    first_date = re.match(f"(?:{ONE_DATE_JP}|{ONE_DATE_NUM})", token)
    if first_date is None:
        raise _Unreadable(REASON_BAD_DATE)
    left = first_date.group(0)
    right = re.sub(f"^\\s*(?:[{DASHES}]|から)\\s*", "", token[first_date.end() :])
    right = right.removesuffix("まで")
    first = _one_date(left, reference, None)
    last = _one_date(right, first, first)
    if last < first:
        raise _Unreadable(REASON_BAD_DATE)
    span = (last - first).days + 1
    if span <= MAX_LISTED_DAYS:
        return _Spec("dates", dates=tuple(first + timedelta(days=i) for i in range(span)))
    return _Spec("weekly", weekdays=tuple(range(7)), valid_from=first, valid_until=last)


def _one_date(text: str, reference: date, after: date | None) -> date:
    """One date of a range; without a year (or month) it takes them from `after`."""
    numbers = [int(n) for n in re.findall("\\d+", re.sub("\\(.*?\\)", "", text))]
    era = re.match("(?:令和|R)\\s*(\\d{1,2}|元)", text)
    if era:
        numbers[0] = REIWA_OFFSET + (1 if era.group(1) == "元" else int(era.group(1)))
    if len(numbers) == 3:
        return date(*numbers)
    if len(numbers) == 2:
        if after is None:
            return _resolve_year(numbers[0], numbers[1], None, reference)
        value = date(after.year, numbers[0], numbers[1])
        return value if value >= after else date(after.year + 1, numbers[0], numbers[1])
    if after is None:
        raise _Unreadable(REASON_BAD_DATE)
    return date(after.year, after.month, numbers[0])


def _spec(match: re.Match[str], reference: date) -> _Spec | str | None:
    """A day spec, a note (str) for recognised closures, or None for nothing."""
    kind = match.lastgroup
    token = match.group(0)
    if kind == "date_range":
        try:
            return _date_range(token, reference)
        except _Unreadable:
            raise
        except ValueError as error:
            raise _Unreadable(REASON_BAD_DATE) from error
    if kind in ("date_jp", "date_num"):
        read = _dates_jp if kind == "date_jp" else _date_num
        try:
            return _Spec("dates", dates=read(token, reference))
        except _Unreadable:
            raise
        except ValueError as error:
            raise _Unreadable(REASON_BAD_DATE) from error
    if kind == "day_of_month":
        return _Spec("unsupported", reason=REASON_DAY_OF_MONTH)
    if kind == "bimonthly":
        return _Spec("unsupported", reason=REASON_BIMONTHLY)
    if kind == "nth":
        return _Spec("monthly", weekdays=_weekdays(match.group("nth_days")), nths=_nths(token))
    if kind == "every_day":
        return _Spec("weekly", weekdays=tuple(range(7)))
    if kind == "weekdays_word":
        return _Spec("weekly", weekdays=tuple(range(5)))
    if kind == "weekly":
        days_text = match.group("weekly_days")
        if match.group("weekly_prefix") is None and not _is_weekday_list(days_text):
            return None
        interval = 2 if match.group("weekly_prefix") == "隔週" else 1
        return _Spec(
            "weekly",
            weekdays=_weekdays(days_text),
            interval=interval,
            reason=REASON_BIWEEKLY if interval == 2 else "",
        )
    return None


def _is_weekday_list(text: str) -> bool:
    """A bare 「月」 is a month; 「月曜」, 「月・水」 or 「月火水木金」 are weekdays."""
    return "曜" in text or len(re.findall(W, text)) >= 2


# -- the parser --------------------------------------------------------------------------------


def parse_schedule_text(text: str, reference: date | None = None) -> ParsedSchedule:
    """Rules for what the text says, plus every part of it that is not a rule (never dropped).

    `reference` is the day dates without a year are read from (default: today): 「12/5」 is the
    next 5 December unless that was less than three months ago.
    """
    if not text or not text.strip():
        return ParsedSchedule()
    reference = reference or date.today()
    normal, origin = normalise_with_origin(text)
    groups: list[_Group] = []
    orphan_times: list[tuple[time, time | None]] = []
    orphan_spans: list[tuple[int, int]] = []
    leftovers: list[Leftover] = []
    notes: list[str] = []
    covered: list[tuple[int, int]] = []
    closed_on_holidays = False
    closed_weekdays: set[int] = set()

    def original(start: int, end: int) -> str:
        if start >= end:
            return ""
        return text[origin[start] : origin[end - 1] + 1].strip()

    for match in TOKEN.finditer(normal):
        kind = match.lastgroup
        span = match.span()
        if kind in ("holiday", "year_end", "closed_dates"):
            covered.append(span)
            notes.append(original(*span))
            closed_on_holidays = closed_on_holidays or kind == "holiday"
            continue
        if kind == "time":
            try:
                start = _clock(match, "s")
                end = _clock(match, "e", afternoon=match.group("sap") == "午後")
            except _Unreadable as error:
                covered.append(span)
                leftovers.append(Leftover(original(*span), str(error)))
                continue
            if start is None or (end is not None and end <= start):
                covered.append(span)
                leftovers.append(Leftover(original(*span), REASON_BAD_TIME))
                continue
            covered.append(span)
            if groups:
                groups[-1].times.append((start, end))
                groups[-1].spans.append(span)
            else:
                orphan_times.append((start, end))
                orphan_spans.append(span)
            continue
        if kind == "closed_days":
            covered.append(span)
            notes.append(original(*span))
            closed_weekdays.update(_weekdays(match.group(0)))
            closed_on_holidays = closed_on_holidays or "祝" in match.group(0)
            continue
        try:
            spec = _spec(match, reference)
        except _Unreadable as error:
            covered.append(span)
            leftovers.append(Leftover(original(*span), str(error)))
            continue
        if spec is None or isinstance(spec, str):
            continue
        if "祝" in match.group(0) and kind in ("weekly", "nth"):
            notes.append("祝日の開催は案内文をご覧ください。")
        covered.append(span)
        if not groups or groups[-1].times:
            groups.append(_Group())
        groups[-1].specs.append(spec)
        groups[-1].spans.append(span)

    if orphan_times:
        untimed = [g for g in groups if not g.times]
        for group in untimed:
            group.times.extend(orphan_times)
            group.spans.extend(orphan_spans)
        if not untimed:
            leftovers.extend(Leftover(original(*s), REASON_TIME_ONLY) for s in orphan_spans)

    rules: list[Recurrence] = []
    for group in groups:
        rules.extend(_group_rules(group, closed_weekdays, closed_on_holidays))
        for spec in group.specs:
            if spec.reason:
                leftovers.append(Leftover(original(*_hull(group.spans)), spec.reason))

    leftovers.extend(
        Leftover(original(start, end), REASON_UNREAD) for start, end in _gaps(normal, covered)
    )
    return ParsedSchedule(
        rules=tuple(dict.fromkeys(rules)),
        leftovers=tuple(dict.fromkeys(leftovers)),
        notes=tuple(dict.fromkeys(notes)),
        closed_on_holidays=closed_on_holidays,
    )


def _group_rules(
    group: _Group, closed_weekdays: set[int], closed_on_holidays: bool
) -> list[Recurrence]:
    """Every spec × every time of a group; weekly rules lose the days said to be closed."""
    times: list[tuple[time | None, time | None]] = list(group.times) or [(None, None)]
    rules: list[Recurrence] = []
    dates = tuple(sorted({d for s in group.specs if s.frequency == "dates" for d in s.dates}))
    for start, end in times:
        if dates:
            rules.append(
                Recurrence(
                    "dates",
                    dates=dates,
                    start_time=start,
                    end_time=end,
                    closed_on_holidays=closed_on_holidays,
                )
            )
        for spec in group.specs:
            weekdays = spec.weekdays
            if spec.frequency == "weekly":
                weekdays = tuple(d for d in weekdays if d not in closed_weekdays)
            if spec.frequency in ("weekly", "monthly") and weekdays:
                rules.append(
                    Recurrence(
                        spec.frequency,  # type: ignore[arg-type]
                        weekdays=weekdays,
                        nths=spec.nths if spec.frequency == "monthly" else (),
                        interval=spec.interval,
                        start_time=start,
                        end_time=end,
                        valid_from=spec.valid_from,
                        valid_until=spec.valid_until,
                        closed_on_holidays=closed_on_holidays,
                    )
                )
    return rules


def _hull(spans: list[tuple[int, int]]) -> tuple[int, int]:
    return min(s for s, _ in spans), max(e for _, e in spans)


def _gaps(normal: str, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretches of text outside every token that still say something."""
    gaps: list[tuple[int, int]] = []
    position = 0
    for start, end in [*sorted(covered), (len(normal), len(normal))]:
        if start > position:
            gaps.extend(_meaningful(normal, position, start))
        position = max(position, end)
    return gaps


def _meaningful(normal: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a gap at punctuation; keep the pieces that are more than filler words."""
    pieces: list[tuple[int, int]] = []
    for match in re.finditer("[^\\s、,。/\\[\\]「」『』【】;]+", normal[start:end]):
        piece = match.group(0)
        if NOISE.sub("", piece):
            pieces.append((start + match.start(), start + match.end()))
    return pieces
