"""/api/hsds/: every path of the HSDS openapi.json, its pagination, filters and errors."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from exchange.hsds.export import child_id, taxonomy_id, taxonomy_term_id
from search.documents import live_documents
from search.engines.embedded import EmbeddedEngine
from tests.factories.directory import PlacePageFactory
from tests.factories.hsds import exchange_corpus, hsds_errors

pytestmark = pytest.mark.django_db

OPENAPI_PATHS = [
    "/",
    "/services",
    "/services/{id}",
    "/organizations",
    "/organizations/{id}",
    "/service_at_locations",
    "/service_at_locations/{id}",
    "/taxonomies",
    "/taxonomies/{id}",
    "/taxonomy_terms",
    "/taxonomy_terms/{id}",
]


@pytest.fixture
def corpus():
    return exchange_corpus()


def get(client, path, **params):
    response = client.get(f"/api/hsds{path}", params)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def test_every_openapi_path_answers(client, corpus):
    ids = {
        "/services/{id}": str(corpus.place.uuid),
        "/organizations/{id}": str(corpus.member.uuid),
        "/service_at_locations/{id}": child_id(
            corpus.place.uuid, "service_at_location", "physical"
        ),
        "/taxonomies/{id}": taxonomy_id("category"),
        "/taxonomy_terms/{id}": taxonomy_term_id("category", "kodomo-shokudo"),
    }
    spec = get(client, "/openapi.json").json()
    assert set(OPENAPI_PATHS) == set(spec["paths"])
    for path in OPENAPI_PATHS:
        url = path.replace("{id}", ids.get(path, ""))
        response = get(client, url.rstrip("/") or "/")
        assert response.status_code == 200, (path, response.content[:200])


def test_root_describes_the_api(client, corpus):
    data = get(client, "/").json()
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("/api/hsds/openapi.json")


def test_services_page_fields_and_pagination(client, corpus):
    first = get(client, "/services", per_page=2).json()
    assert {k: first[k] for k in ("total_items", "total_pages", "page_number", "size")} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 1,
        "size": 2,
    }
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    last = get(client, "/services", per_page=2, page=3).json()
    assert last["size"] == 1 and last["last_page"] and not last["first_page"]
    names = [
        s["name"]
        for p in (1, 2, 3)
        for s in get(client, "/services", per_page=2, page=p).json()["contents"]
    ]
    assert (
        len(set(names)) == 5 and "下書きの居場所" not in names and "停止中団体の居場所" not in names
    )


def test_service_detail_is_the_full_schema_valid_object(client, corpus):
    data = get(client, f"/services/{corpus.place.uuid}").json()
    assert data["schedules"] and data["service_at_locations"] and data["organization"]
    assert hsds_errors(data) == []


def test_full_list_matches_detail(client, corpus):
    contents = get(client, "/services", full="true").json()["contents"]
    assert all("attributes" in s for s in contents)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "食堂"}, {"みんなの食堂", "食堂でお祭り"}),
        ({"search": "ＳＨＯＫＵＤＯ"}, set()),
        ({"search": "ひみつ"}, {"ひみつの相談室"}),
    ],
)
def test_search(client, corpus, params, expected):
    contents = get(client, "/services", **params).json()["contents"]
    assert {s["name"] for s in contents} == expected


def test_taxonomy_term_taxonomy_and_organization_filters(client, corpus):
    term = taxonomy_term_id("category", "kodomo-shokudo")
    assert [
        s["name"] for s in get(client, "/services", taxonomy_term_id=term).json()["contents"]
    ] == ["みんなの食堂"]
    events = taxonomy_term_id("kind", "event")
    assert {
        s["name"] for s in get(client, "/services", taxonomy_term_id=events).json()["contents"]
    } == {
        "オンライン講座",
        "食堂でお祭り",
    }
    with_targets = get(client, "/services", taxonomy_id=taxonomy_id("target")).json()["contents"]
    assert [s["name"] for s in with_targets] == ["みんなの食堂"]
    other = get(client, "/services", organization_id=str(corpus.other_member.uuid)).json()[
        "contents"
    ]
    assert {s["name"] for s in other} == {"オンライン講座", "電話相談"}


def test_modified_after(client, corpus):
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert get(client, "/services", modified_after=future).json()["empty"]
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert get(client, "/services", modified_after=past).json()["total_items"] == 5


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/services", {"page": "0"}, "page"),
        ("/services", {"page": "abc"}, "page"),
        ("/services", {"per_page": "10000"}, "per_page"),
        ("/services", {"modified_after": "yesterday"}, "modified_after"),
        ("/services", {"full": "maybe"}, "full"),
        ("/services", {"format": "xml"}, "format"),
        ("/service_at_locations", {"proximity": "1000"}, "postcode"),
        ("/service_at_locations", {"proximity": "-5", "lat": "35", "lng": "139"}, "proximity"),
        ("/service_at_locations", {"proximity": "1000", "lat": "35"}, "lat"),
        ("/service_at_locations", {"proximity": "x"}, "proximity"),
        ("/taxonomy_terms", {"top_only": "perhaps"}, "top_only"),
    ],
)
def test_bad_parameters_are_400_in_japanese_and_english(client, corpus, path, params, field):
    response = get(client, path, **params)
    assert response.status_code == 400
    [message] = response.json()["errors"][field]
    assert " / " in message and any("\u3040" <= ch <= "\u9fff" for ch in message)


@pytest.mark.parametrize(
    "path",
    [
        "/services/00000000-0000-0000-0000-000000000000",
        "/services/not-a-uuid",
        "/organizations/nope",
        "/service_at_locations/nope",
        "/taxonomies/nope",
        "/taxonomy_terms/nope",
    ],
)
def test_unknown_ids_are_404_json(client, corpus, path):
    response = get(client, path)
    assert response.status_code == 404 and "errors" in response.json()


def test_non_public_ids_are_404(client, corpus):
    assert get(client, f"/services/{corpus.draft.uuid}").status_code == 404
    assert get(client, f"/services/{corpus.hidden.uuid}").status_code == 404


def test_organizations(client, corpus):
    data = get(client, "/organizations").json()
    assert {o["name"] for o in data["contents"]} == {"架空こども支援ネット", "架空市社会福祉協議会"}
    assert all("phones" not in o for o in data["contents"])
    detail = get(client, f"/organizations/{corpus.member.uuid}", full_service="true").json()
    assert {s["name"] for s in detail["services"]} == {
        "みんなの食堂",
        "ひみつの相談室",
        "食堂でお祭り",
    }
    assert all("attributes" in s for s in detail["services"])


def test_service_at_locations_and_proximity(client, corpus):
    data = get(client, "/service_at_locations").json()
    types = sorted(sal["location"]["location_type"] for sal in data["contents"])
    assert types.count("virtual") == 2 and data["total_items"] == 6
    near = get(
        client, "/service_at_locations", proximity="500", lat="35.6812", lng="139.7671"
    ).json()
    assert [sal["service"]["name"] for sal in near["contents"]] == ["みんなの食堂", "食堂でお祭り"]
    far = get(client, "/service_at_locations", proximity="500", lat="34.0", lng="135.0").json()
    assert far["empty"]
    by_postcode = get(client, "/service_at_locations", postcode="9990001", proximity="100").json()
    assert by_postcode["total_items"] == 2
    assert get(client, "/service_at_locations", postcode="999-0001").json()["total_items"] == 2


def test_confidential_location_is_never_in_proximity_results(client, corpus):
    near = get(client, "/service_at_locations", proximity="100000", lat="35.7", lng="139.7").json()
    assert "ひみつの相談室" not in json.dumps(near, ensure_ascii=False)


def test_service_at_location_detail_has_the_full_service(client, corpus):
    sal_id = child_id(corpus.confidential.uuid, "service_at_location", "physical")
    data = get(client, f"/service_at_locations/{sal_id}").json()
    assert data["service"]["id"] == str(corpus.confidential.uuid)
    assert "addresses" not in data["location"]


def test_taxonomies_and_terms(client, corpus):
    names = {t["name"] for t in get(client, "/taxonomies").json()["contents"]}
    assert names == {
        "tsunagari-kind",
        "tsunagari-category",
        "tsunagari-target",
        "tsunagari-condition",
    }
    terms = get(client, "/taxonomy_terms", taxonomy_id=taxonomy_id("kind")).json()["contents"]
    assert {t["code"] for t in terms} == {"place", "service", "event"}
    assert (
        get(client, "/taxonomy_terms", search="こども食堂").json()["contents"][0]["code"]
        == "kodomo-shokudo"
    )
    assert get(client, "/taxonomy_terms", parent_id=taxonomy_id("kind")).json()["empty"]


def test_ndjson_and_minimal(client, corpus):
    response = get(client, "/services", format="ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 5 and all(json.loads(line)["id"] for line in lines)


def test_minimal_is_a_paged_page_of_ids(client, corpus):
    """The official 200 schema of /services is a Page, minimal or not."""
    first = get(client, "/services", minimal="true", per_page=2).json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (5, 3, 2)
    assert all(set(item) == {"id", "last_modified"} for item in first["contents"])
    last = get(client, "/services", minimal="true", per_page=2, page=3).json()
    assert last["size"] == 1 and last["last_page"]


def test_a_page_past_the_last_is_empty(client, corpus):
    past = get(client, "/services", per_page=2, page=4).json()
    assert past["contents"] == [] and past["empty"] and past["total_items"] == 5
    assert not get(client, "/services", per_page=2, page=3).json()["empty"]


@pytest.mark.parametrize("path", ["/", "/services", "/services?minimal=true", "/openapi.json"])
def test_head_answers_the_headers_of_get(client, corpus, path):
    head = client.head(f"/api/hsds{path}")
    got = client.get(f"/api/hsds{path}")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert head["Access-Control-Allow-Origin"] == "*"
    assert int(head["Content-Length"]) == len(got.content)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_methods_get_a_json_405_not_the_csrf_page(corpus, method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/hsds/services", {})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"].startswith("application/json")
    assert "GET, HEAD" in response.json()["errors"]["__all__"][0]


def test_search_finds_what_the_site_search_finds(client, settings):
    """子ども食堂 and こども食堂 are synonyms of the site's search; the API shares them."""
    settings.SEARCH_BACKEND = "embedded"
    listing = PlacePageFactory(title="こども食堂ひまわり", summary="毎週の食堂です。")
    engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    engine.clear()
    engine.index(live_documents())
    site = client.get("/api/v1/resources", {"q": "子ども食堂"}).json()["results"]
    assert [r["id"] for r in site] == [str(listing.uuid)]
    found = get(client, "/services", search="子ども食堂").json()["contents"]
    assert [s["id"] for s in found] == [str(listing.uuid)]


def test_search_longer_than_the_site_form_allows_is_400(client, corpus):
    response = get(client, "/services", search="あ" * 201)
    assert response.status_code == 400 and "search" in response.json()["errors"]


def test_list_items_carry_only_what_the_list_schemas_have(client, corpus):
    """service_at_location_list: a location without addresses/accessibility, a list service."""
    for sal in get(client, "/service_at_locations").json()["contents"]:
        assert not [k for k, v in sal["location"].items() if isinstance(v, list)]
        assert "service_at_locations" not in sal["service"]


def test_nested_objects_do_not_repeat_their_parent(client, corpus):
    sal_id = child_id(corpus.place.uuid, "service_at_location", "physical")
    detail = get(client, f"/service_at_locations/{sal_id}").json()
    assert detail["location"]["addresses"] and "service_at_locations" not in detail["service"]
    organization = get(client, f"/organizations/{corpus.member.uuid}", full_service="true").json()
    assert all("organization" not in s for s in organization["services"])


def _address(client, listing):
    service = get(client, f"/services/{listing.uuid}").json()
    return service["service_at_locations"][0]["location"]["addresses"][0]


def test_postal_code_is_the_listing_s_own_or_empty_never_invented(client, corpus):
    """HSDS requires postal_code (a string): the listing's own code, else "" (documented)."""
    known = PlacePageFactory(member=corpus.member, postal_code="206-0011")
    unknown = PlacePageFactory(member=corpus.member, postal_code="")
    assert _address(client, known)["postal_code"] == "206-0011"
    assert _address(client, unknown)["postal_code"] == ""
