"""core.http.json_response and each endpoint's CORS choice (docs/search.md "CORS").

Public read APIs and feeds: `Access-Control-Allow-Origin: *`, on errors too. POST /api/v1/match:
no header, so a page on another site cannot read what a resident's profile matched.
"""

from __future__ import annotations

import json
from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from core.http import Cors, json_response
from directory.listings.schedules import Recurrence
from tests.factories.directory import PlacePageFactory

pytestmark = pytest.mark.django_db

MISSING_UUID = "00000000-0000-4000-8000-000000000000"


def test_json_response_keeps_japanese_and_sends_the_chosen_cors_header() -> None:
    public = json_response({"名前": "居場所"}, cors=Cors.ANY_ORIGIN, status=400)
    assert public.status_code == 400
    assert public["Access-Control-Allow-Origin"] == "*"
    assert "居場所".encode() in public.content
    assert json.loads(public.content) == {"名前": "居場所"}
    assert not json_response([], cors=Cors.SAME_ORIGIN).has_header("Access-Control-Allow-Origin")


def test_json_response_needs_a_cors_choice() -> None:
    with pytest.raises(TypeError):
        json_response({})  # type: ignore[call-arg]


@pytest.fixture
def listing():  # type: ignore[no-untyped-def]
    rule = Recurrence("weekly", weekdays=(2,), start_time=time(15), end_time=time(17))
    return PlacePageFactory(schedule=[rule])


PUBLIC_PATHS = [
    ("resources list", "/api/v1/resources", 200),
    ("resources: bad parameter", "/api/v1/resources?page_size=0", 400),
    ("resource detail: unknown", f"/api/v1/resources/{MISSING_UUID}", 404),
    ("vocabulary", "/api/v1/vocabulary", 200),
    ("members", "/api/v1/members", 200),
    ("members: bad parameter", "/api/v1/members?page=x", 400),
    ("HSDS root", "/api/hsds/", 200),
    ("HSDS services", "/api/hsds/services", 200),
    ("HSDS: bad parameter", "/api/hsds/services?per_page=x", 400),
    ("HSDS: unknown service", f"/api/hsds/services/{MISSING_UUID}", 404),
]


@pytest.mark.parametrize(
    ("path", "status"), [p[1:] for p in PUBLIC_PATHS], ids=[p[0] for p in PUBLIC_PATHS]
)
def test_public_read_apis_may_be_read_by_any_site(client: Client, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response["Access-Control-Allow-Origin"] == "*"


def test_resource_detail_may_be_read_by_any_site(client: Client, listing) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/resources/{listing.uuid}")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_ical_feeds_may_be_read_by_any_site(client: Client, listing) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("listing-ics", kwargs={"uuid": listing.uuid}))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("body", "status"),
    [({"keywords": "将棋"}, 200), ({"times": "x"}, 422), ("{", 422)],
    ids=["matched", "invalid profile", "unreadable JSON"],
)
def test_the_match_api_is_for_the_pf_pages_only(client: Client, body: object, status: int) -> None:
    payload = body if isinstance(body, str) else json.dumps(body)
    response = client.post("/api/v1/match", payload, content_type="application/json")
    assert response.status_code == status
    assert not response.has_header("Access-Control-Allow-Origin")
    assert response["Content-Type"].startswith("application/json")
