"""What MeilisearchEngine sends to Meilisearch and how it reads the answers.

Against tests/search/recording_server.py, through the official `meilisearch` client over real
HTTP: the expected payloads are written out here in full (not rebuilt with the engine's own
helpers), so a change to what goes over the wire fails. Where Meilisearch's OpenAPI description is
available (../shared/reference/meilisearch/open-api.json), every request body the engine sends and
every canned reply the server serves is also validated against it after each test (the `server`
fixture); a search body is validated with its camelCase names mapped to the description's
snake_case and its wrong `required` list ignored (a known flaw of that generated file, see
tests/search/meilisearch_openapi.py), everything else strictly.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import override_settings

from search.engines.base import GeoPoint, SearchQuery, SearchUnavailable
from search.engines.meilisearch import MeilisearchEngine
from search.engines.meilisearch_wire import verified_recently
from tests.search.meilisearch_openapi import MISSING_REASON, load_contract
from tests.search.recording_server import (
    TaskPlan,
    assert_on_contract,
    closed_port_url,
    error_body,
    running_server,
    sample_document,
    search_response,
    task_view,
)

SYNONYMS = {
    "子ども": ["子供", "こども"],
    "子供": ["子ども", "こども"],
    "こども": ["子ども", "子供"],
}
MARK, END = "\ue000", "\ue001"  # the engine's highlight markers, turned into <mark> on the way back

EXPECTED_SETTINGS = {
    "searchableAttributes": [
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
    ],
    "filterableAttributes": [
        "id",  # deletions select documents with an `id IN [...]` filter
        "kind",
        "categories",
        "targets",
        "conditions",
        "area_codes",
        "weekdays",
        "member_id",
        "cost_type",
        "languages",
        "times_of_day",
        "occurrence_days",
        "age_min",  # the age filter: SearchQuery.age, never a value list
        "age_max",
        "_geo",
    ],
    "sortableAttributes": ["_geo", "sort_name", "next_occurrence"],
    "localizedAttributes": [
        {
            "attributePatterns": [
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
            ],
            "locales": ["jpn"],
        }
    ],
    "synonyms": SYNONYMS,
    "rankingRules": [
        "words",
        "sort",
        "typo",
        "attribute",
        "proximity",
        "exactness",
        "verified_recently:desc",
    ],
    "typoTolerance": {
        "enabled": True,
        "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
        "disableOnAttributes": ["area_name", "address"],
    },
    "faceting": {"maxValuesPerFacet": 300},
    "pagination": {"maxTotalHits": 10000},
}
HIGHLIGHT_PARAMS = {
    "attributesToHighlight": ["name", "summary", "description"],
    "highlightPreTag": MARK,
    "highlightPostTag": END,
    "attributesToCrop": ["description"],
    "cropLength": 40,
}


@pytest.fixture
def server(monkeypatch):
    # A fresh port may repeat an earlier test's: forget which indexes this process configured.
    monkeypatch.setattr("search.engines.meilisearch._configured_indexes", set())
    with running_server() as recorder:
        yield recorder
        assert_on_contract(recorder)


@pytest.fixture
def contract():
    loaded = load_contract()
    if loaded is None:
        pytest.skip(MISSING_REASON)
    return loaded


def engine_for(server, **kwargs) -> MeilisearchEngine:
    options: dict[str, Any] = {
        "api_key": "secret-key",
        "index": "listings",
        "timeout": 1.0,
        "synonyms": SYNONYMS,
    }
    options.update(kwargs)
    return MeilisearchEngine(server.url, **options)


def search_body(server) -> dict:
    """The one search's body: sent alone, or first of a multi-search (without its indexUid)."""
    searches = server.requests_to("POST", "/indexes/listings/search")
    multi = server.requests_to("POST", "/multi-search")
    assert len(searches) + len(multi) == 1, server.routes
    if searches:
        return searches[0].body
    main = dict(multi[0].body["queries"][0])
    assert main.pop("indexUid") == "listings"
    return main


# -- settings and writes ---------------------------------------------------------------------


def test_clear_deletes_all_documents_then_sends_the_exact_settings_and_waits(server):
    engine_for(server).clear()

    assert server.routes == [
        "DELETE /indexes/listings/documents",
        "PATCH /indexes/listings/settings",
        "GET /tasks/0",
        "GET /tasks/1",
    ]
    assert server.requests[0].body is None
    assert server.requests[1].body == EXPECTED_SETTINGS


def test_clear_creates_a_missing_index_through_the_settings(server):
    server.reply("GET", "/tasks/0", task_view(0, "failed", "documentDeletion", "index_not_found"))

    engine_for(server).clear()

    assert server.routes[-1] == "GET /tasks/1"


def test_every_request_carries_the_api_key_as_bearer_token(server):
    engine = engine_for(server)
    engine.clear()
    server.reply("POST", "/indexes/listings/search", search_response())
    engine.search(SearchQuery(text="食堂"))

    assert {r.headers["authorization"] for r in server.requests} == {"Bearer secret-key"}
    assert (
        server.requests_to("PATCH", "/indexes/listings/settings")[0].headers["content-type"]
        == "application/json"
    )


def test_no_authorization_header_without_a_key(server):
    engine_for(server, api_key="").health()

    assert all("authorization" not in r.headers for r in server.requests)


def days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def test_index_configures_once_then_sends_documents_with_geo_and_derived_fields(server):
    with_point = sample_document(last_verified=days_ago(30))
    without_point = sample_document(
        id="0b9d3c1e-0000-4000-8000-000000000002",
        kana="",
        lat=None,
        lng=None,
        address="",
        occurrence_dates=[],
        last_verified=days_ago(400),
    )

    engine_for(server).index([with_point, without_point])

    assert server.writes == [
        "PATCH /indexes/listings/settings",
        "POST /indexes/listings/documents",
    ]
    documents_request = server.requests_to("POST", "/indexes/listings/documents")[0]
    assert documents_request.query == {"primaryKey": ["id"]}
    assert documents_request.body == [
        {
            **with_point,
            "_geo": {"lat": 35.1081, "lng": 136.885},
            "occurrence_days": [20261128, 20261205],
            "sort_name": "みなとこどもしょくどう",
            "verified_recently": 1,
        },
        {
            **without_point,
            "occurrence_days": [],
            "sort_name": "みなと子ども食堂",
            "verified_recently": 0,  # over a year: ranked after equally relevant listings
        },
    ]
    assert "_geo" not in documents_request.body[1]
    assert sorted(server.tasks) == [0, 1]
    assert server.requests_to("GET", "/tasks/1"), "waited for the documents task"

    engine_for(server).index([with_point])  # a second engine in the same process

    assert server.writes[2:] == ["POST /indexes/listings/documents"]


@pytest.mark.parametrize(
    ("last_verified", "expected"),
    [
        ("2025-11-22", 1),  # exactly a year before indexing: not yet stale, as in embedded
        ("2025-11-21", 0),
        ("2025-11-21T09:00:00+09:00", 0),
        (None, 1),  # never verified: not demoted, as in embedded
    ],
)
def test_freshness_is_relative_to_the_indexing_date(last_verified, expected):
    assert verified_recently(last_verified, today=date(2026, 11, 22)) == expected


def test_index_sends_batches_and_waits_for_each_task(server, monkeypatch):
    monkeypatch.setattr("search.engines.meilisearch.BATCH_SIZE", 2)
    documents = [sample_document(id=f"id-{n}") for n in range(5)]

    engine_for(server).index(iter(documents))

    batches = server.requests_to("POST", "/indexes/listings/documents")
    assert [[d["id"] for d in r.body] for r in batches] == [
        ["id-0", "id-1"],
        ["id-2", "id-3"],
        ["id-4"],
    ]
    assert [r.path for r in server.requests if r.path.startswith("/tasks/")] == [
        "/tasks/0",
        "/tasks/1",
        "/tasks/2",
        "/tasks/3",
    ]


def test_delete_selects_the_ids_with_a_filter_after_configuring_once(server):
    """The documented deletion route (delete-batch is not in the OpenAPI description)."""
    engine_for(server).delete(["id-1", 'id-"2'])

    assert server.writes == [
        "PATCH /indexes/listings/settings",  # makes `id` filterable on an index set up earlier
        "POST /indexes/listings/documents/delete",
    ]
    assert server.requests_to("POST", "/indexes/listings/documents/delete")[0].body == {
        "filter": r'id IN ["id-1", "id-\"2"]'
    }
    assert server.routes[-1] == "GET /tasks/1"

    engine_for(server).delete(["id-3"])

    assert server.writes[2:] == ["POST /indexes/listings/documents/delete"]


def test_delete_from_an_index_that_disappeared_is_not_an_error(server):
    server.reply("GET", "/tasks/1", task_view(1, "failed", "documentDeletion", "index_not_found"))

    engine_for(server).delete(["id-1"])


def test_delete_task_failing_otherwise_is_unavailable(server):
    server.task_plan = TaskPlan(status="failed", error_code="internal")

    server.reply("GET", "/tasks/0", task_view(0, "succeeded", "settingsUpdate"))

    with pytest.raises(SearchUnavailable, match="task 1 failed: internal"):
        engine_for(server).delete(["id-1"])


def test_index_name_is_escaped_in_the_path(server):
    engine_for(server, index="listings test").delete(["id-1"])

    assert server.requests[0].path == "/indexes/listings%20test/settings"
    assert server.writes[1] == "POST /indexes/listings%20test/documents/delete"


# -- tasks -----------------------------------------------------------------------------------


def test_waits_while_a_task_is_processing(server):
    server.task_plan = TaskPlan(polls_processing=2)

    engine_for(server).clear()

    assert server.routes[2:] == ["GET /tasks/0"] * 3 + ["GET /tasks/1"] * 3


def test_a_task_that_never_finishes_times_out(server):
    server.task_plan = TaskPlan(polls_processing=10_000)
    engine = engine_for(server, task_timeout=0.3)

    started = time.monotonic()
    with pytest.raises(SearchUnavailable, match=r"task 0 not done after 0\.3 s"):
        engine.clear()
    assert time.monotonic() - started < 1.5


def test_a_failed_settings_task_is_unavailable_and_documents_are_then_not_assumed_configured(
    server,
):
    server.task_plan = TaskPlan(status="failed", error_code="invalid_settings_ranking_rules")
    engine = engine_for(server)

    with pytest.raises(SearchUnavailable, match="invalid_settings_ranking_rules"):
        engine.index([sample_document()])

    server.task_plan = TaskPlan()
    engine.index([sample_document()])
    assert server.writes[-2:] == [
        "PATCH /indexes/listings/settings",
        "POST /indexes/listings/documents",
    ]


def test_a_canceled_task_is_unavailable(server):
    server.task_plan = TaskPlan(status="canceled")

    with pytest.raises(SearchUnavailable, match="canceled"):
        engine_for(server).clear()


def test_clear_fails_when_documents_cannot_be_deleted(server):
    server.task_plan = TaskPlan(status="failed", error_code="internal")

    with pytest.raises(SearchUnavailable, match="task 0 failed: internal"):
        engine_for(server).clear()


# -- search requests -------------------------------------------------------------------------


def test_text_search_request(server):
    server.reply("POST", "/indexes/listings/search", search_response())

    engine_for(server).search(SearchQuery(text=" 食堂 "))

    assert search_body(server) == {
        "q": "食堂",
        "page": 1,
        "hitsPerPage": 20,
        "facets": ["kind", "categories", "targets", "conditions"],
        "locales": ["jpn"],
        "matchingStrategy": "all",
        "showRankingScore": True,
        **HIGHLIGHT_PARAMS,
    }


def test_filters_are_or_within_a_field_and_across_fields(server):
    server.reply("POST", "/indexes/listings/search", search_response())
    query = SearchQuery(
        filters={
            "categories": ["kodomo-shokudo", "ibasho"],
            "targets": ["children"],
            "weekdays": ["0", "5"],
            "conditions": [],
        },
        page=3,
        page_size=50,
        facets=("categories", "area_codes"),
    )

    engine_for(server).search(query)

    assert search_body(server) == {
        "q": "",
        "page": 3,
        "hitsPerPage": 50,
        "facets": ["categories", "area_codes"],
        "locales": ["jpn"],
        "matchingStrategy": "all",
        "showRankingScore": True,
        "filter": 'categories IN ["kodomo-shokudo", "ibasho"] AND targets IN ["children"]'
        " AND weekdays IN [0, 5]",
        "sort": ["sort_name:asc"],
    }


def test_filter_values_are_quoted_and_escaped(server):
    server.reply("POST", "/indexes/listings/search", search_response())

    engine_for(server).search(SearchQuery(filters={"member_id": ['a"b\\c OR kind = x']}))

    assert search_body(server)["filter"] == r'member_id IN ["a\"b\\c OR kind = x"]'


def test_unknown_filter_field_is_refused_before_any_request(server):
    with pytest.raises(ValueError, match="not a filterable field: status"):
        engine_for(server).search(SearchQuery(filters={"status": ["active"]}))
    assert server.requests == []


def test_geo_radius_filter_and_distance_sort(server):
    server.reply("POST", "/indexes/listings/search", search_response())
    query = SearchQuery(
        filters={"kind": ["place"]},
        point=GeoPoint(35.1709, 136.8815),
        radius_km=1.5,
        sort="distance",
    )

    engine_for(server).search(query)

    body = search_body(server)
    assert body["filter"] == 'kind IN ["place"] AND _geoRadius(35.1709, 136.8815, 1500)'
    assert body["sort"] == ["_geoPoint(35.1709, 136.8815):asc"]


def test_distance_sort_without_a_point_is_relevance(server):
    server.reply("POST", "/indexes/listings/search", search_response())

    engine_for(server).search(SearchQuery(text="相談", sort="distance"))

    assert "sort" not in search_body(server)


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (date(2026, 12, 1), date(2026, 12, 31), "occurrence_days 20261201 TO 20261231"),
        (date(2026, 12, 1), None, "occurrence_days >= 20261201"),
        (None, date(2026, 12, 31), "occurrence_days <= 20261231"),
    ],
)
def test_date_filters_on_occurrence_days(server, date_from, date_to, expected):
    server.reply("POST", "/indexes/listings/search", search_response())

    engine_for(server).search(
        SearchQuery(filters={"kind": ["event"]}, date_from=date_from, date_to=date_to)
    )

    assert search_body(server)["filter"] == f'kind IN ["event"] AND {expected}'


def test_age_filter_keeps_ranges_including_the_age_and_listings_without_one(server):
    server.reply("POST", "/indexes/listings/search", search_response())

    engine_for(server).search(SearchQuery(filters={"kind": ["place"]}, age=15))

    # NOT also matches a null or missing end (Meilisearch filter docs): an unset end is open.
    assert (
        search_body(server)["filter"]
        == 'kind IN ["place"] AND NOT age_min > 15 AND NOT age_max < 15'
    )


@pytest.mark.parametrize(
    ("text", "sort", "expected"),
    [
        ("食堂", "upcoming", ["next_occurrence:asc"]),
        ("食堂", "name", ["sort_name:asc"]),
        ("", "upcoming", ["next_occurrence:asc"]),
        ("", "relevance", ["sort_name:asc"]),  # no text, no relevance: name order
    ],
)
def test_sort_orders(server, text, sort, expected):
    server.reply("POST", "/indexes/listings/search", search_response())

    engine_for(server).search(SearchQuery(text=text, sort=sort))

    assert search_body(server)["sort"] == expected


# -- search responses ------------------------------------------------------------------------


def test_response_maps_to_hits_facets_distance_and_escaped_highlights(server):
    near = sample_document(name="<b>港</b> & 子ども食堂")
    server.reply(
        "POST",
        "/indexes/listings/search",
        {
            "hits": [
                {
                    **near,
                    "_geo": {"lat": near["lat"], "lng": near["lng"]},
                    "occurrence_days": [20261128],
                    "sort_name": "みなと",
                    "_geoDistance": 1234,
                    "_rankingScore": 0.91,
                    "_formatted": {
                        **near,
                        "name": f"<b>港</b> & 子ども{MARK}食堂{END}",
                        "summary": "毎週土曜日のお昼ごはん",
                        "description": f"…いっしょに<i>{MARK}食べる{END}…",
                    },
                }
            ],
            "query": "食堂",
            "processingTimeMs": 3,
            "totalHits": 41,
            "page": 1,
            "hitsPerPage": 20,
            "totalPages": 3,
            "facetDistribution": {"kind": {"place": 30, "event": 11}, "targets": {"children": 41}},
        },
    )

    result = engine_for(server).search(
        SearchQuery(
            text="食堂", point=GeoPoint(35.1, 136.9), facets=("kind", "targets", "conditions")
        )
    )

    assert result.engine == "meilisearch"
    assert result.total == 41
    assert result.facets == {
        "kind": {"place": 30, "event": 11},
        "targets": {"children": 41},
        "conditions": {},
    }
    (hit,) = result.hits
    assert hit.document == near
    assert hit.score == 0.91
    assert hit.distance_km == 1.234
    assert hit.highlights == {
        "name": "&lt;b&gt;港&lt;/b&gt; &amp; 子ども<mark>食堂</mark>",
        "summary": "毎週土曜日のお昼ごはん",
        "description": "…いっしょに&lt;i&gt;<mark>食べる</mark>…",
    }


def test_no_highlights_without_a_text_query(server):
    server.reply(
        "POST",
        "/indexes/listings/search",
        search_response(hits=[sample_document()], totalHits=1),
    )

    assert engine_for(server).search(SearchQuery()).hits[0].highlights == {}


def test_distance_is_computed_when_meilisearch_gives_none(server):
    document = sample_document(lat=35.0, lng=136.0)
    server.reply(
        "POST",
        "/indexes/listings/search",
        search_response(hits=[document, sample_document(lat=None, lng=None)], totalHits=2),
    )

    result = engine_for(server).search(SearchQuery(point=GeoPoint(35.0, 136.01)))

    assert result.hits[0].distance_km == pytest.approx(0.911, abs=0.001)
    assert result.hits[1].distance_km is None


def test_no_distance_without_a_point(server):
    server.reply(
        "POST",
        "/indexes/listings/search",
        search_response(hits=[{**sample_document(), "_geoDistance": 50}], totalHits=1),
    )

    assert engine_for(server).search(SearchQuery()).hits[0].distance_km is None


# -- failures --------------------------------------------------------------------------------


def test_connection_refused_is_unavailable():
    engine = MeilisearchEngine(closed_port_url(), timeout=0.5, synonyms={})

    with pytest.raises(SearchUnavailable):
        engine.search(SearchQuery(text="食堂"))
    with pytest.raises(SearchUnavailable):
        engine.index([sample_document()])
    with pytest.raises(SearchUnavailable):
        engine.delete(["id-1"])


def test_a_server_slower_than_the_timeout_is_unavailable(server):
    server.reply("POST", "/indexes/listings/search", search_response(), delay=1.5)
    engine = engine_for(server, timeout=0.2)

    started = time.monotonic()
    with pytest.raises(SearchUnavailable, match="POST /indexes/listings/search"):
        engine.search(SearchQuery(text="食堂"))
    assert time.monotonic() - started < 1.0


def test_http_500_is_unavailable_with_the_error_code_but_not_the_message(server):
    server.reply(
        "POST",
        "/indexes/listings/search",
        error_body("internal", "Attribute `secret-filter-value` is not filterable.", "internal"),
        status=500,
    )

    with pytest.raises(SearchUnavailable) as raised:
        engine_for(server).search(SearchQuery(text="ひきこもり相談"))

    assert str(raised.value) == "Meilisearch POST /indexes/listings/search: HTTP 500 internal"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_a_4xx_answer_is_unavailable_too(server):
    server.reply(
        "POST",
        "/indexes/listings/search",
        error_body("index_not_found", "Index `listings` not found."),
        status=404,
    )

    with pytest.raises(SearchUnavailable, match="HTTP 404 index_not_found"):
        engine_for(server).search(SearchQuery())


@pytest.mark.parametrize(
    "body",
    [b"<html>proxy error</html>", {"hits": "nope", "totalHits": 1}, {"totalHits": 3}, []],
)
def test_a_malformed_answer_is_unavailable(server, body):
    server.reply("POST", "/indexes/listings/search", body, off_contract=True)

    with pytest.raises(SearchUnavailable):
        engine_for(server).search(SearchQuery(text="食堂"))


def test_an_enqueue_answer_without_task_uid_is_unavailable(server):
    server.reply("PATCH", "/indexes/listings/settings", {"ok": True}, status=202, off_contract=True)

    with pytest.raises(SearchUnavailable, match="no task uid"):
        engine_for(server).delete(["id-1"])


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "127.0.0.1:7700"])
def test_a_missing_or_non_http_url_is_unavailable_not_a_crash(url):
    engine = MeilisearchEngine(url, synonyms={})

    with pytest.raises(SearchUnavailable, match="MEILISEARCH_URL"):
        engine.search(SearchQuery(text="食堂"))
    with pytest.raises(SearchUnavailable, match="MEILISEARCH_URL"):
        engine.index([sample_document()])
    assert engine.health()["ok"] is False


# -- health and settings ---------------------------------------------------------------------


def test_health_reports_documents(server):
    server.documents = 42

    assert engine_for(server).health() == {
        "ok": True,
        "engine": "meilisearch",
        "index": "listings",
        "documents": 42,
        "indexing": False,
    }


@pytest.mark.parametrize("failure", ["refused", "500", "slow"])
def test_health_never_raises(server, failure):
    if failure == "refused":
        engine = MeilisearchEngine(closed_port_url(), timeout=0.2)
    else:
        engine = engine_for(server, timeout=0.2)
        if failure == "500":
            server.reply("GET", "/health", error_body("internal", kind="internal"), status=500)
        else:
            server.reply("GET", "/health", {"status": "available"}, delay=1.0)

    report = engine.health()

    assert report["ok"] is False
    assert report["documents"] is None
    assert report["error"]


def test_from_settings_reads_url_key_index_and_timeout(server):
    with override_settings(
        MEILISEARCH_URL=server.url + "/",
        MEILISEARCH_API_KEY="from-settings",
        MEILISEARCH_INDEX="pf_listings",
        MEILISEARCH_TIMEOUT=0.7,
    ):
        engine = MeilisearchEngine.from_settings()
    server.reply("POST", "/indexes/pf_listings/search", search_response())

    engine.search(SearchQuery())

    assert engine.timeout == 0.7
    (request,) = server.requests
    assert request.path == "/indexes/pf_listings/search"
    assert request.headers["authorization"] == "Bearer from-settings"


@pytest.mark.django_db  # the shared list includes the 事務局's entries
def test_settings_use_the_shared_synonym_list(server):
    from search.synonyms import load_synonyms

    engine_for(server, synonyms=None).clear()

    (settings_request,) = server.requests_to("PATCH", "/indexes/listings/settings")
    assert settings_request.body["synonyms"] == load_synonyms()
    assert settings_request.body["synonyms"]["引きこもり"][0] == "ひきこもり"


# -- the official client and Meilisearch's published contract -------------------------------


def test_requests_go_through_the_official_python_client(server):
    from meilisearch.version import __version__

    engine_for(server).health()

    assert {r.headers["user-agent"] for r in server.requests} == {
        f"Meilisearch Python (v{__version__})"
    }


def test_every_request_and_reply_of_a_whole_session_follows_the_openapi_description(
    server, contract
):
    """clear, index, delete, every kind of search, health: all documented, all conforming."""
    engine = engine_for(server)
    server.reply("POST", "/indexes/listings/search", search_response())

    engine.clear()
    engine.index([sample_document(), sample_document(id="id-2", lat=None, lng=None)])
    engine.delete(["id-2"])
    engine.search(SearchQuery(text="食堂", filters={"weekdays": ["5"]}, sort="upcoming"))
    engine.search(
        SearchQuery(
            point=GeoPoint(35.17, 136.88),
            radius_km=2,
            sort="distance",
            date_from=date(2026, 12, 1),
        )
    )
    engine.health()

    assert {route.split(" ")[0] for route in server.routes} == {"GET", "POST", "PATCH", "DELETE"}
    assert server.violations == []


@pytest.mark.parametrize(
    ("method", "path", "body", "problem"),
    [
        ("PATCH", "/indexes/listings/settings", {"rankingRule": ["words"]}, "rankingRule"),
        (
            "PATCH",
            "/indexes/listings/settings",
            {"typoTolerance": {"minWordSizeForTypo": {"oneTypo": 5}}},
            "typoTolerance",
        ),
        (
            "PATCH",
            "/indexes/listings/settings",
            {"localizedAttributes": [{"attributePatterns": ["name"], "locales": ["japanese"]}]},
            "localizedAttributes",
        ),
        ("POST", "/indexes/listings/search", {"q": "x", "hitPerPage": 5}, "hit_per_page"),
        ("POST", "/indexes/listings/search", {"q": "x", "matchingStrategy": "any"}, "any"),
        ("POST", "/indexes/listings/documents/delete", {"ids": ["a"]}, "filter"),
        ("POST", "/indexes/listings/documents/delete-batch", ["a"], "not in Meilisearch"),
    ],
)
def test_the_contract_check_refuses_what_meilisearch_does_not_document(
    contract, method, path, body, problem
):
    try:
        problems = contract.request_errors(method, path, body)
    except AssertionError as error:
        problems = [str(error)]

    assert any(problem in p for p in problems), problems


def test_the_contract_check_accepts_a_camel_case_search_body_without_the_defaulted_fields(
    contract,
):
    body = {"q": "食堂", "hitsPerPage": 20, "showRankingScore": True, "locales": ["jpn"]}

    assert contract.request_errors("POST", "/indexes/listings/search", body) == []


@pytest.mark.parametrize(
    ("path", "status", "body", "problem"),
    [
        ("/tasks/0", 200, {"uid": 0, "status": "failed", "type": "settingsUpdate"}, "enqueuedAt"),
        ("/tasks/0", 200, task_view(0, "done", "settingsUpdate"), "done"),
        ("/tasks/0", 404, {"message": "gone", "code": "task_not_found"}, "link"),
        ("/indexes/listings/stats", 200, {"numberOfDocuments": 1, "isIndexing": False}, "field"),
        ("/health", 200, {"status": "ok"}, "ok"),
    ],
)
def test_the_contract_check_refuses_replies_meilisearch_would_not_give(
    contract, path, status, body, problem
):
    problems = contract.response_errors("GET", path, status, body)

    assert any(problem in p for p in problems), problems


def test_a_search_reply_missing_documented_fields_is_refused(contract):
    problems = contract.response_errors(
        "POST", "/indexes/listings/search", 200, {"hits": [], "totalHits": 0}
    )

    assert any("processingTimeMs" in p for p in problems), problems


# -- query understanding and partial matching (issue 13) ------------------------------------


def test_few_full_matches_send_a_second_request_for_most_words_with_the_same_filters(server):
    server.reply("POST", "/indexes/listings/search", search_response())
    query = SearchQuery(text="二階 食堂", filters={"times_of_day": ["5-night"]})

    engine_for(server).search(query)

    first, second = (r.body for r in server.requests_to("POST", "/indexes/listings/search"))
    assert first["matchingStrategy"] == "all" and second["matchingStrategy"] == "frequency"
    assert first["filter"] == second["filter"] == 'times_of_day IN ["5-night"]'
    assert {k: v for k, v in first.items() if k != "matchingStrategy"} == {
        k: v for k, v in second.items() if k != "matchingStrategy"
    }


def test_one_word_or_partial_off_sends_one_request(server):
    server.reply("POST", "/indexes/listings/search", search_response())
    engine = engine_for(server)

    engine.search(SearchQuery(text="食堂"))
    engine.search(SearchQuery(text="二階 食堂", partial=False))

    assert len(server.requests_to("POST", "/indexes/listings/search")) == 2


def test_literal_words_are_not_looked_up_in_the_labels(server):
    server.reply("POST", "/indexes/listings/search", search_response())

    engine_for(server).search(SearchQuery(text="車いす", literal=("車いす",)))

    assert search_body(server)["attributesToSearchOn"] == [
        "name",
        "kana",
        "name_reading",
        "keywords",
        "summary",
        "description",
        "member_name",
        "area_name",
        "address",
    ]


@pytest.mark.django_db
def test_the_api_sends_meilisearch_the_query_the_embedded_engine_answers(
    server, client, settings, monkeypatch
):
    """Same words → same understood query (filters, text) on both engines, and on the wire."""
    from search.engines.embedded import EmbeddedEngine

    server.reply("POST", "/indexes/listings/search", search_response())
    received: dict[str, SearchQuery] = {}

    def spy(name, original):
        def search(self, query):
            received[name] = query
            return original(self, query)

        return search

    monkeypatch.setattr(EmbeddedEngine, "search", spy("embedded", EmbeddedEngine.search))
    monkeypatch.setattr(MeilisearchEngine, "search", spy("meili", MeilisearchEngine.search))
    settings.MEILISEARCH_URL, settings.MEILISEARCH_INDEX = server.url, "listings"
    params = {"q": "土曜の夜 こども食堂 無料", "page_size": 10}
    for backend in ("embedded", "meilisearch"):
        settings.SEARCH_BACKEND = backend
        assert client.get("/api/v1/resources", params).status_code == 200

    assert received["embedded"] == received["meili"]
    assert received["meili"].filters == {"weekdays": ["5"], "times_of_day": ["5-night"]}
    body = server.requests_to("POST", "/indexes/listings/search")[0].body
    assert body["q"] == "こども食堂 無料"
    assert "weekdays IN [5]" in body["filter"] and 'times_of_day IN ["5-night"]' in body["filter"]


# -- disjunctive facet counts (issue 12) ------------------------------------------------------


def counted(**extra: Any) -> dict:
    """An extra multi-search query counting one field: matching only, no hits."""
    return {"indexUid": "listings", "q": "", "locales": ["jpn"], "matchingStrategy": "all"} | extra


def test_chosen_counted_fields_are_counted_without_their_own_filter_in_one_multi_search(server):
    server.reply(
        "POST",
        "/indexes/listings/search",
        search_response(
            totalHits=2,
            facetDistribution={
                "kind": {"place": 2},
                "categories": {"kodomo-shokudo": 2},
                "targets": {"children": 2},
            },
        ),
    )
    query = SearchQuery(
        filters={
            "categories": ["kodomo-shokudo", "ibasho"],
            "targets": ["children"],
            "weekdays": ["5"],  # filtered, not counted: an ordinary filter everywhere
        },
        facets=("kind", "categories", "targets"),
    )

    engine_for(server).search(query)

    assert server.routes == ["POST /multi-search"]  # one round trip, no /indexes/…/search
    (request,) = server.requests_to("POST", "/multi-search")
    assert request.body == {
        "queries": [
            {
                "indexUid": "listings",
                "q": "",
                "page": 1,
                "hitsPerPage": 20,
                "facets": ["kind", "categories", "targets"],
                "locales": ["jpn"],
                "matchingStrategy": "all",
                "showRankingScore": True,
                "filter": 'categories IN ["kodomo-shokudo", "ibasho"] AND targets IN ["children"]'
                " AND weekdays IN [5]",
                "sort": ["sort_name:asc"],
            },
            counted(
                filter='targets IN ["children"] AND weekdays IN [5]',
                limit=0,
                facets=["categories"],
            ),
            counted(
                filter='categories IN ["kodomo-shokudo", "ibasho"] AND weekdays IN [5]',
                limit=0,
                facets=["targets"],
            ),
        ],
        "federation": None,  # the official client always sends it; null is no federation
    }


def test_each_chosen_fields_counts_come_from_its_own_query(server):
    server.reply(
        "POST",
        "/multi-search",
        {
            "results": [
                search_response(
                    indexUid="listings",
                    hits=[sample_document()],
                    totalHits=1,
                    facetDistribution={
                        "kind": {"place": 1},
                        "categories": {"kodomo-shokudo": 1},
                        "conditions": {"free": 1},
                    },
                ),
                {
                    "indexUid": "listings",
                    "hits": [],
                    "query": "食堂",
                    "processingTimeMs": 1,
                    "limit": 0,
                    "offset": 0,
                    "estimatedTotalHits": 6,
                    "facetDistribution": {"categories": {"kodomo-shokudo": 1, "salon": 5}},
                },
            ]
        },
    )

    result = engine_for(server).search(
        SearchQuery(
            text="食堂",
            filters={"categories": ["kodomo-shokudo"]},
            facets=("kind", "categories", "conditions"),
        )
    )

    assert result.total == 1 and len(result.hits) == 1
    assert result.facets == {
        "kind": {"place": 1},  # among the results
        "categories": {"kodomo-shokudo": 1, "salon": 5},  # without its own filter
        "conditions": {"free": 1},
    }
    (request,) = server.requests_to("POST", "/multi-search")
    counting = request.body["queries"][1]
    assert counting == counted(q="食堂", limit=0, facets=["categories"])  # no filter left


def test_without_a_chosen_counted_field_the_search_route_is_kept(server):
    server.reply("POST", "/indexes/listings/search", search_response())

    engine_for(server).search(
        SearchQuery(filters={"weekdays": ["5"], "categories": []}, facets=("categories",))
    )

    assert server.routes == ["POST /indexes/listings/search"]


def test_partial_matching_counts_the_chosen_fields_over_most_words_too(server):
    server.reply("POST", "/indexes/listings/search", search_response())
    query = SearchQuery(
        text="二階 食堂", filters={"kind": ["place"]}, facets=("kind",), literal=("二階",)
    )

    engine_for(server).search(query)

    first, second = (r.body["queries"] for r in server.requests_to("POST", "/multi-search"))
    assert [q["matchingStrategy"] for q in first] == ["all", "all"]
    assert [q["matchingStrategy"] for q in second] == ["frequency", "frequency"]
    assert second[1] == counted(
        q="二階 食堂",
        matchingStrategy="frequency",
        attributesToSearchOn=second[0]["attributesToSearchOn"],
        limit=0,
        facets=["kind"],
    )


@pytest.mark.parametrize(
    "body",
    [
        {"results": []},
        {"results": [search_response(indexUid="listings")]},  # one answer for two queries
        {"hits": [], "processingTimeMs": 1},
    ],
)
def test_a_multi_search_answer_of_the_wrong_shape_is_unavailable(server, body):
    server.reply("POST", "/multi-search", body, off_contract=True)

    with pytest.raises(SearchUnavailable, match="multi-search"):
        engine_for(server).search(SearchQuery(filters={"kind": ["place"]}))


def test_the_contract_check_holds_multi_search_to_the_description(contract):
    """Its corrections are narrow: what Meilisearch would refuse is still refused."""
    good = {"queries": [{"indexUid": "listings", "q": "", "limit": 0, "facets": ["kind"]}]}
    assert contract.request_errors("POST", "/multi-search", good) == []
    for bad in (
        {"queries": [{"q": "", "limit": 0}]},  # no indexUid
        {"queries": [{"indexUid": "listings", "facet": ["kind"]}]},
        {"queries": [{"indexUid": "listings", "limit": -1}]},
    ):
        assert contract.request_errors("POST", "/multi-search", bad), bad
    assert contract.response_errors("POST", "/multi-search", 200, {"results": []}) == []
    assert contract.response_errors(
        "POST", "/multi-search", 200, {"results": [search_response()]}
    ), "each result names its index"
