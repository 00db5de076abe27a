"""The age filter (issue 14, "Age ranges"): `age=N` on /search/ and /api/v1/resources.

A listing is kept when its 対象年齢 includes N (both ends inclusive) or when it states no
range; each end alone is open on the other side.
"""

import json
import os

import pytest

from search.documents import build_document
from search.engines.base import SearchQuery
from tests.factories.directory import PlacePageFactory, ServicePageFactory
from tests.search.recording_server import sample_document

pytestmark = pytest.mark.django_db

TEEN, FREE_SCHOOL, OLDER, UNTIL_18, OPEN = (
    "中高生の居場所",
    "フリースクールそら",
    "65歳からのサロン",
    "子育てひろば",
    "だれでも食堂",
)


@pytest.fixture
def corpus(reindex):
    PlacePageFactory(title=TEEN, age_min=12, age_max=18)
    PlacePageFactory(title=FREE_SCHOOL, age_min=6, age_max=15)
    PlacePageFactory(title=OLDER, age_min=65)
    ServicePageFactory(title=UNTIL_18, age_max=18)
    PlacePageFactory(title=OPEN)
    return reindex()


def names(result) -> set[str]:
    return {hit.document["name"] for hit in result.hits}


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (15, {TEEN, FREE_SCHOOL, UNTIL_18, OPEN}),
        (12, {TEEN, FREE_SCHOOL, UNTIL_18, OPEN}),  # the lower end is included
        (18, {TEEN, UNTIL_18, OPEN}),  # so is the upper end
        (19, {OPEN}),
        (5, {UNTIL_18, OPEN}),
        (70, {OLDER, OPEN}),
        (None, {TEEN, FREE_SCHOOL, OLDER, UNTIL_18, OPEN}),
    ],
)
def test_embedded_engine_keeps_listings_whose_range_includes_the_age(corpus, age, expected):
    assert names(corpus.search(SearchQuery(age=age, page_size=50))) == expected


def test_age_combines_with_text_and_other_filters(corpus):
    result = corpus.search(SearchQuery(text="居場所", age=19, filters={"kind": ["place"]}))
    assert TEEN not in names(result)
    result = corpus.search(SearchQuery(text="居場所", age=16, filters={"kind": ["place"]}))
    assert TEEN in names(result)


def test_search_document_carries_the_range():
    document = build_document(PlacePageFactory(age_min=12, age_max=18))
    assert document is not None
    assert (document["age_min"], document["age_max"]) == (12, 18)
    document = build_document(PlacePageFactory())
    assert document is not None
    assert (document["age_min"], document["age_max"]) == (None, None)


def test_api_filters_by_age_and_shows_each_range(client, corpus):
    response = client.get("/api/v1/resources", {"age": "19", "page_size": "50"})
    assert response.status_code == 200
    results = json.loads(response.content)["results"]
    assert [r["name"] for r in results] == [OPEN]
    response = client.get("/api/v1/resources", {"age": "15", "page_size": "50"})
    ranges = {
        r["name"]: (r["age_min"], r["age_max"]) for r in json.loads(response.content)["results"]
    }
    assert ranges == {
        TEEN: (12, 18),
        FREE_SCHOOL: (6, 15),
        UNTIL_18: (None, 18),
        OPEN: (None, None),
    }


def test_api_detail_shows_the_range(client, corpus):
    listing = PlacePageFactory(age_min=65)
    data = json.loads(client.get(f"/api/v1/resources/{listing.uuid}").content)
    assert (data["age_min"], data["age_max"]) == (65, None)


@pytest.mark.parametrize("age", ["abc", "-1", "121", "12.5"])
def test_api_refuses_a_bad_age_in_japanese(client, corpus, age):
    response = client.get("/api/v1/resources", {"age": age})
    assert response.status_code == 400
    assert json.loads(response.content)["errors"]["age"] == [
        "年齢は 0〜120 の整数（歳）で指定してください。"
    ]


def test_search_page_offers_the_age_field_and_filters(client, corpus):
    html = client.get("/search/", {"age": "19"}).content.decode()
    assert '<label for="id_age">年齢</label>' in html
    assert 'value="19"' in html
    assert OPEN in html and TEEN not in html and FREE_SCHOOL not in html


@pytest.mark.parametrize("path", ["/search/", "/search/map/"])
def test_search_page_shows_a_bad_age_on_the_field_not_an_error_page(client, corpus, path):
    response = client.get(path, {"age": "二十"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "年齢は 0〜120 の整数（歳）で指定してください。" in html
    assert 'value="二十"' in html  # what was typed stays in the field


MEILISEARCH_URL = os.environ.get("MEILISEARCH_URL", "")


@pytest.mark.meilisearch
@pytest.mark.skipif(not MEILISEARCH_URL, reason="MEILISEARCH_URL is not set")
def test_meilisearch_keeps_the_same_listings_as_the_embedded_engine():
    """Null ends and documents indexed before ages existed (no key at all) are open too."""
    from tests.search.test_meilisearch_integration import temporary_index

    without_keys = {
        key: value for key, value in sample_document(id="old").items() if "age" not in key
    }
    documents = [
        sample_document(id="teen", age_min=12, age_max=18),
        sample_document(id="older", age_min=65, age_max=None),
        sample_document(id="until18", age_min=None, age_max=18),
        sample_document(id="open", age_min=None, age_max=None),
        without_keys,
    ]
    with temporary_index(documents) as engine:  # type: ignore[arg-type]

        def found(age: int) -> set[str]:
            return {hit.document["id"] for hit in engine.search(SearchQuery(age=age)).hits}

        assert found(15) == {"teen", "until18", "open", "old"}
        assert found(18) == {"teen", "until18", "open", "old"}
        assert found(19) == {"open", "old"}
        assert found(70) == {"older", "open", "old"}


def test_partial_matches_keep_the_age_filter(corpus):
    """When few listings have every word, listings with some of them are added: ages still hold."""
    result = corpus.search(SearchQuery(text="居場所 ボードゲーム", age=30, page_size=50))
    assert TEEN not in names(result) and FREE_SCHOOL not in names(result)
    result = corpus.search(SearchQuery(text="居場所 ボードゲーム", age=14, page_size=50))
    assert TEEN in names(result)
