"""Schemathesis over the project's own OpenAPI description of /api/hsds/.

The hypothesis suite (test_api.py) sends hostile text under the described parameter names;
schemathesis adds values shaped by each parameter's schema (types, enums, ranges and their
edges), so the found and the not-found paths of every operation are reached too. Conformance
of the answers to the HSDS schemas is tested elsewhere (tests/exchange/); here the rule is the
fuzz suite's: never a 5xx, a 4xx says why.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
import schemathesis

from tests.fuzz.conftest import FUZZ, assert_sound

pytestmark = [pytest.mark.fuzz, pytest.mark.conformance, pytest.mark.django_db]

OPENAPI = Path(__file__).resolve().parents[2] / "exchange" / "hsds" / "openapi.json"
schema = schemathesis.openapi.from_dict(json.loads(OPENAPI.read_text(encoding="utf-8")))


@schema.parametrize()
@FUZZ
def test_every_hsds_operation_of_our_openapi_description(case, web, corpus):
    """Every described operation, and the methods it does not allow (schemathesis adds those)."""
    path = "/api/hsds" + case.formatted_path
    query = urlencode(case.query or {}, doseq=True)
    url = f"{path}?{query}" if query else path
    response = web.generic(case.method, url)
    if case.method.upper() == "HEAD":
        # HEAD answers GET's status and headers without a body: judge GET's answer.
        assert response.content == b""
        got = web.generic("GET", url)
        assert response.status_code == got.status_code
        response = got
    assert_sound(response, path)
