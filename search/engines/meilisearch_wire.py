"""What the Meilisearch engine sends and reads back: index settings, documents, search bodies.

Pure functions over our SearchDocument / SearchQuery and Meilisearch's JSON (v1.10+), kept apart
from the engine's client, tasks and failure handling (search/engines/meilisearch.py) so that the
contract tests can hold each request against Meilisearch's OpenAPI description on its own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from core.geo import haversine_km
from search.engines.base import (
    FILTERABLE_FIELDS,
    Hit,
    SearchDocument,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    disjunctive_facets,
)
from search.engines.embedded import STALE_AFTER_DAYS

DOCUMENT_KEYS = tuple(SearchDocument.__annotations__)

# Order is weight: Meilisearch's "attribute" ranking rule prefers matches in earlier fields.
SEARCHABLE_ATTRIBUTES = (
    "name",
    "kana",
    "name_reading",
    "keywords",
    "labels",
    "summary",
    "description",
    "member_name",
    "area_name",
    "address",
)
# Derived fields that exist only in Meilisearch's copy of a document (see to_meilisearch).
OCCURRENCE_DAYS = "occurrence_days"  # session dates as YYYYMMDD ints: range filters need numbers
SORT_NAME = "sort_name"  # kana, or the name when there is no kana: "" must not sort first
VERIFIED_RECENTLY = "verified_recently"  # 1, or 0 when last verified over a year before indexing

# `id` only for deletions (delete): residents filter on FILTERABLE_FIELDS, which lack it.
AGE_BOUNDS = ("age_min", "age_max")  # filtered by SearchQuery.age (build_filter), not by value
FILTERABLE_ATTRIBUTES = ("id", *FILTERABLE_FIELDS, OCCURRENCE_DAYS, *AGE_BOUNDS, "_geo")
SORTABLE_ATTRIBUTES = ("_geo", SORT_NAME, "next_occurrence")
NUMERIC_FILTER_FIELDS = frozenset({"weekdays"})
# "sort" right after "words": an explicit sort (distance, upcoming, name) orders the matching
# documents; without a sort parameter the rule does nothing and relevance decides.
# The freshness rule comes last, so it only orders documents the relevance rules found equal.
# A custom ranking rule's attribute needs no sortableAttributes entry: Meilisearch builds the
# facet data for every asc/desc rule's attribute itself (docs: "Custom ranking rules").
RANKING_RULES = (
    "words",
    "sort",
    "typo",
    "attribute",
    "proximity",
    "exactness",
    f"{VERIFIED_RECENTLY}:desc",
)
# Place names one character apart are different places (名古屋市中区 / 名古屋市北区).
NO_TYPO_ATTRIBUTES = ("area_name", "address")
# Meilisearch allows no typo below oneTypo characters: 1–2 character words (食堂, 相談) stay exact.
MIN_WORD_SIZE_FOR_TYPOS = {"oneTypo": 5, "twoTypos": 9}
MAX_TOTAL_HITS = 10_000
MAX_VALUES_PER_FACET = 300

# A literal word (the resident undid its reading as a field) is not looked up in the labels.
TEXT_ATTRIBUTES = tuple(a for a in SEARCHABLE_ATTRIBUTES if a != "labels")
HIGHLIGHT_FIELDS = ("name", "summary", "description")
CROP_FIELDS = ("description",)
CROP_LENGTH = 40
# Private-use characters mark matches; the text is HTML-escaped first, then they become <mark>.
_PRE, _POST = "\ue000", "\ue001"
_MARKED = re.compile(f"{_PRE}(.*?){_POST}", re.DOTALL)


def index_settings(synonyms: dict[str, list[str]]) -> dict[str, Any]:
    """The whole settings object, sent with PATCH so the index always matches this code."""
    return {
        "searchableAttributes": list(SEARCHABLE_ATTRIBUTES),
        "filterableAttributes": list(FILTERABLE_ATTRIBUTES),
        "sortableAttributes": list(SORTABLE_ATTRIBUTES),
        # Without this Meilisearch detects kanji-only text (食堂, 相談) as Chinese.
        "localizedAttributes": [
            {"attributePatterns": list(SEARCHABLE_ATTRIBUTES), "locales": ["jpn"]}
        ],
        "synonyms": synonyms,
        "rankingRules": list(RANKING_RULES),
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": MIN_WORD_SIZE_FOR_TYPOS,
            "disableOnAttributes": list(NO_TYPO_ATTRIBUTES),
        },
        "faceting": {"maxValuesPerFacet": MAX_VALUES_PER_FACET},
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
    }


def _day_number(iso_date: str | date) -> int:
    """2026-12-05 → 20261205: ordered like the date and usable in a numeric range filter."""
    day = iso_date if isinstance(iso_date, date) else date.fromisoformat(iso_date[:10])
    return day.year * 10_000 + day.month * 100 + day.day


def verified_recently(last_verified: str | None, today: date) -> int:
    """1 unless last verified more than STALE_AFTER_DAYS before `today`.

    The embedded engine's rule: a listing with no verification date is not demoted.
    A number, not a boolean: custom ranking rules order numbers or strings.
    """
    if not last_verified:
        return 1
    verified = date.fromisoformat(last_verified[:10])
    return int(verified >= today - timedelta(days=STALE_AFTER_DAYS))


def to_meilisearch(document: SearchDocument, today: date) -> dict[str, Any]:
    """The document plus `_geo` (only when it has coordinates) and the derived fields.

    `today` is the indexing date the freshness flag is computed against.
    """
    payload: dict[str, Any] = dict(document)
    if document["lat"] is not None and document["lng"] is not None:
        payload["_geo"] = {"lat": document["lat"], "lng": document["lng"]}
    payload[OCCURRENCE_DAYS] = [_day_number(d) for d in document["occurrence_dates"]]
    payload[SORT_NAME] = document["kana"] or document["name"]
    payload[VERIFIED_RECENTLY] = verified_recently(document["last_verified"], today)
    return payload


def from_meilisearch(hit: dict[str, Any]) -> SearchDocument:
    """Back to the shared document shape: Meilisearch's own and derived fields dropped."""
    return {key: hit[key] for key in DOCUMENT_KEYS if key in hit}  # type: ignore[return-value]


def quote_value(value: str) -> str:
    """A filter string literal; backslashes and double quotes escaped as the filter parser expects."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def id_filter(ids: Iterable[str]) -> str:
    """The filter selecting these document ids, for the documented delete-by-filter route."""
    return f"id IN [{', '.join(quote_value(str(i)) for i in ids)}]"


def _field_condition(field: str, values: list[str]) -> str:
    if field in NUMERIC_FILTER_FIELDS:
        literals = [str(int(v)) for v in values]
    else:
        literals = [quote_value(str(v)) for v in values]
    return f"{field} IN [{', '.join(literals)}]"


def build_filter(query: SearchQuery) -> str | None:
    """AND across fields, OR within one field's values (IN), plus radius and date range."""
    conditions = []
    for field, values in query.filters.items():
        if field not in FILTERABLE_FIELDS:
            raise ValueError(f"not a filterable field: {field}")
        if values:
            conditions.append(_field_condition(field, values))
    if query.point is not None and query.radius_km is not None:
        meters = round(query.radius_km * 1000)
        conditions.append(f"_geoRadius({query.point.lat}, {query.point.lng}, {meters})")
    if query.date_from and query.date_to:
        start, end = _day_number(query.date_from), _day_number(query.date_to)
        conditions.append(f"{OCCURRENCE_DAYS} {start} TO {end}")
    elif query.date_from:
        conditions.append(f"{OCCURRENCE_DAYS} >= {_day_number(query.date_from)}")
    elif query.date_to:
        conditions.append(f"{OCCURRENCE_DAYS} <= {_day_number(query.date_to)}")
    if query.age is not None:
        # NOT … matches documents whose end is null or missing too: an end not stated is open.
        age = int(query.age)
        conditions.append(f"NOT age_min > {age} AND NOT age_max < {age}")
    return " AND ".join(conditions) or None


def build_sort(query: SearchQuery) -> list[str] | None:
    """None means relevance. Distance without a point cannot be computed: relevance then.

    Without a text there is no relevance: name order, as in the embedded engine.
    """
    if query.sort == "distance" and query.point is not None:
        return [f"_geoPoint({query.point.lat}, {query.point.lng}):asc"]
    if query.sort == "upcoming":
        return ["next_occurrence:asc"]
    if query.sort == "name" or not query.text.strip():
        return [f"{SORT_NAME}:asc"]
    return None


def _matching(query: SearchQuery, partial: bool) -> dict[str, Any]:
    """What decides which documents match: words, matching strategy, attributes, filter."""
    body: dict[str, Any] = {
        "q": query.text.strip(),
        "locales": ["jpn"],
        "matchingStrategy": "frequency" if partial else "all",
    }
    if query.literal:
        # Meilisearch cannot restrict one word's attributes, so the whole query skips labels.
        body["attributesToSearchOn"] = list(TEXT_ATTRIBUTES)
    filter_expression = build_filter(query)
    if filter_expression:
        body["filter"] = filter_expression
    return body


def build_search(query: SearchQuery, partial: bool = False) -> dict[str, Any]:
    """The body of POST /indexes/{uid}/search for one SearchQuery.

    `partial`: listings with most of the words too ("frequency" drops the commonest words
    first; the "words" ranking rule then orders by how many words a listing has), the request
    for the embedded engine's partial matching.
    """
    matching = _matching(query, partial)
    body: dict[str, Any] = {
        "q": matching.pop("q"),
        "page": max(query.page, 1),
        "hitsPerPage": query.page_size,
        "facets": list(query.facets),
        "locales": matching.pop("locales"),
        "matchingStrategy": matching.pop("matchingStrategy"),
        "showRankingScore": True,
        **matching,
    }
    sort = build_sort(query)
    if sort:
        body["sort"] = sort
    if body["q"]:
        body.update(
            attributesToHighlight=list(HIGHLIGHT_FIELDS),
            highlightPreTag=_PRE,
            highlightPostTag=_POST,
            attributesToCrop=list(CROP_FIELDS),
            cropLength=CROP_LENGTH,
        )
    return body


def build_facet_search(query: SearchQuery, field: str, partial: bool = False) -> dict[str, Any]:
    """A search counting `field` without its own filter: no hits (`limit: 0`), one facet.

    The disjunctive count of a chosen field (base.disjunctive_facets): the same words,
    strategy and other filters as the main search, so each value's number is how many
    results it gives in place of the field's choices.
    """
    others = {name: values for name, values in query.filters.items() if name != field}
    return {**_matching(replace(query, filters=others), partial), "limit": 0, "facets": [field]}


def multi_search_queries(
    query: SearchQuery, index_uid: str, partial: bool = False
) -> list[dict[str, Any]]:
    """The `queries` of POST /multi-search: the search, then one per chosen counted field."""
    return [
        {"indexUid": index_uid, **build_search(query, partial)},
        *(
            {"indexUid": index_uid, **build_facet_search(query, field, partial)}
            for field in disjunctive_facets(query)
        ),
    ]


def highlight_html(text: str) -> str:
    """Meilisearch returns raw text: escape it all, then turn the match markers into <mark>."""
    marked = _MARKED.sub(r"<mark>\1</mark>", html.escape(text))
    return marked.replace(_PRE, "").replace(_POST, "")


def _highlights(formatted: dict[str, Any]) -> dict[str, str]:
    """Every highlighted field Meilisearch formatted (only for a text query), like the embedded engine."""
    return {
        field: highlight_html(value)
        for field in HIGHLIGHT_FIELDS
        if isinstance(value := formatted.get(field), str)
    }


def _distance_km(hit: dict[str, Any], query: SearchQuery) -> float | None:
    if query.point is None:
        return None
    if isinstance(hit.get("_geoDistance"), int | float):
        return hit["_geoDistance"] / 1000
    if hit.get("lat") is None or hit.get("lng") is None:
        return None
    return haversine_km(query.point.lat, query.point.lng, hit["lat"], hit["lng"])


def multi_search_result(response: dict[str, Any], query: SearchQuery) -> SearchResult:
    """The search's result with each chosen field's counts from its own query's answer."""
    try:
        main, *counted = response["results"]
        fields = disjunctive_facets(query)
        if len(counted) != len(fields):
            raise ValueError("one answer per query")
        result = to_result(main, query)
        for field, answer in zip(fields, counted, strict=True):
            distribution = answer.get("facetDistribution") or {}
            result.facets[field] = dict(distribution.get(field, {}))
        return result
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise SearchUnavailable(
            f"Meilisearch multi-search: unexpected response ({error!r})"
        ) from None


def to_result(response: dict[str, Any], query: SearchQuery) -> SearchResult:
    """Map a search response back to SearchResult; a malformed response is SearchUnavailable."""
    try:
        hits = [
            Hit(
                document=from_meilisearch(hit),
                score=float(hit.get("_rankingScore", 0.0)),
                distance_km=_distance_km(hit, query),
                highlights=_highlights(hit.get("_formatted") or {}),
            )
            for hit in response["hits"]
        ]
        distribution = response.get("facetDistribution") or {}
        facets = {field: dict(distribution.get(field, {})) for field in query.facets}
        return SearchResult(
            hits=hits, total=int(response["totalHits"]), facets=facets, engine="meilisearch"
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise SearchUnavailable(f"Meilisearch search: unexpected response ({error!r})") from None
