"""Behaviour of the embedded engine over a small factory-built corpus."""

from datetime import date, timedelta

import pytest

from directory.listings.schedules import Recurrence
from directory.models import ListingStatus, LocationMode
from search.engines.base import GeoPoint, SearchQuery
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    PlacePageFactory,
    ServicePageFactory,
)

pytestmark = pytest.mark.django_db


def names(result):
    return [hit.document["name"] for hit in result.hits]


def search(engine, text="", **kwargs):
    return engine.search(SearchQuery(text=text, **kwargs))


@pytest.fixture
def corpus(reindex):
    PlacePageFactory(
        title="みんなのこども食堂", summary="夕ご飯を一緒に", categories=["kodomo-shokudo"]
    )
    PlacePageFactory(
        title="ｻﾛﾝ ひだまり", summary="高齢の方のおしゃべりの場", targets=["older-people"]
    )
    ServicePageFactory(
        title="ひきこもり相談窓口", summary="ご本人もご家族も", targets=["hikikomori"]
    )
    PlacePageFactory(title="オレンジカフェ", summary="認知症の方と家族の集い")
    PlacePageFactory(
        title="駅前フリースペース", summary="若者がほっとできる場所", targets=["youth"]
    )
    PlacePageFactory(
        title="図書館の読み聞かせ", summary="絵本の時間", description="二階の食堂の隣で開きます"
    )
    return reindex()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("食堂", "みんなのこども食堂"),  # a 2-character word inside a longer one
        ("子供食堂", "みんなのこども食堂"),  # spelling variant (Sudachi + synonyms)
        ("子ども", "みんなのこども食堂"),
        ("サロン", "ｻﾛﾝ ひだまり"),  # 半角カナ
        ("さろん", "ｻﾛﾝ ひだまり"),  # ひらがな
        ("引きこもり", "ひきこもり相談窓口"),
        ("ヒキコモリ", "ひきこもり相談窓口"),
        ("認知症カフェ", "オレンジカフェ"),  # synonym
        ("居場所", "駅前フリースペース"),  # synonym
        ("ＳＡＬＯＮ", "ｻﾛﾝ ひだまり"),  # 全角 latin → サロン via Sudachi
    ],
)
def test_finds_words_variants_and_synonyms(corpus, query, expected):
    assert names(search(corpus, query))[0] == expected


def test_single_character_query_is_a_substring_search(corpus):
    assert set(names(search(corpus, "堂"))) == {"みんなのこども食堂", "図書館の読み聞かせ"}


def test_terms_are_anded_and_unknown_words_find_nothing(corpus):
    assert names(search(corpus, "二階 食堂", partial=False)) == ["図書館の読み聞かせ"]
    assert search(corpus, "宇宙旅行").total == 0


def test_few_full_matches_are_followed_by_partial_ones_by_coverage(corpus):
    result = search(corpus, "二階 食堂")
    assert names(result) == ["図書館の読み聞かせ", "みんなのこども食堂"]
    assert result.all_words_total == 1
    assert search(corpus, "食堂").all_words_total is None  # one word: nothing to relax


@pytest.mark.parametrize("margin", [200, 0])  # 0: only the best candidates are scored exactly
def test_name_match_ranks_above_description_match(corpus, monkeypatch, margin):
    monkeypatch.setattr("search.engines.embedded.RERANK_MARGIN", margin)
    assert names(search(corpus, "食堂")) == ["みんなのこども食堂", "図書館の読み聞かせ"]
    assert names(search(corpus, "食堂", page_size=1)) == ["みんなのこども食堂"]
    assert names(search(corpus, "食堂", page=2, page_size=1)) == ["図書館の読み聞かせ"]


def test_name_bonus_lifts_a_name_match_the_bm25_candidates_miss(reindex, monkeypatch):
    """A word in every listing has no bm25 weight; the name pass still finds the named one."""
    monkeypatch.setattr("search.engines.embedded.RERANK_MARGIN", 0)
    for i in range(3):
        PlacePageFactory(title=f"集いの場{i}", summary="相談 " * 30, description="相談 " * 30)
    PlacePageFactory(title="相談窓口", summary="ご家族もどうぞ")
    assert names(search(reindex(), "相談", page_size=1)) == ["相談窓口"]


def test_highlights_are_escaped_and_marked(reindex):
    PlacePageFactory(title="<b>こども</b>食堂", summary="a & b")
    hit = search(reindex(), "食堂").hits[0]
    assert hit.highlights["name"] == "&lt;b&gt;こども&lt;/b&gt;<mark>食堂</mark>"


def test_candidate_ranking_equals_scoring_every_match(reindex, monkeypatch):
    """With no margin, every page still equals the order of scoring all matches exactly."""
    old = date.today() - timedelta(days=500)
    for i in range(12):
        PlacePageFactory(
            title=["相談の食堂", "みんなの食堂", "集いの場", "相談室"][i % 4] + str(i),
            summary="食堂で相談 " * (i % 5) + "ごはん",
            description="相談 " * (12 - i),
            last_verified=old if i % 3 == 0 else date.today(),
        )
    engine = reindex()
    queries = [("食堂", size, page) for size in (1, 2, 5) for page in (1, 2, 3)]
    queries += [("相談 食堂", 2, page) for page in (1, 2, 3)] + [("相談", 3, 2)]
    exhaustive = {q: names(search(engine, q[0], page_size=q[1], page=q[2])) for q in queries}
    monkeypatch.setattr("search.engines.embedded.RERANK_MARGIN", 0)
    assert {
        q: names(search(engine, q[0], page_size=q[1], page=q[2])) for q in queries
    } == exhaustive


@pytest.mark.parametrize("margin", [200, 1])
def test_stale_listings_are_gently_demoted(reindex, monkeypatch, margin):
    monkeypatch.setattr("search.engines.embedded.RERANK_MARGIN", margin)
    old = date.today() - timedelta(days=500)
    PlacePageFactory(title="ふれあい食堂 A", last_verified=old)
    PlacePageFactory(title="ふれあい食堂 B", last_verified=date.today())
    PlacePageFactory(title="ふれあい食堂 C", summary="毎月第二土曜の昼、公民館の調理室で開きます")
    for i in range(4):
        PlacePageFactory(title=f"体操教室{i}")
    engine = reindex()
    ranked = names(search(engine, "食堂"))
    assert ranked[0] == "ふれあい食堂 B"
    assert ranked.index("ふれあい食堂 A") > ranked.index("ふれあい食堂 B")
    assert names(search(engine, "食堂", page_size=1)) == ["ふれあい食堂 B"]


def test_filters_and_within_or_across_and_facets_over_filtered_set(reindex):
    PlacePageFactory(title="A", categories=["salon"], targets=["older-people"])
    PlacePageFactory(title="B", categories=["salon"], targets=["children"])
    PlacePageFactory(title="C", categories=["kodomo-shokudo"], targets=["children"])
    ServicePageFactory(title="D", categories=["consultation"], targets=["children"])
    engine = reindex()
    result = search(engine, filters={"categories": ["salon", "kodomo-shokudo"]}, sort="name")
    assert names(result) == ["A", "B", "C"]
    assert result.facets["targets"] == {"children": 2, "older-people": 1}
    assert result.facets["kind"] == {"place": 3}
    both = search(engine, filters={"categories": ["salon"], "targets": ["children"]})
    assert names(both) == ["B"]
    assert search(engine, filters={"kind": ["service"]}).total == 1


def test_area_filter_includes_areas_below(reindex):
    district = AreaFactory(name="北小学校区")
    PlacePageFactory(title="学区の居場所", area=district)
    PlacePageFactory(title="他の居場所")
    result = search(reindex(), filters={"area_codes": [district.parent.code]})
    assert names(result) == ["学区の居場所"]


def test_weekday_and_date_filters_use_the_schedule(reindex):
    soon = date.today() + timedelta(days=10)
    EventPageFactory(title="水曜の会", schedule=[Recurrence("weekly", weekdays=(2,))])
    EventPageFactory(title="土曜の会", schedule=[Recurrence("weekly", weekdays=(5,))])
    engine = reindex()
    assert names(search(engine, filters={"weekdays": ["2"]})) == ["水曜の会"]
    wednesday = soon + timedelta(days=(2 - soon.weekday()) % 7)
    result = search(engine, date_from=wednesday, date_to=wednesday)
    assert names(result) == ["水曜の会"]


def test_radius_filter_and_distance_order(reindex):
    PlacePageFactory(title="近い", lat="35.701000", lng="139.700000")
    PlacePageFactory(title="中くらい", lat="35.720000", lng="139.700000")
    PlacePageFactory(title="遠い", lat="35.900000", lng="139.700000")
    area = AreaFactory()
    PlacePageFactory(
        title="非公開",
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=area,
    )
    engine = reindex()
    here = GeoPoint(35.7, 139.7)
    result = search(engine, point=here, radius_km=5, sort="distance")
    assert names(result) == ["近い", "中くらい"]
    assert result.hits[0].distance_km == pytest.approx(0.111, abs=0.005)
    everything = search(engine, point=here, sort="distance")
    assert names(everything) == ["近い", "中くらい", "遠い", "非公開"]  # no point → last


def test_upcoming_and_name_sorts(reindex):
    EventPageFactory(
        title="いろは",
        kana="いろは",
        schedule=[Recurrence("weekly", weekdays=((date.today().weekday() + 3) % 7,))],
    )
    EventPageFactory(
        title="あいう",
        kana="あいう",
        schedule=[Recurrence("weekly", weekdays=((date.today().weekday() + 1) % 7,))],
    )
    PlacePageFactory(title="うえお", kana="うえお")
    engine = reindex()
    assert names(search(engine, sort="name")) == ["あいう", "いろは", "うえお"]
    assert names(search(engine, sort="upcoming")) == ["あいう", "いろは", "うえお"]


def test_paging(reindex):
    for i in range(5):
        PlacePageFactory(title=f"居場所{i}", kana=f"いばしょ{i}")
    result = search(reindex(), sort="name", page=2, page_size=2)
    assert result.total == 5
    assert names(result) == ["居場所2", "居場所3"]


def test_only_live_active_listings_are_searchable(reindex):
    PlacePageFactory(title="公開中の食堂")
    PlacePageFactory(title="下書きの食堂", live=False)
    PlacePageFactory(title="休止中の食堂", status=ListingStatus.PAUSED)
    assert names(search(reindex(), "食堂")) == ["公開中の食堂"]


def test_index_replaces_by_id_delete_and_clear(reindex):
    page = PlacePageFactory(title="元の名前")
    engine = reindex()
    from search.documents import build_document

    document = build_document(page)
    document["name"] = "新しい名前"
    engine.index([document])
    assert names(search(engine)) == ["新しい名前"]
    engine.delete([document["id"], "unknown"])
    assert search(engine).total == 0
    assert engine.health() == {
        "ok": True,
        "engine": "embedded",
        "documents": 0,
        "path": str(engine.path),
    }


def test_free_finds_free_listings_not_every_tadaima(reindex):
    PlacePageFactory(title="ただいま食堂", summary="夕ご飯をみんなで")
    PlacePageFactory(title="学習室", summary="参加費は無料です")
    assert names(search(reindex(), "無料")) == ["学習室"]


@pytest.mark.parametrize("in_list_days", [8, 0, 10**6])  # 0: always per-row look-ups
def test_long_and_short_date_ranges_find_the_same_listings(reindex, monkeypatch, in_list_days):
    monkeypatch.setattr("search.engines.embedded.IN_LIST_DAYS", in_list_days)
    EventPageFactory(title="水曜の会", schedule=[Recurrence("weekly", weekdays=(2,))])
    EventPageFactory(title="土曜の会", schedule=[Recurrence("weekly", weekdays=(5,))])
    PlacePageFactory(title="いつもの会")
    engine = reindex()
    today = date.today()
    month = search(engine, "会", date_from=today, date_to=today + timedelta(days=30))
    assert sorted(names(month)) == ["土曜の会", "水曜の会"]
    assert sorted(names(search(engine, date_from=today))) == ["土曜の会", "水曜の会"]
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    assert names(search(engine, "会", date_from=saturday, date_to=saturday)) == ["土曜の会"]
