"""Dates and weekdays as residents read them, in the visitor's language (one place for both).

The weekday names are Django's own (django.utils.dates): its Japanese catalogue says 月…日,
exactly directory.listings.schedules.WEEKDAY_LABELS, and its English one Mon…Sun. The date
patterns are Django date formats translated like any text, so 「12月5日（土）」 reads
"Sat 5 Dec" on English pages. Kept free of search/events imports: both apps use it.
"""

from __future__ import annotations

from datetime import date

from django.utils.dateformat import format as date_format
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import pgettext


def weekday_label(weekday: int) -> str:
    """月 / Mon (0 = Monday)."""
    return str(WEEKDAYS_ABBR[weekday])


def weekday_name(weekday: int) -> str:
    """月曜日 / Monday."""
    return str(WEEKDAYS[weekday])


def day_label(day: date) -> str:
    """「12月5日（土）」 / "Sat 5 Dec"."""
    return date_format(day, pgettext("date format", "n月j日（D）"))


def month_label(month: date) -> str:
    """「2026年12月」 / "December 2026"."""
    return date_format(month, pgettext("date format", "Y年n月"))
