"""Demo schedules: the YAML's rule shorthand (weekly, nth weekday, dates in days from today)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from directory.demo.base import (
    DemoDataError,
)
from directory.listings.schedules import WEEKDAY_LABELS, Recurrence


# -- schedules -------------------------------------------------------------------------------
def _weekdays(value: Any) -> tuple[int, ...]:
    labels = value if isinstance(value, list) else [value]
    try:
        return tuple(sorted(WEEKDAY_LABELS.index(str(label)) for label in labels))
    except ValueError as error:
        raise DemoDataError(f"曜日は 月〜日 の一文字で書いてください: {labels}") from error


def _times(value: str | None) -> tuple[time | None, time | None]:
    if not value:
        return None, None
    start, _, end = value.partition("-")
    return time.fromisoformat(start), time.fromisoformat(end) if end else None


def parse_rule(rule: dict[str, Any], today: date) -> Recurrence:
    """One YAML schedule rule (weekly / monthly / in_days / dates) as a Recurrence.

    Times, validity (from_in_days / until_in_days) and closed_on_holidays apply to every kind.
    """
    start, end = _times(rule.get("time"))
    common: dict[str, Any] = {
        "start_time": start,
        "end_time": end,
        "closed_on_holidays": bool(rule.get("closed_on_holidays")),
        "valid_from": today + timedelta(days=rule["from_in_days"])
        if "from_in_days" in rule
        else None,
        "valid_until": today + timedelta(days=rule["until_in_days"])
        if "until_in_days" in rule
        else None,
    }
    if "weekly" in rule:
        return Recurrence(
            "weekly",
            weekdays=_weekdays(rule["weekly"]),
            interval=int(rule.get("every", 1)),
            **common,
        )
    if "monthly" in rule:
        return Recurrence(
            "monthly",
            nths=tuple(sorted(int(n) for n in rule["monthly"])),
            weekdays=_weekdays(rule["weekday"]),
            **common,
        )
    if "in_days" in rule:
        days = tuple(sorted(today + timedelta(days=int(n)) for n in rule["in_days"]))
    elif "dates" in rule:
        days = tuple(sorted(rule["dates"]))
    else:
        raise DemoDataError(f"スケジュールの書き方が分かりません: {rule}")
    return Recurrence("dates", dates=days, **common)


def format_dates(rules: list[Recurrence]) -> str:
    days = sorted(d for rule in rules for d in rule.dates)
    return "、".join(f"{d.month}月{d.day}日（{WEEKDAY_LABELS[d.weekday()]}）" for d in days)
