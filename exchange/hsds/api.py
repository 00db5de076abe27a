"""The HSDS 3.0 read API (/api/hsds/), described by our own `openapi.json` beside this module.

Every object comes from exchange.hsds.export, the same builder as export_hsds. Lists are
filtered in Python over the public listings: a PF holds hundreds to a few thousand listings,
and the HSDS filters (taxonomy term ids, organisation ids) are ids computed by that builder.
Bad parameters answer 400 with Japanese and English messages; unknown ids 404; never a 500.
The listing answers are cached until public content changes (core.public_cache).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache, partial, wraps
from pathlib import Path
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from core import http
from core.geo import haversine_km
from core.limits import limited
from core.public_cache import public_cached
from core.text import fold
from directory.listings.schedules import JST
from directory.models import Member, VocabularyTerm
from exchange.hsds.export import (
    HSDS_VERSION,
    VOCABULARY_SCHEMES,
    organization_object,
    service_at_location_object,
    service_list_object,
    service_object,
    taxonomy_object,
    taxonomy_term_object,
    vocabulary_terms,
)
from exchange.hsds.ids import taxonomy_id, taxonomy_term_id
from exchange.hsds.places import location_objects
from exchange.hsds.selection import (
    PublicListing,
    find_public_listing,
    listing_terms,
    public_listings,
    public_members,
)
from search.engines import get_engine
from search.engines.base import SearchQuery, SearchUnavailable

# Hand-written for what this module does; tests/exchange/test_hsds_openapi.py keeps them in step.
OPENAPI_FILE = Path(__file__).with_name("openapi.json")
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
READ_METHODS = ("GET", "HEAD")
SEARCH_BATCH = 100  # hits asked of the search engine at a time
MAX_SEARCH_LENGTH = 200  # as the site's search form (search.forms.SearchForm.q)


class BadParameter(ValueError):
    """A query parameter the API cannot use; `messages` is Japanese and English."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


# Public data: any site may read every answer, errors too (core.http, docs/data-exchange.md).
_json = partial(http.json_response, cors=http.Cors.ANY_ORIGIN)


def _not_found(what: str) -> JsonResponse:
    return _json({"errors": {"id": [f"{what}が見つかりません / {what} not found"]}}, status=404)


def hsds_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """GET and HEAD only, CORS for everyone, and parameter errors as a 400 JSON answer.

    A read-only API holds no session state, so CSRF does not apply: any other method gets
    a JSON 405 from here instead of the CSRF middleware's 403 HTML page.
    """
    view = limited("api", api=True, cors=http.Cors.ANY_ORIGIN)(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in READ_METHODS:
            # Empty on purpose: website.middleware explains every 405 the one way (JSON here).
            return HttpResponseNotAllowed(READ_METHODS)
        try:
            response = view(request, *args, **kwargs)
        except BadParameter as error:
            response = _json({"errors": {error.name: [error.message]}}, status=400)
        response = http.with_cors(response, http.Cors.ANY_ORIGIN)
        return _without_body(response) if request.method == "HEAD" else response

    return wrapper


def _without_body(response: HttpResponseBase) -> HttpResponse:
    """The answer to HEAD: the headers GET would send, no body (a cached answer is untouched)."""
    head = HttpResponse(status=response.status_code)
    for name, value in response.items():
        head[name] = value
    if isinstance(response, HttpResponse):
        head["Content-Length"] = str(len(response.content))
    return head


# -- parameters ---------------------------------------------------------------------------
def _int(request: HttpRequest, name: str, default: int, minimum: int, maximum: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if not minimum <= value <= maximum:
        raise BadParameter(
            name,
            f"{name} は {minimum}〜{maximum} の整数で指定してください"
            f" / {name} must be an integer from {minimum} to {maximum}",
        )
    return value


def _bool(request: HttpRequest, name: str) -> bool:
    raw = request.GET.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadParameter(
        name, f"{name} は true か false で指定してください / {name} must be true or false"
    )


def _float(request: HttpRequest, name: str) -> float | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise BadParameter(name, f"{name} は数値で指定してください / {name} must be a number")
    return value


def _modified_after(request: HttpRequest) -> datetime | None:
    raw = request.GET.get("modified_after", "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as error:
        raise BadParameter(
            "modified_after",
            "modified_after は ISO 8601 の日時（例: 2025-04-01T00:00:00+09:00）で指定してください"
            " / modified_after must be an ISO 8601 date-time",
        ) from error
    return value if value.tzinfo else value.replace(tzinfo=JST)


def _search(request: HttpRequest) -> str:
    value = request.GET.get("search", "").strip()
    if len(value) > MAX_SEARCH_LENGTH:
        raise BadParameter(
            "search",
            f"search は {MAX_SEARCH_LENGTH} 文字までです"
            f" / search must be at most {MAX_SEARCH_LENGTH} characters",
        )
    return value


def _format(request: HttpRequest) -> str:
    value = request.GET.get("format", "json").strip().lower() or "json"
    if value not in ("json", "ndjson"):
        raise BadParameter(
            "format", "format は json か ndjson です / format must be json or ndjson"
        )
    return value


# -- pagination ---------------------------------------------------------------------------
def paginated(
    request: HttpRequest, items: list[Any], build: Callable[[Any], Any]
) -> HttpResponseBase:
    """The HSDS Page object (or, with format=ndjson, every item as one JSON line)."""
    if _format(request) == "ndjson":
        lines = (json.dumps(build(item), ensure_ascii=False) + "\n" for item in items)
        return StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    per_page = _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    total_pages = max(1, math.ceil(len(items) / per_page))
    page = _int(request, "page", 1, 1, 10**6)
    contents = [build(item) for item in items[(page - 1) * per_page : page * per_page]]
    return _json(
        {
            "total_items": len(items),
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


# -- filters over public listings ----------------------------------------------------------
@cache
def _taxonomy_ids() -> dict[str, str]:
    return {taxonomy_id(scheme): scheme.value for scheme in VOCABULARY_SCHEMES}


def _term_keys(listing: PublicListing) -> set[tuple[str, str]]:
    return {(scheme, term.slug) for scheme, term in listing_terms(listing.listing, listing.kind)}


def matching(items: list[PublicListing], text: str) -> list[PublicListing]:
    """The listings the site's search finds for `text` (its matching and synonyms), best first.

    The search index holds what residents are offered (`for_residents()`); open data also
    carries paused and ended listings, which are matched by the site's folding of the text
    (core.text.fold) and follow the engine's hits. When the engine cannot answer, folding is
    all there is.
    """
    by_id = {str(item.listing.uuid): item for item in items}
    try:
        ids = _search_ids(text)
    except SearchUnavailable:
        ids = []
    found = [by_id[i] for i in ids if i in by_id]
    seen = {str(item.listing.uuid) for item in found}
    needle = fold(text)
    return found + [
        item
        for item in items
        if str(item.listing.uuid) not in seen and needle in fold(_search_text(item))
    ]


def _search_ids(text: str) -> list[str]:
    """Every hit of the site's search engine for `text`, in its order (all pages)."""
    engine = get_engine()
    ids: list[str] = []
    page = 1
    while True:
        result = engine.search(SearchQuery(text=text, page=page, page_size=SEARCH_BATCH, facets=()))
        ids += [hit.document["id"] for hit in result.hits]
        if not result.hits or len(ids) >= result.total:
            return ids
        page += 1


def _search_text(item: PublicListing) -> str:
    listing = item.listing
    return " ".join(
        (listing.title, listing.kana, listing.summary, listing.description, item.member.name)
    )


def filtered_listings(request: HttpRequest) -> list[PublicListing]:
    """Public listings matching search, taxonomy_term_id, taxonomy_id, organization_id, modified_after."""
    items = public_listings()
    search = _search(request)
    if search:
        items = matching(items, search)
    term_id = request.GET.get("taxonomy_term_id", "").strip()
    if term_id:
        wanted = {
            (t.scheme, t.slug)
            for t in vocabulary_terms()
            if taxonomy_term_id(t.scheme, t.slug) == term_id
        }
        items = [item for item in items if wanted & _term_keys(item)]
    tax_id = request.GET.get("taxonomy_id", "").strip()
    if tax_id:
        scheme = _taxonomy_ids().get(tax_id)
        items = [item for item in items if scheme and any(s == scheme for s, _ in _term_keys(item))]
    organization_id = request.GET.get("organization_id", "").strip()
    if organization_id:
        items = [item for item in items if str(item.member.uuid) == organization_id.lower()]
    after = _modified_after(request)
    if after is not None:
        items = [
            item
            for item in items
            if (item.listing.last_published_at or item.listing.latest_revision_created_at or after)
            >= after
        ]
    return items


# -- views --------------------------------------------------------------------------------
@hsds_view
def api_root(request: HttpRequest) -> HttpResponse:
    return _json(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("hsds-openapi")),
        }
    )


@cache
def _openapi() -> dict[str, Any]:
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


@hsds_view
def openapi(request: HttpRequest) -> HttpResponse:
    return _json(_openapi())


@hsds_view
@public_cached
def services(request: HttpRequest) -> HttpResponseBase:
    items = filtered_listings(request)
    if _bool(request, "minimal"):
        return paginated(request, items, _minimal_service)
    build = service_object if _bool(request, "full") else service_list_object
    return paginated(request, items, build)


def _minimal_service(item: PublicListing) -> dict[str, Any]:
    """minimal=true: only what a harvester needs to decide what to fetch again."""
    data = service_list_object(item)
    return {key: data[key] for key in ("id", "last_modified") if key in data}


@hsds_view
@public_cached
def service_detail(request: HttpRequest, id: str) -> HttpResponse:
    item = find_public_listing(id)
    return _json(service_object(item)) if item else _not_found("サービス / service")


def _listings_by_member() -> dict[int, list[PublicListing]]:
    """Public listings grouped by member: built once per answer, not once per organisation."""
    found: dict[int, list[PublicListing]] = {}
    for item in public_listings():
        found.setdefault(item.member.pk, []).append(item)
    return found


def _organization(
    member: Member, request: HttpRequest, services: list[PublicListing]
) -> dict[str, Any]:
    data = organization_object(member)
    full = _bool(request, "full_service")
    # Nested in its organization, a service does not repeat it (the compiled HSDS schema).
    data["services"] = [
        _without(service_object(i), "organization") if full else service_list_object(i)
        for i in services
    ]
    return data


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in keys}


def _organization_list(member: Member) -> dict[str, Any]:
    data = organization_object(member)
    return {k: v for k, v in data.items() if not isinstance(v, list)}


@hsds_view
@public_cached
def organizations(request: HttpRequest) -> HttpResponseBase:
    members = public_members()
    search = fold(_search(request))
    if search:
        members = [m for m in members if search in fold(f"{m.name} {m.kana} {m.description}")]
    if not (_bool(request, "full") or _bool(request, "full_service")):
        return paginated(request, members, _organization_list)
    by_member = _listings_by_member()
    return paginated(request, members, lambda m: _organization(m, request, by_member.get(m.pk, [])))


@hsds_view
@public_cached
def organization_detail(request: HttpRequest, id: str) -> HttpResponse:
    member = next((m for m in public_members() if str(m.uuid) == id.lower()), None)
    if member is None:
        return _not_found("団体 / organization")
    return _json(_organization(member, request, _listings_by_member().get(member.pk, [])))


def _service_at_locations(
    items: Iterable[PublicListing],
) -> list[tuple[PublicListing, dict[str, Any]]]:
    return [
        (item, service_at_location_object(item.listing, loc))
        for item in items
        for loc in location_objects(item.listing)
    ]


def _proximity(
    request: HttpRequest, pairs: list[tuple[PublicListing, dict[str, Any]]]
) -> list[tuple[PublicListing, dict[str, Any]]]:
    """postcode / proximity (metres) / lat+lng: filter to locations near a point, nearest first."""
    postcode = fold(request.GET.get("postcode", "")).replace("-", "").strip()
    proximity = _float(request, "proximity")
    lat, lng = _float(request, "lat"), _float(request, "lng")
    if proximity is None:
        if postcode:
            pairs = [(i, sal) for i, sal in pairs if _postcode(sal) == postcode]
        return pairs
    if proximity <= 0:
        raise BadParameter(
            "proximity",
            "proximity は正のメートル数です / proximity must be a positive number of metres",
        )
    if (lat is None) != (lng is None):
        raise BadParameter("lat", "lat と lng は両方指定してください / give both lat and lng")
    if lat is None or lng is None:
        points = [
            (sal["location"]["latitude"], sal["location"]["longitude"])
            for _, sal in pairs
            if _postcode(sal) == postcode and postcode and "latitude" in sal["location"]
        ]
        if not points:
            raise BadParameter(
                "postcode",
                "proximity には lat・lng か、位置の分かる郵便番号（postcode）が必要です"
                " / proximity needs lat and lng, or a postcode with known locations",
            )
        lat, lng = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    near = []
    for item, sal in pairs:
        location = sal["location"]
        if "latitude" not in location:
            continue
        distance = haversine_km(lat, lng, location["latitude"], location["longitude"]) * 1000
        if distance <= proximity:
            near.append((distance, item, sal))
    return [(item, sal) for _, item, sal in sorted(near, key=lambda n: n[0])]


def _postcode(sal: dict[str, Any]) -> str:
    addresses = sal["location"].get("addresses") or [{}]
    return fold(addresses[0].get("postal_code", "")).replace("-", "")


def _sal_list(pair: tuple[PublicListing, dict[str, Any]]) -> dict[str, Any]:
    """The list form: the location and service without their nested arrays (addresses …)."""
    item, sal = pair
    location = {k: v for k, v in sal["location"].items() if not isinstance(v, list)}
    return {**sal, "location": location, "service": service_list_object(item)}


def _sal_full(pair: tuple[PublicListing, dict[str, Any]]) -> dict[str, Any]:
    """Every nested object, except the service's own service_at_locations (this is one)."""
    item, sal = pair
    return {**sal, "service": _without(service_object(item), "service_at_locations")}


@hsds_view
@public_cached
def service_at_locations(request: HttpRequest) -> HttpResponseBase:
    pairs = _proximity(request, _service_at_locations(filtered_listings(request)))
    return paginated(request, pairs, _sal_full if _bool(request, "full") else _sal_list)


@hsds_view
@public_cached
def service_at_location_detail(request: HttpRequest, id: str) -> HttpResponse:
    pair = next(
        (p for p in _service_at_locations(public_listings()) if p[1]["id"] == id.lower()), None
    )
    return _json(_sal_full(pair)) if pair else _not_found("サービス提供場所 / service_at_location")


@hsds_view
def taxonomies(request: HttpRequest) -> HttpResponseBase:
    items = [taxonomy_object(scheme) for scheme in VOCABULARY_SCHEMES]
    search = fold(_search(request))
    if search:
        items = [t for t in items if search in fold(f"{t['name']} {t['description']}")]
    return paginated(request, items, lambda t: t)


@hsds_view
def taxonomy_detail(request: HttpRequest, id: str) -> HttpResponse:
    found = next(
        (taxonomy_object(s) for s in VOCABULARY_SCHEMES if taxonomy_id(s) == id.lower()), None
    )
    return _json(found) if found else _not_found("分類 / taxonomy")


@hsds_view
def taxonomy_terms(request: HttpRequest) -> HttpResponseBase:
    terms: list[VocabularyTerm] = vocabulary_terms()
    search = fold(_search(request))
    if search:
        terms = [
            t for t in terms if search in fold(f"{t.slug} {t.label} {t.label_en} {t.description}")
        ]
    tax_id = request.GET.get("taxonomy_id", "").strip()
    if tax_id:
        terms = [t for t in terms if taxonomy_id(t.scheme) == tax_id.lower()]
    _bool(request, "top_only")  # every term is a top-level term: the vocabulary is flat
    if request.GET.get("parent_id", "").strip():
        terms = []
    return paginated(request, terms, taxonomy_term_object)


@hsds_view
def taxonomy_term_detail(request: HttpRequest, id: str) -> HttpResponse:
    term = next(
        (t for t in vocabulary_terms() if taxonomy_term_id(t.scheme, t.slug) == id.lower()), None
    )
    return _json(taxonomy_term_object(term)) if term else _not_found("分類の語 / taxonomy_term")
