"""/api/hsds/openapi.json: our own OpenAPI 3 description of what the HSDS API does.

The document must be valid OpenAPI, declare exactly the paths we serve with their limits and
error answers, and every answer of the API must match the schema it declares.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from django.test import Client
from openapi_spec_validator import validate

from exchange.hsds.api import DEFAULT_PER_PAGE, MAX_PER_PAGE
from exchange.hsds.export import child_id, taxonomy_id, taxonomy_term_id
from tests.factories.hsds import Corpus, exchange_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client: Client) -> dict[str, Any]:
    response = client.get("/api/hsds/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def corpus() -> Corpus:
    return exchange_corpus()


def _ids(corpus: Corpus) -> dict[str, str]:
    return {
        "/services/{id}": str(corpus.place.uuid),
        "/organizations/{id}": str(corpus.member.uuid),
        "/service_at_locations/{id}": child_id(
            corpus.place.uuid, "service_at_location", "physical"
        ),
        "/taxonomies/{id}": taxonomy_id("category"),
        "/taxonomy_terms/{id}": taxonomy_term_id("category", "kodomo-shokudo"),
    }


def _errors(spec: dict[str, Any], schema: dict[str, Any], data: Any) -> list[str]:
    """Schema errors of `data`; `#/components/…` references resolve inside the document."""
    validator = jsonschema.Draft202012Validator({**schema, "components": spec["components"]})
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


def _response_schema(spec: dict[str, Any], path: str, status: str) -> dict[str, Any]:
    response = spec["paths"][path]["get"]["responses"][status]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response["content"]["application/json"]["schema"]


def test_is_a_valid_openapi_3_document(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_describes_our_api_not_a_template(spec: dict[str, Any]) -> None:
    text = json.dumps(spec, ensure_ascii=False)
    assert "HERE" not in text and "つながり" in spec["info"]["title"]
    # Object shapes are referenced by description and URL, never fetched from elsewhere.
    assert '"$ref": "http' not in text


def test_declares_errors_and_limits(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        responses = item["get"]["responses"]
        if "{id}" in path:
            assert "404" in responses, path
        elif path != "/":
            assert "400" in responses, path
    per_page = spec["components"]["parameters"]["per_page"]["schema"]
    assert (per_page["minimum"], per_page["maximum"], per_page["default"]) == (
        1,
        MAX_PER_PAGE,
        DEFAULT_PER_PAGE,
    )
    assert spec["components"]["parameters"]["page"]["schema"]["minimum"] == 1


def test_every_answer_matches_its_declared_schema(
    client: Client, spec: dict[str, Any], corpus: Corpus
) -> None:
    ids = _ids(corpus)
    for path in spec["paths"]:
        url = "/api/hsds" + path.replace("{id}", ids.get(path, ""))
        for params in ({}, {"full": "true"}):
            response = client.get(url, params)
            assert response.status_code == 200, (path, response.content[:200])
            schema = _response_schema(spec, path, "200")
            assert _errors(spec, schema, response.json()) == [], (path, params)
    minimal = client.get("/api/hsds/services", {"minimal": "true"}).json()
    assert _errors(spec, _response_schema(spec, "/services", "200"), minimal) == []


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/services", {"per_page": str(MAX_PER_PAGE + 1)}, "400"),
        ("/service_at_locations", {"proximity": "x"}, "400"),
        ("/services/{id}", {}, "404"),
        ("/taxonomy_terms/{id}", {}, "404"),
    ],
)
def test_error_answers_match_the_declared_schema(
    client: Client, spec: dict[str, Any], path: str, params: dict[str, str], status: str
) -> None:
    response = client.get("/api/hsds" + path.replace("{id}", "nope"), params)
    assert str(response.status_code) == status
    assert _errors(spec, _response_schema(spec, path, status), response.json()) == []


def test_service_at_location_detail_is_declared_as_one_not_as_a_service(
    spec: dict[str, Any],
) -> None:
    """Upstream declared it with the service schema (fixed in the specification's PR #574)."""
    schema = _response_schema(spec, "/service_at_locations/{id}", "200")
    assert schema == {"$ref": "#/components/schemas/ServiceAtLocation"}
