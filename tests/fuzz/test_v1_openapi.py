"""Schemathesis over the project's own OpenAPI description of /api/v1/ (/api/v1/openapi.json).

Values shaped by each described parameter (types, ranges and their edges, arrays of choices)
and generated JSON bodies for POST /api/v1/match: never a 5xx, a 4xx says why in Japanese, and
every answer has a status the description declares and the shape it declares for it.
"""

from __future__ import annotations

import json
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


def assert_declared(spec: dict[str, Any], path: str, method: str, response) -> None:
    """The status is declared for the operation and the JSON body matches its schema."""
    declared = spec["paths"][path].get(method, {}).get("responses", {})
    status = str(response.status_code)
    if not declared:  # a method the operation does not allow (schemathesis sends those too)
        assert status == "405", f"{method} {path}: {status}"
    if status in ("405", "429"):  # other methods and the abuse limits: the one error shape
        body_schema: dict[str, Any] = {"$ref": "#/components/schemas/Errors"}
    else:
        assert status in declared, f"{method} {path}: undeclared {status}"
        body_schema = declared[status]["content"]["application/json"]["schema"]
    jsonschema.validate(
        json.loads(response.content), {**body_schema, "components": spec["components"]}
    )


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
        assert_declared(SPEC, case.path, case.method.lower(), response)


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
