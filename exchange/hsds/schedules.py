"""HSDS schedule objects → structured rules plus the text worth keeping.

Weekly and monthly schedules go through the shared RRULE conversion; schedules with only a
date (dtstart, or valid_from = valid_to) are gathered into one dates rule per time slot. What
cannot be expressed as a rule is reported and its description stays in `schedule_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from directory.listings.schedules import JST, Recurrence, closes_at_year_end, never_occurs
from exchange.rrule import RRuleSpec, UnsupportedRule, from_spec

TIME_PATTERN = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EXDATE_MARK = "EXDATE"
# Our export writes this before the EXDATEs of a rule closed on holidays (see exchange.rrule).
HOLIDAY_MARK = "HOLIDAYS=JP"
HOLIDAY_NOTE = f"祝日は休み（{HOLIDAY_MARK}）。"


@dataclass
class ScheduleResult:
    rules: list[Recurrence] = field(default_factory=list)
    text: str = ""
    notes: list[str] = field(default_factory=list)


def parse_date(value: Any) -> date | None:
    """An ISO date (or the date part of a date-time); None when absent. Raises ValueError."""
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value)[:10])


def parse_time(value: Any) -> time | None:
    """HSDS opens_at/closes_at (``10:00``, ``10:00:00``, ``01:00Z``, ``10:00+09:00``) in JST."""
    if value in (None, ""):
        return None
    match = TIME_PATTERN.match(str(value).strip())
    if not match:
        raise ValueError(f"時刻を読み取れません: {value}")
    hour, minute, second, offset = match.groups()
    local = time(int(hour), int(minute), int(second or 0))
    if not offset:
        return local
    if offset == "Z":
        tz = UTC
    else:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return datetime.combine(date(2025, 1, 1), local, tz).astimezone(JST).time()


def _exdates(notes: Any) -> tuple[date, ...]:
    text = str(notes or "")
    if EXDATE_MARK not in text:
        return ()
    return tuple(
        sorted(date.fromisoformat(d) for d in ISO_DATE.findall(text.split(EXDATE_MARK, 1)[1]))
    )


def _times(schedule: dict[str, Any]) -> tuple[time | None, time | None]:
    start, end = parse_time(schedule.get("opens_at")), parse_time(schedule.get("closes_at"))
    if end and not start:
        return None, None
    if start and end and end <= start:
        return start, None
    return start, end


# Schedule fields the rules and the text are read from; any other filled field is named.
READ_SCHEDULE_FIELDS = frozenset(
    {
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to",
        "dtstart", "timezone", "until", "wkst", "freq", "interval", "byday", "bymonthday",
        "byyearday", "byweekno", "description", "opens_at", "closes_at", "notes",
    }
)  # fmt: skip


def convert_schedules(schedules: list[Any]) -> ScheduleResult:
    """Rules and kept text for a service's schedules; never raises on one bad schedule."""
    result = ScheduleResult()
    descriptions: list[str] = []
    dated: dict[tuple[time | None, time | None], list[date]] = {}
    for index, schedule in enumerate(schedules, start=1):
        if not isinstance(schedule, dict):
            result.notes.append(f"開催日時 {index}: 形式が正しくないため読み飛ばしました。")
            continue
        # A dated schedule's count (1, as ours) says nothing more; a rule's is not kept.
        read = READ_SCHEDULE_FIELDS | (set() if schedule.get("freq") else {"count"})
        unheld = sorted(
            key
            for key, value in schedule.items()
            if key not in read and value not in (None, "", [])
        )
        if unheld:
            result.notes.append(
                f"開催日時 {index}: 保存できる欄がないため取り込みませんでした（schedule）: "
                + ", ".join(unheld)
            )
        description = str(schedule.get("description") or "").strip()
        if description and description not in descriptions:
            descriptions.append(description)
        try:
            rules = _rules_of(schedule, dated)
        except (UnsupportedRule, ValueError) as error:
            result.notes.append(
                f"開催日時 {index}: ルールにできませんでした（{error}）。案内文を残しています。"
            )
            continue
        for rule in rules:
            if never_occurs(rule):
                result.notes.append(
                    f"開催日時 {index}: 開催日が一度もないルールのため取り込みませんでした。"
                )
            else:
                result.rules.append(rule)
    for (start, end), days in dated.items():
        result.rules.append(
            Recurrence("dates", dates=tuple(sorted(set(days))), start_time=start, end_time=end)
        )
    generated = {rule.describe() for rule in result.rules}
    result.text = "\n".join(d for d in descriptions if d not in generated)
    return result


def _rules_of(
    schedule: dict[str, Any], dated: dict[tuple[time | None, time | None], list[date]]
) -> list[Recurrence]:
    """Rules of one schedule; single dates are only collected (grouped per time slot later)."""
    start, end = _times(schedule)
    freq = str(schedule.get("freq") or "").upper()
    unsupported = [key for key in ("bymonthday", "byyearday", "byweekno") if schedule.get(key)]
    if unsupported:
        raise UnsupportedRule(f"{', '.join(unsupported)} には対応していません")
    dtstart = parse_date(schedule.get("dtstart"))
    valid_from, valid_to = (
        parse_date(schedule.get("valid_from")),
        parse_date(schedule.get("valid_to")),
    )
    if not freq:
        day = dtstart or (valid_from if valid_from and valid_from == valid_to else None)
        if day is not None:
            dated.setdefault((start, end), []).append(day)
        elif schedule.get("opens_at") or schedule.get("byday"):
            raise UnsupportedRule("繰り返しの種類（freq）がありません")
        return []
    until = parse_date(schedule.get("until"))
    ends = [d for d in (until, valid_to) if d]
    interval = schedule.get("interval") or 1
    if not isinstance(interval, int | float) or int(interval) != interval:
        raise UnsupportedRule(f"間隔（interval）が整数ではありません: {interval}")
    spec = RRuleSpec(
        freq=freq,
        interval=int(interval),
        byday=tuple(p.strip() for p in str(schedule.get("byday") or "").split(",") if p.strip()),
        dtstart=dtstart,
        until=min(ends) if ends else None,
        exdates=_exdates(schedule.get("notes")),
        closed_on_holidays=HOLIDAY_MARK in str(schedule.get("notes") or ""),
        # 「年末年始は休み」 in the description: its 12/29〜1/3 EXDATEs are the text's, not extra.
        closed_year_end=closes_at_year_end(schedule.get("description")),
    )
    return from_spec(spec, start_time=start, end_time=end, valid_from=valid_from)
