"""Schemathesis over the project's own OpenAPI description of /api/v1/ (/api/v1/openapi.json).

Values shaped by each described parameter (types, ranges and their edges, arrays of choices)
and generated JSON bodies for POST /api/v1/match: never a 5xx, a 4xx says why in Japanese, and
every answer has a status the description declares and the shape it declares for it.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any
from urllib.parse import urlencode

import jsonschema
import pytest
import schemathesis
from django.test import Client

from directory.api_openapi import describe
from tests.fuzz.conftest import FUZZ, assert_sound

pytestmark = [pytest.mark.fuzz, pytest.mark.conformance, pytest.mark.django_db]

SPEC = describe()
schema = schemathesis.openapi.from_dict(SPEC)


@cache
def body_validator(path: str, method: str, status: str) -> jsonschema.Draft202012Validator:
    """The declared body schema of one answer, checked and compiled once (the step is timed)."""
    if status in ("405", "429"):  # other methods and the abuse limits: the one error shape
        body_schema: dict[str, Any] = {"$ref": "#/components/schemas/Errors"}
    else:
        declared = SPEC["paths"][path][method]["responses"]
        body_schema = declared[status]["content"]["application/json"]["schema"]
    full = {**body_schema, "components": SPEC["components"]}
    jsonschema.Draft202012Validator.check_schema(full)
    return jsonschema.Draft202012Validator(full)


def assert_declared(path: str, method: str, response) -> None:
    """The status is declared for the operation and the JSON body matches its schema."""
    declared = SPEC["paths"][path].get(method, {}).get("responses", {})
    status = str(response.status_code)
    if not declared:  # a method the operation does not allow (schemathesis sends those too)
        assert status == "405", f"{method} {path}: {status}"
    elif status not in ("405", "429"):
        assert status in declared, f"{method} {path}: undeclared {status}"
    body_validator(path, method, status).validate(json.loads(response.content))


@schema.parametrize()
@FUZZ
def test_every_v1_operation_of_our_openapi_description(case, web: Client, corpus) -> None:
    path = "/api/v1" + case.formatted_path
    query = urlencode(case.query or {}, doseq=True)
    url = f"{path}?{query}" if query else path
    extra: dict[str, Any] = {}
    if case.method.upper() == "POST" and isinstance(case.body, dict | list | str | int | float):
        extra = {"data": json.dumps(case.body), "content_type": "application/json"}
    response: Any = web.generic(case.method, url, **extra)
    assert_sound(response, path)
    if case.method.upper() != "HEAD":
        assert_declared(case.path, case.method.lower(), response)


def test_real_answers_match_the_precise_item_schemas(web: Client, corpus) -> None:
    """Filled answers, not only the empty ones fuzzing mostly gets: every item is described
    key by key (no undeclared key, no missing one), so a view that changes its shape fails."""
    listing = corpus["event"]
    answers = {
        ("/resources", "get"): web.get("/api/v1/resources"),
        ("/resources/{id}", "get"): web.get(f"/api/v1/resources/{listing.uuid}"),
        ("/members", "get"): web.get("/api/v1/members"),
        ("/vocabulary", "get"): web.get("/api/v1/vocabulary"),
        ("/match", "post"): web.post("/api/v1/match", data="{}", content_type="application/json"),
    }
    for (path, method), response in answers.items():
        assert response.status_code == 200, (path, response.content[:300])
        assert_declared(path, method, response)
    assert json.loads(answers[("/resources", "get")].content)["results"]
    assert json.loads(answers[("/members", "get")].content)["results"]
    body = json.loads(answers[("/resources", "get")].content)
    body["results"][0]["undeclared"] = 1
    with pytest.raises(jsonschema.ValidationError, match="undeclared"):
        body_validator("/resources", "get", "200").validate(body)


def test_the_description_is_served_and_valid_openapi(client: Client) -> None:
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.json())
    assert set(response.json()["paths"]) == {
        "/resources",
        "/resources/{id}",
        "/members",
        "/vocabulary",
        "/match",
    }
