"""The plain /search/ page: a GET form, result cards, facet links, pagination. No JavaScript.

It uses the same SearchForm as the API, so a later map / near-me view only adds lat, lng and
radius_km to the same query string.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from core.limits import limited
from core.pii import validate_no_personal_information
from directory.listings.schedules import JST, WEEKDAY_LABELS
from directory.models import Scheme
from directory.vocabulary import vocabulary_labels
from search.engines import get_engine
from search.engines.base import PARTIAL_BELOW, Hit, SearchResult, SearchUnavailable
from search.forms import FACETS, SearchForm
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
# Parameters the plain form does not show (set by links or a later map view); kept on resubmit.
HIDDEN_PARAMS = ("lat", "lng", "radius_km", "date_from", "date_to", "day", "sort")


@dataclass
class FacetLink:
    label: str
    count: int
    url: str
    active: bool


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
    text = f"次回 {start.month}月{start.day}日（{WEEKDAY_LABELS[start.weekday()]}）"
    return text if (start.hour, start.minute) == (0, 0) else f"{text}{start:%H:%M}〜"


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
            "オンラインあり" if document["online"] else "",
            f"約{hit.distance_km:.1f}km" if hit.distance_km is not None else "",
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


def facet_links(
    result: SearchResult, params: QueryDict, labels: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    groups = []
    for name, field in FACETS.items():
        selected = params.getlist(name)
        counts = result.facets.get(field, {})
        links = [
            FacetLink(
                labels[name].get(slug, slug), count, toggled(params, name, slug), slug in selected
            )
            for slug, count in counts.items()
        ]
        links += [  # a chosen filter stays removable even when nothing matches it now
            FacetLink(labels[name].get(slug, slug), 0, toggled(params, name, slug), True)
            for slug in selected
            if slug not in counts
        ]
        if links:
            groups.append({"name": name, "label": FACET_SCHEMES[name].label, "links": links})
    return groups


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


@cache_control(private=True, no_store=True)  # the words may be personal: no cache keeps them
@limited("search")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "hidden_params": [
            (name, value)
            for name in HIDDEN_PARAMS
            for value in request.GET.getlist(name)
            if value and name not in form.errors
        ],
        "hidden_errors": [
            f"{form.fields[name].label}: {message}"
            for name in (*HIDDEN_PARAMS, "page", "page_size")
            for message in form.errors.get(name, [])
        ],
    }
    status = 200
    if not form.is_valid():
        status = 400
    else:
        query, understanding = understood_query(
            form.to_query(), form.cleaned_data.get("literal") or ()
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
            return render(request, "search/search.html", context, status=503)
        labels = {name: vocabulary_labels(scheme.value) for name, scheme in FACET_SCHEMES.items()}
        params = request.GET.copy()
        without_page = params.copy()
        without_page.pop("page", None)
        weak = result.total < PARTIAL_BELOW or result.all_words_total is not None
        context.update(
            understood=understood_parts(understanding, params),
            all_words_total=result.all_words_total,
            weak=weak_result_help(form, result, params, labels) if weak else None,
            personal_information=personal_information_notices(form),
            result=result,
            cards=[card(hit, labels) for hit in result.hits],
            facets=facet_links(result, params, labels),
            page=query.page,
            num_pages=last_page,
            querystring=without_page.urlencode(),
            active_filters=[
                {"label": labels[name].get(slug, slug), "url": toggled(params, name, slug)}
                for name in FACETS
                for slug in params.getlist(name)
            ],
        )
    return render(request, "search/search.html", context, status=status)
