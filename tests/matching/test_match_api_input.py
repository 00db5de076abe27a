"""POST /api/v1/match answers hostile JSON with a 4xx and a Japanese message, never a 500.

Each body here once raised inside the view (issue 11): a lone surrogate could not be encoded
back, deep nesting hit Python's recursion limit, and non-finite or huge numbers broke int().
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

HOSTILE_BODIES = {
    "lone surrogate in keywords": '{"keywords": "\\ud800"}',
    "lone surrogate as a key": '{"\\udfff": 1}',
    "lone surrogate in a list": '{"targets": ["\\ud800"]}',
    "deeply nested arrays": "[" * 100_000 + "]" * 100_000,
    "deeply nested objects": '{"near": ' * 5_000 + "1" + "}" * 5_000,
    "nesting under the recursion limit": '{"times": ' + "[" * 500 + "]" * 500 + "}",
    "limit 1e309": '{"limit": 1e309}',
    "limit NaN": '{"limit": NaN}',
    "limit -Infinity": '{"limit": -Infinity}',
    "limit Infinity": '{"limit": Infinity}',
    "max_km NaN": '{"max_km": NaN, "area": "x"}',
    "near NaN": '{"near": {"lat": NaN, "lng": 139.7}}',
    "limit with 5000 digits": '{"limit": ' + "9" * 5_000 + "}",
}


def post(client: Client, body: str | bytes) -> tuple[int, dict]:
    client.raise_request_exception = False
    response = client.post(reverse("api-match"), body, content_type="application/json")
    assert response["Content-Type"].startswith("application/json")
    assert "no-store" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_hostile_json_is_a_4xx_with_a_message(client, body):
    status, data = post(client, body)
    assert 400 <= status < 500
    messages = [message for field in data["errors"].values() for message in field]
    assert messages and all(isinstance(m, str) and m for m in messages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "status"),
    [("1e309", 422), ("NaN", 422), ("-Infinity", 422), ("inf", 422), ("1e400", 422), ("5", 200)],
)
def test_limit_given_as_text_must_be_a_finite_whole_number(client, value, status):
    """The form path passes numbers as text: float("nan") and float("inf") parse, so refuse them."""
    got, data = post(client, json.dumps({"limit": value}))
    assert got == status
    if status == 422:
        assert data["errors"]["limit"]


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_413_with_a_message(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    status, data = post(client, json.dumps({"keywords": "あ" * 2_000}))
    assert status == 413
    assert "大きすぎ" in data["errors"]["__all__"][0]


@pytest.mark.django_db
def test_a_body_that_is_not_utf8_is_unreadable_json(client):
    status, data = post(client, b'{"keywords": "\xff\xfe"}')
    assert status == 422
    assert data["errors"]["__all__"]
