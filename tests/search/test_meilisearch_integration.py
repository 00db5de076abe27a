"""The Meilisearch engine against a real server: the behaviours the contract tests cannot show.

Skipped unless MEILISEARCH_URL is set. Each run uses its own index (tsunagari_test_<random>)
and deletes it afterwards, so a shared server is safe:

    docker run --rm -p 7700:7700 -e MEILI_MASTER_KEY=dev-master-key getmeili/meilisearch:v1.12
    MEILISEARCH_URL=http://127.0.0.1:7700 MEILISEARCH_API_KEY=dev-master-key \\
        .venv/bin/python -m pytest -m meilisearch
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest

from search.engines.base import GeoPoint, SearchDocument, SearchQuery
from search.engines.meilisearch import MeilisearchEngine
from tests.search.recording_server import sample_document

MEILISEARCH_URL = os.environ.get("MEILISEARCH_URL", "")
pytestmark = [
    pytest.mark.meilisearch,
    pytest.mark.skipif(
        not MEILISEARCH_URL,
        reason="MEILISEARCH_URL is not set (start Meilisearch ≥ 1.10, e.g. `docker run -p "
        "7700:7700 getmeili/meilisearch:v1.12`, then `MEILISEARCH_URL=http://127.0.0.1:7700 "
        "pytest -m meilisearch`)",
    ),
]

NAGOYA_STATION = GeoPoint(35.1709, 136.8815)
SHOKUDO = sample_document(
    id="a",
    keywords=["子ども食堂"],
    lat=35.1081,  # about 7 km south of Nagoya station
    lng=136.8850,
)
SODAN = sample_document(
    id="b",
    kind="service",
    name="ひきこもり相談窓口",
    kana="ひきこもりそうだんまどぐち",
    summary="ご本人もご家族も",
    description="電話でも相談できます。",
    keywords=[],
    categories=["consultation"],
    targets=["hikikomori", "families"],
    conditions=[],
    lat=None,
    lng=None,
    address="",
    online=True,
    weekdays=[],
    next_occurrence=None,
    occurrence_dates=[],
)
TOSHOKAN = sample_document(
    id="c",
    kind="event",
    name="中央図書館",  # kanji only: Meilisearch reads this as Chinese unless told it is Japanese
    kana="ちゅうおうとしょかん",
    summary="絵本の読み聞かせ",
    description="二階の食堂の隣で開きます。",
    keywords=[],
    categories=["reading"],
    targets=["children"],
    lat=NAGOYA_STATION.lat,
    lng=NAGOYA_STATION.lng,
    weekdays=[5],
    next_occurrence="2027-01-09T10:30:00+09:00",
    occurrence_dates=["2027-01-09"],
)
CAFE = sample_document(
    id="d",
    name="オレンジカフェ",
    kana="おれんじかふぇ",
    summary="認知症の方と家族の集い",
    description="お茶を飲みながら話せます。",
    keywords=[],
    categories=["dementia-cafe"],
    targets=["older-people"],
    lat=35.1800,  # about 2 km from Nagoya station
    lng=136.9000,
    weekdays=[2],
    next_occurrence="2026-11-25T14:00:00+09:00",
    occurrence_dates=["2026-11-25"],
)
DOCUMENTS = [SHOKUDO, SODAN, TOSHOKAN, CAFE]


@contextmanager
def temporary_index(documents: list[SearchDocument]) -> Iterator[MeilisearchEngine]:
    """An index of its own holding `documents`, deleted afterwards."""
    engine = MeilisearchEngine(
        MEILISEARCH_URL,
        os.environ.get("MEILISEARCH_API_KEY", ""),
        index=f"tsunagari_test_{uuid.uuid4().hex[:12]}",
        timeout=5.0,
        task_timeout=60.0,
    )
    engine.clear()
    try:
        engine.index(documents)
        yield engine
    finally:
        deletion = engine.connection.client.delete_index(engine.index_uid)
        engine.wait_for_task(deletion.task_uid)


@pytest.fixture(scope="module")
def meili():
    with temporary_index(DOCUMENTS) as engine:
        yield engine


def ids(result) -> list[str]:
    return [hit.document["id"] for hit in result.hits]


def test_a_two_character_word_is_found_inside_longer_words_and_names_rank_first(meili):
    result = meili.search(SearchQuery(text="食堂"))

    assert ids(result) == ["a", "c"]  # 子ども食堂 in the name before 食堂 in a description
    assert "<mark>食堂</mark>" in result.hits[0].highlights["name"]


def test_kanji_only_text_is_searched_as_japanese(meili):
    assert ids(meili.search(SearchQuery(text="図書館"))) == ["c"]


def test_short_words_get_no_typo_tolerance(meili):
    assert ids(meili.search(SearchQuery(text="相段"))) == []
    assert ids(meili.search(SearchQuery(text="相談"))) == ["b"]


def test_synonyms_from_the_shared_list(meili):
    assert ids(meili.search(SearchQuery(text="引きこもり"))) == ["b"]
    assert ids(meili.search(SearchQuery(text="認知症カフェ"))) == ["d"]


def test_filters_or_within_a_field_and_across_fields(meili):
    either = SearchQuery(filters={"categories": ["kodomo-shokudo", "reading"]})
    both = SearchQuery(filters={"categories": ["kodomo-shokudo", "reading"], "kind": ["event"]})
    saturday = SearchQuery(filters={"weekdays": ["5"]})

    assert sorted(ids(meili.search(either))) == ["a", "c"]
    assert ids(meili.search(both)) == ["c"]
    assert sorted(ids(meili.search(saturday))) == ["a", "c"]


def test_facet_counts(meili):
    result = meili.search(SearchQuery(facets=("kind", "targets")))

    assert result.total == 4
    assert result.facets["kind"] == {"place": 2, "service": 1, "event": 1}
    assert result.facets["targets"]["children"] == 2


def test_radius_filter_and_distance_order(meili):
    near = meili.search(SearchQuery(point=NAGOYA_STATION, radius_km=5, sort="distance"))
    everything = meili.search(SearchQuery(point=NAGOYA_STATION, sort="distance"))

    assert ids(near) == ["c", "d"]
    assert near.hits[0].distance_km == pytest.approx(0, abs=0.01)
    assert near.hits[1].distance_km == pytest.approx(1.96, abs=0.05)
    assert ids(everything) == ["c", "d", "a", "b"]  # no coordinates (online only): last


def test_date_range_on_occurrence_dates(meili):
    december = SearchQuery(date_from=date(2026, 12, 1), date_to=date(2026, 12, 31))
    from_new_year = SearchQuery(date_from=date(2027, 1, 1))

    assert ids(meili.search(december)) == ["a"]
    assert ids(meili.search(from_new_year)) == ["c"]


def test_sort_by_name_and_upcoming(meili):
    assert ids(meili.search(SearchQuery(sort="name"))) == ["d", "c", "b", "a"]
    upcoming = ids(meili.search(SearchQuery(sort="upcoming")))
    assert upcoming[:3] == ["d", "a", "c"]


def test_paging(meili):
    first = meili.search(SearchQuery(sort="name", page_size=3))
    second = meili.search(SearchQuery(sort="name", page_size=3, page=2))

    assert (first.total, second.total) == (4, 4)
    assert ids(first) + ids(second) == ["d", "c", "b", "a"]


def test_delete_and_health(meili):
    meili.delete(["d"])
    try:
        assert "d" not in ids(meili.search(SearchQuery()))
        assert meili.health()["documents"] == 3
    finally:
        meili.index([CAFE])
    assert meili.health() | {"indexing": False} == {
        "ok": True,
        "engine": "meilisearch",
        "index": meili.index_uid,
        "documents": 4,
        "indexing": False,
    }


def test_a_listing_not_verified_for_over_a_year_ranks_after_equally_relevant_ones_only():
    today = date.today()
    stale = sample_document(id="stale", last_verified=(today - timedelta(days=400)).isoformat())
    fresh = sample_document(id="fresh", last_verified=(today - timedelta(days=30)).isoformat())
    never = sample_document(id="never", last_verified=None)
    in_description = sample_document(
        id="in-description",
        name="みなと公民館",
        kana="みなとこうみんかん",
        keywords=[],
        summary="貸し部屋のご案内",
        description="二階に食堂があります。",
        last_verified=fresh["last_verified"],
    )

    # Stale indexed first: without the freshness rule, equal documents keep insertion order.
    with temporary_index([stale, fresh, never, in_description]) as engine:
        ranked = ids(engine.search(SearchQuery(text="食堂")))

    assert sorted(ranked[:2]) == ["fresh", "never"]
    assert ranked[2:] == ["stale", "in-description"]  # demoted, but still above a weaker match
