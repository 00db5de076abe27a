"""Disjunctive facet counts (issue 12), the same on every engine.

A group with chosen values is counted with every filter except its own: the number beside an
unticked value is how many results that value gives in place of the group's choices (what
ticking it adds, when listings do not carry both values). Groups without a chosen value are
counted among the results shown. The embedded engine always runs; Meilisearch only against a
real server (MEILISEARCH_URL, see test_meilisearch_integration.py) — its requests are checked
against the OpenAPI description in test_meilisearch_contract.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search.engines.base import SearchEngine, SearchQuery
from search.engines.embedded import EmbeddedEngine
from search.engines.fallback import FallbackEngine, PrimaryPause
from search.engines.meilisearch import MeilisearchEngine
from tests.search.recording_server import error_body, running_server, sample_document
from tests.search.test_meilisearch_integration import MEILISEARCH_URL, temporary_index

pytestmark = pytest.mark.django_db  # text queries read the synonym list

FACETS = ("kind", "categories", "targets")


def listing(id: str, kind: str, category: str, target: str, text: str = "食堂"):
    return sample_document(
        id=id,
        kind=kind,
        name=f"{text}{id}",
        kana="",
        summary="",
        description="",
        keywords=[],
        categories=[category],
        targets=[target],
    )


DOCUMENTS = [
    listing("a", "place", "kodomo-shokudo", "children"),
    listing("b", "place", "salon", "older-people"),
    listing("c", "event", "kodomo-shokudo", "children"),
    listing("d", "service", "consultation", "children"),
    listing("e", "place", "salon", "children"),
    listing("f", "place", "salon", "children", text="体操"),
]


@pytest.fixture(params=["embedded", "meilisearch"])
def any_engine(request, engine) -> Iterator[SearchEngine]:
    if request.param == "embedded":
        engine.index(DOCUMENTS)
        yield engine
        return
    if not MEILISEARCH_URL:
        pytest.skip("MEILISEARCH_URL is not set (see test_meilisearch_integration.py)")
    with temporary_index(DOCUMENTS) as meili:
        yield meili


def search(engine: SearchEngine, text: str = "", **filters: list[str]):
    return engine.search(SearchQuery(text=text, filters=filters, facets=FACETS, sort="name"))


def test_the_chosen_groups_other_values_count_what_they_would_add(any_engine):
    result = search(any_engine, categories=["kodomo-shokudo"])

    assert result.total == 2
    assert result.facets["categories"] == {"salon": 3, "kodomo-shokudo": 2, "consultation": 1}
    both = search(any_engine, categories=["kodomo-shokudo", "salon"])
    assert both.total == result.total + result.facets["categories"]["salon"]
    assert search(any_engine, categories=["salon"]).total == result.facets["categories"]["salon"]


def test_groups_without_a_choice_still_count_among_the_results(any_engine):
    result = search(any_engine, categories=["kodomo-shokudo"])

    assert result.facets["targets"] == {"children": 2}
    assert result.facets["kind"] == {"event": 1, "place": 1}


def test_each_chosen_group_keeps_every_other_groups_filter(any_engine):
    result = search(any_engine, categories=["kodomo-shokudo"], targets=["children"])

    assert result.total == 2
    # categories among children's listings; targets among こども食堂's; kind among both.
    assert result.facets["categories"] == {"salon": 2, "kodomo-shokudo": 2, "consultation": 1}
    assert result.facets["targets"] == {"children": 2}
    assert result.facets["kind"] == {"event": 1, "place": 1}


def test_text_and_chosen_groups_together(any_engine):
    result = search(any_engine, "食堂", categories=["salon"], kind=["place"])

    assert result.total == 2  # b and e; f has no 食堂
    assert result.facets["categories"] == {"kodomo-shokudo": 1, "salon": 2}
    assert result.facets["kind"] == {"place": 2}
    assert result.facets["targets"] == {"children": 1, "older-people": 1}


def test_nothing_found_still_counts_the_chosen_groups_other_values(any_engine):
    result = search(any_engine, categories=["consultation"], kind=["place"])

    assert result.total == 0
    assert result.facets["categories"] == {"salon": 3, "kodomo-shokudo": 1}
    assert result.facets["kind"] == {"service": 1}
    assert result.facets["targets"] == {}


def test_partial_matches_count_the_chosen_group_over_the_same_partial_matches(any_engine):
    result = any_engine.search(
        SearchQuery(text="食堂 体操", filters={"categories": ["salon"]}, facets=FACETS)
    )  # by relevance: partial matching is a relevance search's

    assert result.all_words_total == 0  # no listing has both words: any of them, widened
    assert result.total == 3
    assert result.facets["categories"] == {"salon": 3, "kodomo-shokudo": 2, "consultation": 1}


def test_a_failed_multi_search_falls_back_to_the_same_counts(engine, monkeypatch):
    monkeypatch.setattr(
        "search.engines.fallback.primary_pause", PrimaryPause(clock=lambda: 0.0)
    )  # this test's own pause: no other test's failure skips the primary here
    engine.index(DOCUMENTS)
    with running_server() as server:
        server.reply("POST", "/multi-search", error_body("internal", kind="internal"), status=500)
        primary = MeilisearchEngine(server.url, timeout=0.5, synonyms={})
        result = FallbackEngine(primary, engine).search(
            SearchQuery(filters={"categories": ["kodomo-shokudo"]}, facets=FACETS)
        )
        assert server.routes == ["POST /multi-search"]

    assert result.engine == "embedded"
    assert result.facets["categories"] == {"salon": 3, "kodomo-shokudo": 2, "consultation": 1}


def statements(engine: EmbeddedEngine, query: SearchQuery) -> list[str]:
    """The SQL statements one search runs (after a warm-up that builds the value bitsets).

    FTS5's own statements (traced with a leading "--") are left out.
    """
    engine.search(query)
    run: list[str] = []
    engine.connection.set_trace_callback(run.append)
    try:
        engine.search(query)
    finally:
        engine.connection.set_trace_callback(None)
    return [statement for statement in run if not statement.startswith("--")]


@pytest.mark.parametrize("text", ["食堂", ""])
def test_the_embedded_engine_pays_one_statement_for_any_number_of_chosen_groups(engine, text):
    engine.index(DOCUMENTS)

    def count(**filters: list[str]) -> int:
        query = SearchQuery(text=text, filters=filters, facets=FACETS, sort="name")
        return len(statements(engine, query))

    plain = count()
    one_group = count(categories=["salon"])
    assert one_group - plain <= 1
    assert count(categories=["salon"], kind=["place"], targets=["children"]) == one_group
    # A filter on a field that is not counted is an ordinary filter: nothing more to ask.
    assert count(member_id=["5f1c2a3b-0000-4000-8000-000000000009"]) == plain
    if not text:  # nothing but chosen groups: every count comes from the kept bitsets
        assert one_group == plain
