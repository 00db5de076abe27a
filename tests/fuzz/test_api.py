"""Every API endpoint under hostile input: a 4xx with a Japanese message or a 200, never a 5xx.

/api/v1/resources, /api/v1/resources/<id>, /api/v1/members, /api/v1/vocabulary,
POST /api/v1/match and every /api/hsds/ path of the project's own OpenAPI description.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from coordination.forms import PartnerSearchForm
from matching.profile import NeedsProfile
from search.forms import SearchForm
from tests.fuzz.conftest import FUZZ, assert_sound
from tests.fuzz.strategies import deep_nesting, encode, json_values, query_string, text

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

OPENAPI = Path(__file__).resolve().parents[2] / "exchange" / "hsds" / "openapi.json"
TEN_MB = 10 * 1024 * 1024


@cache
def hsds_paths() -> dict[str, list[str]]:
    """`/api/hsds<path>` → its query parameter names, from the OpenAPI description we serve."""
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    parameters = spec["components"]["parameters"]
    paths: dict[str, list[str]] = {}
    for path, operations in spec["paths"].items():
        names = [
            parameters[ref["$ref"].rsplit("/", 1)[1]]["name"] if "$ref" in ref else ref["name"]
            for ref in operations["get"].get("parameters", [])
        ]
        paths["/api/hsds" + path] = names
    return paths


def list_endpoints() -> list[tuple[str, list[str]]]:
    endpoints = [
        ("/api/v1/resources", list(SearchForm.base_fields)),
        ("/api/v1/members", list(PartnerSearchForm.base_fields)),
        ("/api/v1/vocabulary", ["scheme", "lang"]),
    ]
    return endpoints + [(p, names) for p, names in hsds_paths().items() if "{id}" not in p]


def detail_endpoints() -> list[str]:
    return ["/api/v1/resources/{id}"] + [p for p in hsds_paths() if "{id}" in p]


def test_the_openapi_description_lists_the_hsds_endpoints():
    """The fuzzed paths come from the served description: an empty one would fuzz nothing."""
    assert len(hsds_paths()) >= 10 and "/api/hsds/services" in hsds_paths()


@pytest.mark.parametrize(("path", "names"), list_endpoints(), ids=lambda v: str(v)[:40])
@FUZZ
@given(data=st.data())
def test_list_endpoints_under_hostile_query_strings(web, corpus, path, names, data):
    query = data.draw(query_string(names), label="query")
    response = web.get(f"{path}?{query}")
    assert_sound(response, path)


@pytest.mark.parametrize("template", detail_endpoints())
@FUZZ
@given(data=st.data())
def test_detail_endpoints_under_hostile_ids(web, corpus, template, data):
    identifier = data.draw(st.one_of(text, st.uuids().map(str)).filter(bool), label="id")
    query = data.draw(query_string(["full_service"]), label="query")
    response = web.get(template.replace("{id}", encode(identifier)) + f"?{query}")
    assert_sound(response, template)


@pytest.mark.parametrize("template", detail_endpoints())
def test_detail_endpoints_answer_the_ids_their_lists_give(web, corpus, template):
    """Real ids too, so the detail views are also reached on their found path."""
    listing = template.split("/{id}")[0]
    data = web.get(listing).json()
    items = data.get("contents") or data.get("results") or []
    assert items, f"{listing} listed nothing to look up"
    response = web.get(template.replace("{id}", encode(str(items[0]["id"]))))
    assert response.status_code == 200
    assert_sound(response, template)


PROFILE_FIELDS = list(NeedsProfile.__dataclass_fields__)
profiles = st.fixed_dictionaries({}, optional=dict.fromkeys(PROFILE_FIELDS, json_values()))


def match_body(value: Any) -> str:
    return json.dumps(value)  # NaN and Infinity are written as JS literals, as a client might


@FUZZ
@given(body=st.one_of(profiles.map(match_body), json_values().map(match_body), st.text()))
# The bodies of issue 11 that were 500s, kept as fixed regression cases:
@example(body='{"keywords": "\\ud800"}')
@example(body='{"\\udfff": 1}')
@example(body=deep_nesting(100_000))
@example(body='{"limit": 1e309}')
@example(body='{"limit": NaN}')
@example(body='{"limit": -Infinity}')
@example(body='{"limit": ' + "9" * 5000 + "}")
@example(body='{"limit": "inf"}')
@example(body='{"near": {"lat": NaN, "lng": 1}}')
def test_match_api_under_hostile_json(web, corpus, body):
    response = web.post("/api/v1/match", body, content_type="application/json")
    assert_sound(response, "/api/v1/match")


@FUZZ
@given(body=st.binary(max_size=200))
def test_match_api_under_hostile_bytes(web, body):
    response = web.post("/api/v1/match", body, content_type="application/json")
    assert_sound(response, "/api/v1/match")


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "multipart/form-data"])
def test_a_10_mb_match_body_is_413_with_a_message(web, content_type):
    body = '{"keywords": "' + "あ" * (TEN_MB // 3) + '"}'
    response = web.post("/api/v1/match", body, content_type=content_type)
    assert response.status_code == 413
    assert_sound(response, "/api/v1/match")


@pytest.mark.parametrize("path", ["/api/v1/resources", "/api/v1/members", "/api/hsds/services"])
def test_a_huge_query_value_is_refused_or_answered(web, corpus, path):
    response = web.get(path, {"q": "あ" * 200_000, "search": "い" * 200_000})
    assert_sound(response, path)
