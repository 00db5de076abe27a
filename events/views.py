"""/events/: sessions by day with 今日・今週・今月 tabs and a month calendar. No JavaScript.

The filters are /search/'s own SearchForm (keyword, area, kind, category, target, condition),
so both pages understand the same query string; this page adds `when` (a tab), `date` (one
day), `month` (the calendar) and `page`. Every link keeps the filters.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import Counter
from datetime import date, datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import cache_control

from core.limits import limited
from directory.listings.schedules import JST
from directory.models import Area, Scheme
from events.periods import (
    TABS,
    Window,
    add_months,
    day_label,
    month_label,
    month_range,
    month_window,
    tab_window,
    weeks,
)
from events.sessions import day_groups, find_sessions
from search.engines.base import SearchUnavailable
from search.forms import SearchForm, display_labels
from search.labels import weekday_label, weekday_name

logger = logging.getLogger("tsunagari.events")
# The SearchForm fields this page uses; the others (near me, sort, paging) are /search/'s.
FILTERS = ("q", "area", "kind", "category", "target", "condition")
PAGE_SIZE = 20
DEFAULT_TAB = "week"


class EventsForm(forms.Form):
    """Which days to list; dates outside what can be shown get a message, never a 500."""

    when = forms.ChoiceField(
        label=gettext_lazy("期間"),
        required=False,
        choices=TABS,
        error_messages={
            "invalid_choice": gettext_lazy("期間は today・week・month のいずれかです。")
        },
    )
    date = forms.DateField(
        label=gettext_lazy("日付"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("日付は 2026-12-05 の形で指定してください。")},
    )
    month = forms.DateField(
        label=pgettext_lazy("calendar", "月"),
        required=False,
        input_formats=["%Y-%m"],
        error_messages={"invalid": gettext_lazy("月は 2026-12 の形で指定してください。")},
    )
    page = forms.IntegerField(
        label=gettext_lazy("ページ"),
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={
            "invalid": gettext_lazy("ページは 1 以上の整数で指定してください。"),
            "min_value": gettext_lazy("ページは 1 以上の整数で指定してください。"),
            "max_value": gettext_lazy("ページの値が大きすぎます。"),
        },
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = month_range(self.today)
        shown = _("%(first)sから%(last)sまで") % {
            "first": month_label(first),
            "last": month_label(last),
        }
        day = data.get("date")
        if day and not (self.today <= day < add_months(last, 1)):
            self.add_error(
                "date", _("表示できるのは今日から%(shown)sの日付です。") % {"shown": shown}
            )
        month = data.get("month")
        if month and not (first <= month <= last):
            self.add_error("month", _("表示できる月は%(shown)sです。") % {"shown": shown})
        return data


def filter_params(params: QueryDict) -> QueryDict:
    """Only the filters, as the SearchForm reads them (what every link of the page keeps)."""
    kept = QueryDict(mutable=True)
    for name in FILTERS:
        values = [value for value in params.getlist(name) if value]
        if values:
            kept.setlist(name, values)
    return kept


def link(filters: QueryDict, **params: str) -> str:
    query = "&".join(part for part in (urlencode(params), filters.urlencode()) if part)
    return f"{reverse('events')}?{query}"


def calendar_weeks(
    month: date, counts: Counter[date], filters: QueryDict, today: date, chosen: date | None
) -> list[list[dict[str, Any] | None]]:
    """Each day of the month with its number of sessions and, when it has some, its link."""
    return [
        [
            {
                "day": day,
                "count": counts[day],
                "label": day_label(day),
                "url": link(filters, date=day.isoformat(), month=f"{month:%Y-%m}")
                if counts[day]
                else "",
                "today": day == today,
                "chosen": day == chosen,
            }
            if day
            else None
            for day in week
        ]
        for week in weeks(month)
    ]


def feed_links(filters: QueryDict) -> list[dict[str, str]]:
    """The iCal feeds that fit what is shown: everything, or each chosen category and area."""
    labels = display_labels(Scheme.CATEGORY)
    codes = filters.getlist("area")
    area_names = (
        dict(Area.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    )
    feeds = [
        {
            "label": _("分野「%(label)s」の開催日") % {"label": labels.get(slug, slug)},
            "url": reverse("category-ics", kwargs={"slug": slug}),
        }
        for slug in filters.getlist("category")
    ]
    feeds += [
        {
            "label": _("地域「%(name)s」の開催日") % {"name": area_names.get(code, code)},
            "url": reverse("area-ics", kwargs={"code": code}),
        }
        for code in codes
    ]
    return feeds or [{"label": _("すべての開催日"), "url": reverse("all-ics")}]


@cache_control(private=True, no_store=True)  # the words may be personal, as on /search/
@limited("search")
def events(request: HttpRequest) -> HttpResponse:
    now = datetime.now(JST)
    today = now.date()
    form = EventsForm(request.GET, today=today)
    filters = filter_params(request.GET)
    search_form = SearchForm(filters)
    context: dict[str, Any] = {"form": form, "search_form": search_form, "tabs": []}
    if not (form.is_valid() and search_form.is_valid()):
        context["errors"] = [
            message
            for f in (form, search_form)
            for messages in f.errors.values()
            for message in messages
        ]
        return render(request, "events/events.html", context, status=400)
    data = form.cleaned_data
    chosen: date | None = data.get("date")
    explicit_month: date | None = data.get("month")
    month = explicit_month or (chosen or today).replace(day=1)
    tab = "" if (chosen or explicit_month) else data.get("when") or DEFAULT_TAB
    if chosen:
        shown, heading = Window(chosen, chosen), day_label(chosen)
    elif explicit_month:
        shown, heading = month_window(explicit_month, today), month_label(explicit_month)
    else:
        shown, heading = tab_window(tab, today), str(dict(TABS)[tab])
    in_month = month_window(month, today)
    window = Window(min(shown.first, in_month.first), max(shown.last, in_month.last))
    try:
        sessions = find_sessions(search_form.to_query(), window, now)
    except SearchUnavailable as error:
        logger.error("search unavailable: %s", type(error).__name__)
        context["unavailable"] = True
        return render(request, "events/events.html", context, status=503)
    listed = [session for session in sessions if session.day in shown]
    num_pages = max(1, math.ceil(len(listed) / PAGE_SIZE))
    page = min(data.get("page") or 1, num_pages)
    first_month, last_month = month_range(today)
    context.update(
        heading=heading,
        total=len(listed),
        groups=day_groups(listed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]),
        page=page,
        num_pages=num_pages,
        querystring=_without_page(request.GET),
        tabs=[
            {"label": label, "url": link(filters, when=name), "active": name == tab}
            for name, label in TABS
        ],
        month_label=month_label(month),
        weekday_headers=[(weekday_label(day), weekday_name(day)) for day in range(7)],
        weeks=calendar_weeks(
            month,
            Counter(session.day for session in sessions if session.day in in_month),
            filters,
            today,
            chosen,
        ),
        previous_month=link(filters, month=f"{add_months(month, -1):%Y-%m}")
        if month > first_month
        else "",
        next_month=link(filters, month=f"{add_months(month, 1):%Y-%m}")
        if month < last_month
        else "",
        feeds=feed_links(filters),
        filtering=bool(filters),
        # The filter form keeps the chosen days (valid here, so the raw values can be reused).
        kept_days=[
            (name, request.GET[name]) for name in ("when", "date", "month") if request.GET.get(name)
        ],
    )
    return render(request, "events/events.html", context)


def _without_page(params: QueryDict) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()
