"""Shortcuts in the embedded engine's ranking give the pages that scoring every match gives.

The named-first path (search/engines/embedded.py, _rank_named) reads bm25 only for matches with
a query phrase in the name and proves the page with a bound on every other match's bm25.
"""

from datetime import date, timedelta

import pytest

from search.engines import embedded
from search.engines.base import SearchQuery
from search.text import clause_phrases, fts_query, query_terms, term_variants
from tests.factories.directory import PlacePageFactory

pytestmark = pytest.mark.django_db

QUERIES = [
    (text, size, page)
    for text in ("相談", "食堂", "相談 食堂", "無料")
    for size in (1, 2, 5)
    for page in (1, 2, 3)
]


@pytest.fixture
def engine(reindex):
    old = date.today() - timedelta(days=500)
    for i in range(14):
        PlacePageFactory(
            title=["相談の食堂", "みんなの食堂", "集いの場", "相談室", "無料塾"][i % 5] + str(i),
            summary="食堂で相談 " * (i % 5) + "ごはん",
            description="相談 " * (14 - i) + ("参加費無料" if i % 4 == 0 else ""),
            last_verified=old if i % 3 == 0 else date.today(),
        )
    # Strong bm25 without the word in the name: the bound must keep it in reach of the page.
    PlacePageFactory(title="集いの場 X", summary="相談 食堂 " * 30, description="無料 " * 40)
    # Rare synonyms of 無料 make its bound large: the named page cannot be proven, so the
    # engine falls back to every match's bm25.
    PlacePageFactory(title="学習会", description="参加は0円です")
    PlacePageFactory(title="貸し出し", description="車いすを無償でお貸しします")
    return reindex()


def pages(engine):
    return {
        q: [
            hit.document["id"]
            for hit in engine.search(SearchQuery(q[0], page_size=q[1], page=q[2])).hits
        ]
        for q in QUERIES
    }


def test_named_first_pages_equal_scoring_every_match(engine, monkeypatch):
    monkeypatch.setattr(embedded, "RERANK_MARGIN", 10**9)  # every match scored
    monkeypatch.setattr(embedded, "NAMED_FIRST_WITHIN", 0)  # never named-first
    exhaustive = pages(engine)
    monkeypatch.setattr(embedded, "RERANK_MARGIN", 0)
    monkeypatch.setattr(embedded, "NAMED_FIRST_WITHIN", 10**9)  # named-first whenever possible
    answered = []
    rank_named = embedded._rank_named

    def spy(*args):
        page = rank_named(*args)
        answered.append(page is not None)
        return page

    monkeypatch.setattr(embedded, "_rank_named", spy)
    assert pages(engine) == exhaustive
    assert any(answered), "the named-first path never gave a page"
    assert not all(answered), "the fallback to every match's bm25 was never taken"


@pytest.mark.parametrize("text", ["相談", "食堂", "相談 食堂", "無料", "集い"])
def test_bm25_bound_is_above_every_rows_score(engine, text):
    connection = engine.connection
    phrases = [p for term in query_terms(text) for p in clause_phrases(term_variants(term))]
    scores = [
        -score
        for (score,) in connection.execute(
            f"SELECT {embedded._BM25_SQL} FROM fts WHERE fts MATCH ?",  # noqa: S608
            [fts_query(text)],
        )
    ]
    bound = embedded._bm25_bound(connection, phrases, float("inf"))
    assert scores
    assert max(scores) < bound
