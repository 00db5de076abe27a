"""The date windows of /events/: 今日, 今週, 今月, one day, one month, and the month grid.

今週 is today to Sunday (the week starts on Monday, as the calendar does) and 今月 today to the
month's last day: days already over have no upcoming sessions. A month can be browsed as far as
the search index expands sessions (search.documents.OCCURRENCE_WINDOW_DAYS).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy

from directory.listings.schedules import last_day_of_month
from search.documents import OCCURRENCE_WINDOW_DAYS
from search.labels import day_label, month_label

__all__ = ["TABS", "Window", "day_label", "month_label"]

TABS = (
    ("today", gettext_lazy("今日")),
    ("week", gettext_lazy("今週")),
    ("month", gettext_lazy("今月")),
)


@dataclass(frozen=True)
class Window:
    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def tab_window(tab: str, today: date) -> Window:
    """今日 / 今週 (to Sunday) / 今月 (to the month's end), from today."""
    if tab == "today":
        return Window(today, today)
    if tab == "week":
        return Window(today, today + timedelta(days=6 - today.weekday()))
    return Window(today, last_day_of_month(today))


def month_window(month: date, today: date) -> Window:
    """The days of `month` still to come."""
    return Window(max(month.replace(day=1), today), last_day_of_month(month))


def month_range(today: date) -> tuple[date, date]:
    """The first and the last month that can be shown (as first days of months)."""
    last = today + timedelta(days=OCCURRENCE_WINDOW_DAYS)
    return today.replace(day=1), last.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def weeks(month: date) -> list[list[date | None]]:
    """The month as weeks from Monday; None pads the days of other months."""
    grid = calendar.Calendar(firstweekday=0).monthdayscalendar(month.year, month.month)
    return [[month.replace(day=d) if d else None for d in week] for week in grid]
