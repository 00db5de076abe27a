"""GET /api/v1/resources and /api/v1/resources/<id> (shape: docs/search.md "API").

UTF-8 JSON with Japanese text as is; bad parameters → 400 {"errors": {param: [messages]}};
an engine that cannot answer → 503 with the same shape. Never a 500 for input.
"""

from __future__ import annotations

import logging
from functools import partial

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core import http
from core.limits import limited
from directory.models.listings import find_visible_listing
from search.documents import build_document
from search.engines import get_engine
from search.engines.base import Hit, SearchDocument, SearchUnavailable
from search.forms import FACETS, SearchForm
from search.understanding import understood_query

logger = logging.getLogger("tsunagari.search")
UNAVAILABLE = "検索が一時的に利用できません。しばらくしてからもう一度お試しください。"


# A public read API: any site may read it, errors too (core.http, docs/search.md "CORS").
json_response = partial(http.json_response, cors=http.Cors.ANY_ORIGIN)


def resource(document: SearchDocument, request: HttpRequest, distance_km: float | None) -> dict:
    """One result in the API's shape."""
    location = None
    if document["lat"] is not None and document["lng"] is not None:
        location = {"lat": document["lat"], "lng": document["lng"], "address": document["address"]}
    return {
        "id": document["id"],
        "kind": document["kind"],
        "name": document["name"],
        "kana": document["kana"],
        "url": request.build_absolute_uri(document["url"]),
        "summary": document["summary"],
        "member": {"id": document["member_id"], "name": document["member_name"]},
        "categories": document["categories"],
        "targets": document["targets"],
        "conditions": document["conditions"],
        # .get: a document indexed before ages existed has none until search_reindex.
        "age_min": document.get("age_min"),
        "age_max": document.get("age_max"),
        "area": {"code": document["area_codes"][0], "name": document["area_name"]}
        if document["area_codes"]
        else None,
        "location": location,
        "distance_km": round(distance_km, 2) if distance_km is not None else None,
        "next_occurrence": document["next_occurrence"],
    }


def hit_resource(hit: Hit, request: HttpRequest) -> dict:
    return resource(hit.document, request, hit.distance_km)


@require_GET
@cache_control(private=True, no_store=True)  # the words may be personal: no cache keeps them
@limited("api", api=True, cors=http.Cors.ANY_ORIGIN)
def resources(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return json_response({"errors": form.api_errors()}, status=400)
    query, understanding = understood_query(form.to_query(), form.cleaned_data.get("literal") or ())
    try:
        result = get_engine().search(query)
    except SearchUnavailable as error:
        logger.error("search unavailable: %s", type(error).__name__)
        return json_response({"errors": {"search": [UNAVAILABLE]}}, status=503)
    return json_response(
        {
            "count": result.total,
            "page": query.page,
            "results": [hit_resource(hit, request) for hit in result.hits],
            "facets": {name: result.facets.get(field, {}) for name, field in FACETS.items()},
            # What the words were read as (docs/search.md "Query understanding"); `literal=word`
            # searches a word as typed instead.
            "understood": [
                {"word": part.word, "as": part.role, "label": part.label}
                for part in understanding.parts
            ],
            "all_words_count": result.all_words_total,
        }
    )


@require_GET
@limited("api", api=True, cors=http.Cors.ANY_ORIGIN)
def resource_detail(request: HttpRequest, id: str) -> JsonResponse:
    """One listing residents see (for_residents), read from the database (always current)."""
    not_found = json_response({"errors": {"id": ["この ID の掲載は見つかりません。"]}}, status=404)
    page = find_visible_listing(id)
    if page is None:
        return not_found
    document = build_document(page)
    if document is None:
        return not_found
    data = resource(document, request, None)
    data.pop("distance_km")
    data.update(
        {
            "description": page.description,
            "keywords": document["keywords"],
            "online": document["online"],
            "schedule_text": page.schedule_text,
            "occurrences": [
                {"start": o.start.isoformat(), "end": o.end.isoformat() if o.end else None}
                for o in page.next_occurrences(count=5)
            ],
            "cost": {"type": page.cost_type or None, "text": page.cost_text},
            "capacity": page.capacity,
            "how_to_join": page.how_to_join,
            "accessibility": page.accessibility,
            "languages": document["languages"],
            "contact": {
                "contact_point": page.contact_point,
                "phone": page.phone,
                "email": page.email,
                "website": page.website,
            },
            "last_verified": document["last_verified"],
        }
    )
    return json_response(data)
