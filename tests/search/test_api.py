"""GET /api/v1/resources, /api/v1/resources/<id> and /api/v1/vocabulary."""

import json

import pytest

from directory.listings.schedules import Recurrence
from directory.models import ListingStatus, LocationMode
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
)

pytestmark = pytest.mark.django_db

RESULT_KEYS = {
    "id",
    "kind",
    "name",
    "kana",
    "url",
    "summary",
    "member",
    "categories",
    "targets",
    "conditions",
    "age_min",
    "age_max",
    "area",
    "location",
    "distance_km",
    "next_occurrence",
}


def get(client, path, **params):
    response = client.get(path, params)
    assert response["Content-Type"].startswith("application/json")
    return response, json.loads(response.content.decode("utf-8"))


@pytest.fixture
def listings(reindex):
    member = MemberFactory(name="つながるNPO")
    area = AreaFactory(name="東小学校区")
    cafeteria = PlacePageFactory(
        member=member,
        title="こども食堂ひまわり",
        kana="こどもしょくどうひまわり",
        categories=["kodomo-shokudo"],
        targets=["children"],
        conditions=["free"],
        area=area,
    )
    PlacePageFactory(
        title="ふれあいサロン",
        categories=["salon"],
        targets=["older-people"],
        lat="35.800000",
        lng="139.700000",
    )
    ServicePageFactory(
        title="ひきこもり相談",
        categories=["consultation"],
        targets=["hikikomori"],
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=area,
    )
    EventPageFactory(
        title="夏のこども食堂まつり",
        categories=["kodomo-shokudo"],
        targets=["children"],
        schedule=[Recurrence("weekly", weekdays=(5,))],
    )
    reindex()
    return cafeteria


def test_shape_of_results_and_facets(client, listings):
    response, data = get(client, "/api/v1/resources", q="食堂")
    assert response.status_code == 200
    assert "こども食堂" in response.content.decode("utf-8")  # ensure_ascii off: readable UTF-8
    assert set(data) == {"count", "page", "results", "facets", "understood", "all_words_count"}
    assert data["count"] == 2 and data["page"] == 1
    first = next(r for r in data["results"] if r["name"] == "こども食堂ひまわり")
    assert set(first) == RESULT_KEYS
    assert first["id"] == str(listings.uuid)
    assert first["member"] == {
        "id": str(listings.get_parent().specific.member.uuid),
        "name": "つながるNPO",
    }
    assert first["url"].startswith("http://testserver/")
    assert first["location"] == {"lat": 35.7, "lng": 139.7, "address": "架空市中央1丁目"}
    assert first["area"]["name"].endswith("東小学校区")
    assert set(data["facets"]) == {"kind", "category", "target", "condition"}
    assert data["facets"]["kind"] == {"place": 1, "event": 1}
    assert data["facets"]["category"] == {"kodomo-shokudo": 2}


def test_confidential_listing_has_no_location(client, listings):
    _, data = get(client, "/api/v1/resources", q="ひきこもり")
    assert data["results"][0]["location"] is None


def test_filters_or_within_and_across(client, listings):
    _, data = get(client, "/api/v1/resources?category=salon&category=consultation")
    assert {r["name"] for r in data["results"]} == {"ふれあいサロン", "ひきこもり相談"}
    _, data = get(client, "/api/v1/resources?category=kodomo-shokudo&kind=event")
    assert [r["name"] for r in data["results"]] == ["夏のこども食堂まつり"]
    _, data = get(client, "/api/v1/resources", day="sat")
    assert [r["name"] for r in data["results"]] == ["夏のこども食堂まつり"]
    _, same = get(client, "/api/v1/resources", day="5")
    assert same["results"] == data["results"]


def test_distance_sort_and_radius(client, listings):
    _, data = get(client, "/api/v1/resources", lat="35.79", lng="139.70", sort="distance")
    assert data["results"][0]["name"] == "ふれあいサロン"
    assert data["results"][0]["distance_km"] == pytest.approx(1.11, abs=0.01)
    assert data["results"][-1]["distance_km"] is None
    _, near = get(client, "/api/v1/resources", lat="35.79", lng="139.70", radius_km="3")
    assert [r["name"] for r in near["results"]] == ["ふれあいサロン"]


def test_name_sort_and_paging(client, listings):
    _, data = get(client, "/api/v1/resources", sort="name", page_size="2", page="2")
    assert data["count"] == 4 and data["page"] == 2
    assert len(data["results"]) == 2


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"category": "no-such-slug"}, "category", "分野の選択肢にありません"),
        ({"kind": "house"}, "kind", "種別"),
        ({"page_size": "101"}, "page_size", "100"),
        ({"page_size": "abc"}, "page_size", "整数"),
        ({"page": "0"}, "page", "1"),
        ({"sort": "distance"}, "sort", "緯度・経度"),
        ({"sort": "random"}, "sort", "relevance"),
        ({"lat": "35.7"}, "lng", "両方"),
        ({"lat": "95", "lng": "139"}, "lat", "大きすぎ"),
        ({"radius_km": "5"}, "radius_km", "緯度・経度"),
        ({"day": "funday"}, "day", "曜日"),
        ({"date_from": "2025/04/01"}, "date_from", "2025-04-01"),
        (
            {"date_from": "2025-05-01", "date_to": "2025-04-01"},
            "date_to",
            "「この日から」と同じ日か",
        ),
        ({"area": "000000"}, "area", "地域"),
    ],
)
def test_invalid_parameters_are_400_with_japanese_messages(
    client, listings, params, field, fragment
):
    response, data = get(client, "/api/v1/resources", **params)
    assert response.status_code == 400
    assert field in data["errors"]
    assert any(fragment in message for message in data["errors"][field])


def test_engine_down_is_503_not_500(client, listings, monkeypatch):
    from search.engines.base import SearchUnavailable

    class Down:
        def search(self, query):
            raise SearchUnavailable("down")

    monkeypatch.setattr("search.api.get_engine", lambda: Down())
    response, data = get(client, "/api/v1/resources", q="食堂")
    assert response.status_code == 503
    assert "検索" in data["errors"]["search"][0]


def test_detail_of_a_live_listing(client, listings):
    response, data = get(client, f"/api/v1/resources/{listings.uuid}")
    assert response.status_code == 200
    assert RESULT_KEYS - {"distance_km"} <= set(data)
    assert data["name"] == "こども食堂ひまわり"
    assert data["contact"]["phone"] == ""


@pytest.mark.parametrize("status", [ListingStatus.PAUSED])
def test_detail_404_for_unknown_invalid_or_not_live(client, listings, status):
    draft = PlacePageFactory(live=False)
    paused = PlacePageFactory(status=status)
    for ident in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", draft.uuid, paused.uuid):
        response, data = get(client, f"/api/v1/resources/{ident}")
        assert response.status_code == 404
        assert data["errors"]["id"]


def test_vocabulary_lists_every_scheme_with_slugs_and_labels(client):
    response, data = get(client, "/api/v1/vocabulary")
    assert response.status_code == 200
    schemes = data["schemes"]
    assert {"kind", "category", "target", "condition"} <= set(schemes)
    assert {
        "slug": "kodomo-shokudo",
        "label": "こども食堂",
        "label_en": "Children's cafeteria",
    } in schemes["category"]["terms"]
    assert schemes["target"]["label"] == "対象"


def test_facets_of_a_chosen_field_count_without_its_own_filter_like_the_page(client, listings):
    """docs/search.md "件数": the API's facets mean what the /search/ panel's numbers mean."""
    _, data = get(client, "/api/v1/resources", category="kodomo-shokudo")
    assert data["count"] == 2
    assert data["facets"]["category"] == {"kodomo-shokudo": 2, "consultation": 1, "salon": 1}
    assert data["facets"]["kind"] == {"place": 1, "event": 1}  # not chosen: among the results
    _, both = get(client, "/api/v1/resources", category=["kodomo-shokudo", "salon"])
    assert both["count"] == data["count"] + data["facets"]["category"]["salon"]
