"""The resident search page /search/ and its map /search/map/: phone first, no JS needed.

Results come first (count, active filters as chips, sort, cards); every filter lives in one
<details> panel of checkboxes with counts below them. Both pages read the query string with the
API's own SearchForm, so a list link and a map link differ only in their path.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from core.limits import limited
from core.pii import validate_no_personal_information
from directory.listings.schedules import JST
from directory.models import Scheme
from directory.vocabulary import local_area_choices
from matching.candidates import load_vocabulary
from matching.origin import HERE, PLACE_MIN_LENGTH, resolve_place
from matching.profile import rounded_point
from matching.ready import ready_pool
from search.engines import get_engine
from search.engines.base import (
    PARTIAL_BELOW,
    Hit,
    SearchDocument,
    SearchResult,
    SearchUnavailable,
)
from search.forms import MAX_PAGE_SIZE, SORT_CHOICES, SearchForm, display_labels
from search.labels import day_label
from search.suggestions import related_categories, spelling_suggestions
from search.understanding import Understanding, understood_query

logger = logging.getLogger("tsunagari.search")
FACET_SCHEMES = {
    "kind": Scheme.KIND,
    "category": Scheme.CATEGORY,
    "target": Scheme.TARGET,
    "condition": Scheme.CONDITION,
}
BADGE_LIMIT = 4

# 近くをさがす rounds a resident's own position to ~100 m (3 decimals) before it leaves the
# browser: near enough to sort by distance, too coarse to point at a home. /match/, which is
# about someone's case, keeps matching.profile.POINT_DECIMALS (~1 km).
NEAR_ME_DECIMALS = 3


@dataclass
class Option:
    """One checkbox or radio of the filter panel, with its count (see `panel_groups`)."""

    value: str
    label: str
    count: int | None
    checked: bool


@dataclass
class Chip:
    """An active filter; its link is the same search without it."""

    label: str
    url: str


def toggled(params: QueryDict, name: str, value: str) -> str:
    """The query string with `value` added to or removed from filter `name` (page reset)."""
    params = params.copy()
    values = params.getlist(name)
    params.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    params.pop("page", None)
    return "?" + params.urlencode()


def next_date_label(iso: str | None) -> str:
    if not iso:
        return ""
    start = datetime.fromisoformat(iso).astimezone(JST)
    text = _("次回 %(day)s") % {"day": day_label(start.date())}
    if (start.hour, start.minute) == (0, 0):
        return text
    return _("%(day)s%(time)s〜") % {"day": text, "time": f"{start:%H:%M}"}


def card(hit: Hit, labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    document = hit.document
    badges = [{"label": labels["kind"].get(document["kind"], document["kind"]), "variant": "kind"}]
    badges += [
        {"label": labels[name][slug], "variant": name}
        for name, slugs in (("category", document["categories"]), ("target", document["targets"]))
        for slug in slugs
        if slug in labels[name]
    ][:BADGE_LIMIT]
    meta = [
        line
        for line in (
            next_date_label(document["next_occurrence"]),
            document["area_name"],
            _("オンラインあり") if document["online"] else "",
            _("約%(km)skm") % {"km": f"{hit.distance_km:.1f}"}
            if hit.distance_km is not None
            else "",
        )
        if line
    ]
    return {
        "title": document["name"],
        "url": document["url"],
        "summary": document["summary"],
        "badges": badges,
        "meta": meta,
    }


def with_params(params: QueryDict, **changes: list[str]) -> str:
    """The query string with these parameters set (page reset)."""
    params = params.copy()
    for name, values in changes.items():
        params.setlist(name, values)
    params.pop("page", None)
    return "?" + params.urlencode()


def understood_parts(understanding: Understanding, params: QueryDict) -> list[dict[str, str]]:
    """What the words were read as, each with a link that searches that word as typed."""
    literal = params.getlist("literal")
    return [
        {
            "label": part.label,
            "word": part.word,
            "undo": with_params(params, literal=[*literal, part.word]),
        }
        for part in understanding.parts
    ]


def weak_result_help(
    form: SearchForm, result: SearchResult, params: QueryDict, labels: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """Other spellings and related categories, for a search that found little."""
    text = form.cleaned_data.get("q") or ""
    q = params.get("q", "")
    return {
        "suggestions": [
            {
                "spelling": s.spelling,
                "url": with_params(params, q=[q.replace(s.word, s.spelling)], literal=[]),
            }
            for s in spelling_suggestions(text)
        ],
        "related": [
            {"label": labels["category"][slug], "url": "?" + urlencode({"category": slug})}
            for slug in related_categories(text, result.facets.get("categories", {}))
            if slug in labels["category"]
        ],
    }


def personal_information_notices(form: SearchForm) -> list[str]:
    """What the guard would have refused in the words (kinds only, never the text).

    A resident who types a phone number is told that it is not needed; the search still runs.
    """
    words = form.cleaned_data.get("q", "") if form.is_valid() else ""
    try:
        validate_no_personal_information(words)
    except ValidationError as error:
        return list(error.messages)
    return []


# The panel's checkbox groups in page order: form field → document field counted for it.
PANEL_GROUPS = {
    "day": "weekdays",
    "time": "times_of_day",
    "condition": "conditions",
    "area": "area_codes",
    "kind": "kind",
    "category": "categories",
    "target": "targets",
}
# Always offered, even at 0 (the schedule groups are few); other groups list what was found.
ALWAYS_SHOWN = ("day", "time")
# The parameters of a chosen point, removed together (近い順 means nothing without one).
POINT_PARAMS = ("lat", "lng", "radius_km", "place")


@dataclass
class Near:
    """Where 近い順 measures from: the form's data with the point, and its name for the chip."""

    params: QueryDict  # what links keep: a typed place stays a place, a position is rounded
    data: QueryDict  # what the SearchForm reads (a typed place resolved to its point)
    name: str = ""
    error: str = ""


def located(params: QueryDict) -> Near:
    """The browser's position rounded (NEAR_ME_DECIMALS), or a typed 住所・駅名・学区.

    A typed place is resolved in memory from the PF's own areas and public listing points
    (matching.origin), never by an outside service; nothing of it is stored or logged.
    """
    params = params.copy()
    if params.get("lat") and params.get("lng"):
        point = rounded_point(params["lat"], params["lng"], NEAR_ME_DECIMALS)
        if point is not None:  # unreadable values are left for the form to refuse
            params["lat"], params["lng"] = str(point.lat), str(point.lng)
        return Near(params, params, HERE)
    text = params.get("place", "").strip()
    if not text:
        return Near(params, params)
    data = params.copy()
    found = None
    if len(text) >= PLACE_MIN_LENGTH:
        found = resolve_place(text, load_vocabulary(), ready_pool(datetime.now(JST)))
    if found is None:
        if data.get("sort") == "distance":
            data.pop("sort")
        error = _("「%(place)s」という地域・施設は、このサイトの掲載から見つかりませんでした。") % {
            "place": text
        }
        return Near(
            params, data, error=error + _("小学校区の名前や、近くの施設の名前で試してください。")
        )
    data["lat"], data["lng"] = str(found.lat), str(found.lng)
    return Near(params, data, found.name)


def point_name(name: str) -> str:
    """The chosen point as the chip names it: a place as typed or found, 現在地 translated."""
    return _("現在地") if name == HERE else name


def choices(form: SearchForm, name: str) -> list[tuple[str, str]]:
    """A choice field's (value, label) pairs as text (every panel field offers choices)."""
    offered: list[tuple[Any, Any]] = getattr(form.fields[name], "choices", [])
    return [(str(value), str(label)) for value, label in offered]


def canonical_params(form: SearchForm, params: QueryDict) -> QueryDict:
    """The query string with list filters as the form cleaned them (sat → 5), page dropped."""
    params = params.copy()
    params.pop("page", None)
    for name in PANEL_GROUPS:
        if name in params:
            params.setlist(name, form.cleaned_data.get(name) or [])
    return params


def panel_groups(
    form: SearchForm, result: SearchResult, area_choices: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Checkbox groups with the engine's counts; chosen values stay even at 0.

    A group with a chosen value is counted without its own filter (disjunctive, docs/search.md
    "件数"), so its other values show what ticking them gives instead of 0.
    """
    groups = []
    for name, document_field in PANEL_GROUPS.items():
        counts = {str(value): n for value, n in result.facets.get(document_field, {}).items()}
        chosen = set(form.cleaned_data.get(name) or [])
        offered = area_choices if name == "area" else choices(form, name)
        options = [
            Option(value, label, counts.get(value, 0), value in chosen)
            for value, label in offered
            if name in ALWAYS_SHOWN or value in counts or value in chosen
        ]
        if options:
            groups.append({"name": name, "label": form.fields[name].label, "options": options})
    return groups


def when_options(form: SearchForm) -> list[Option]:
    chosen = form.cleaned_data.get("when") or ""
    return [Option(value, label, None, value == chosen) for value, label in choices(form, "when")]


def active_chips(form: SearchForm, params: QueryDict, near_name: str) -> list[Chip]:
    """Every filter in effect, each with a link that removes only it (areas included)."""
    data = form.cleaned_data
    chips = [
        Chip(f"{form.fields[name].label}: {label}", toggled(params, name, value))
        for name in PANEL_GROUPS
        for value, label in choices(form, name)
        if value in (data.get(name) or [])
    ]
    if data.get("when"):
        label = dict(choices(form, "when"))[data["when"]]
        chips.append(Chip(f"{form.fields['when'].label}: {label}", with_params(params, when=[])))
    if data.get("date_from"):
        label = _("%(day)sから") % {"day": day_label(data["date_from"])}
        chips.append(Chip(label, with_params(params, date_from=[])))
    if data.get("date_to"):
        label = _("%(day)sまで") % {"day": day_label(data["date_to"])}
        chips.append(Chip(label, with_params(params, date_to=[])))
    if data.get("age") is not None:
        label = _("年齢: %(age)s歳") % {"age": data["age"]}
        chips.append(Chip(label, with_params(params, age=[])))
    if data.get("lat") is not None:
        sort = [] if data.get("sort") == "distance" else params.getlist("sort")
        removed: dict[str, list[str]] = {name: [] for name in POINT_PARAMS}
        label = _("%(place)sの近く") % {"place": point_name(near_name)}
        chips.append(Chip(label, with_params(params, sort=sort, **removed)))
    return chips


def sort_links(form: SearchForm, params: QueryDict, current: str) -> list[dict[str, Any]]:
    """関連度 (with words, else 名前順)・開催が近い順・近い順 (only when a point is given)."""
    orders = ["relevance" if form.cleaned_data.get("q") else "name", "upcoming"]
    if form.cleaned_data.get("lat") is not None:
        orders.append("distance")
    labels = dict(SORT_CHOICES)
    return [
        {
            "label": str(labels[order]),
            "url": with_params(params, sort=[order]),
            "current": order == current,
        }
        for order in orders
    ]


def run_search(request: HttpRequest, page_size: int | None = None) -> tuple[dict[str, Any], int]:
    """The context both pages share, and the HTTP status (400 bad parameters, 503 no engine)."""
    near = located(request.GET)
    form = SearchForm(near.data)
    context: dict[str, Any] = {
        "near": near,
        "point_decimals": NEAR_ME_DECIMALS,
        "form": form,
        "list_url": reverse("search"),
        "map_url": reverse("search-map"),
    }
    if not form.is_valid():
        context["errors"] = [
            f"{form.fields[name].label}: {message}" if name in form.fields else message
            for name, messages in form.errors.items()
            for message in messages
        ]
        # The filter panel stays, open, with what was typed (a bad 年齢 is kept in its field).
        context.update(when=when_options(form), kept=[], groups=[])
        return context, 400
    query, understanding = understood_query(form.to_query(), form.cleaned_data.get("literal") or ())
    query = replace(
        query,
        facets=tuple(dict.fromkeys((*query.facets, *PANEL_GROUPS.values()))),
        page_size=page_size or query.page_size,
    )
    try:
        result = get_engine().search(query)
        last_page = max(1, math.ceil(result.total / query.page_size))
        if query.page > last_page:  # past the end: the last page, as /members/ does
            query.page = last_page
            result = get_engine().search(query)
    except SearchUnavailable as error:
        logger.error("search unavailable: %s", type(error).__name__)
        context["unavailable"] = True
        return context, 503
    labels = {name: display_labels(scheme) for name, scheme in FACET_SCHEMES.items()}
    params = canonical_params(form, near.params)
    weak = result.total < PARTIAL_BELOW or result.all_words_total is not None
    chips = active_chips(form, params, near.name)
    context.update(
        understood=understood_parts(understanding, params),
        all_words_total=result.all_words_total,
        weak=weak_result_help(form, result, params, labels) if weak else None,
        personal_information=personal_information_notices(form),
        result=result,
        cards=[card(hit, labels) for hit in result.hits],
        groups=panel_groups(form, result, local_area_choices()),
        when=when_options(form),
        kept=[(n, v) for n in (*POINT_PARAMS, "literal") for v in params.getlist(n)],
        kept_filters=[
            (n, v) for n in params if n not in ("q", "literal") for v in params.getlist(n)
        ],
        near_kept=[
            (n, v) for n in params if n not in (*POINT_PARAMS, "sort") for v in params.getlist(n)
        ],
        sorts=sort_links(form, params, query.sort),
        sort=query.sort,
        chips=chips,
        clear_url=with_params(
            params, **{name: [] for name in params if name not in ("q", "literal")}
        ),
        page=query.page,
        num_pages=last_page,
        querystring=params.urlencode(),
    )
    return context, 200


@cache_control(private=True, no_store=True)  # the words may be personal: no cache keeps them
@limited("search")
def search(request: HttpRequest) -> HttpResponse:
    context, status = run_search(request)
    return render(request, "search/search.html", context, status=status)


@cache_control(private=True, no_store=True)
@limited("search")
def search_map(request: HttpRequest) -> HttpResponse:
    """The same results on a map: public points only; the others listed beside it."""
    context, status = run_search(request, page_size=MAX_PAGE_SIZE)
    if status == 200:
        context.update(map_context([hit.document for hit in context["result"].hits]))
    return render(request, "search/search_map.html", context, status=status)


def map_context(documents: list[SearchDocument]) -> dict[str, Any]:
    """Markers for listings with a public point; online-only and unplaced ones as lists.

    A confidential place has no lat/lng in its document (search.documents), so it can only
    ever be listed, never placed.
    """
    placed = [d for d in documents if d["lat"] is not None and d["lng"] is not None]
    unplaced = [d for d in documents if d["lat"] is None or d["lng"] is None]
    return {
        "map_config": {
            "tileUrl": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "markers": [
                {
                    "name": d["name"],
                    "url": d["url"],
                    "lat": d["lat"],
                    "lng": d["lng"],
                    "area": d["area_name"],
                }
                for d in placed
            ],
        },
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "placed_count": len(placed),
        "online_only": [d for d in unplaced if d["online"]],
        "not_placed": [d for d in unplaced if not d["online"]],
    }
