"""Fixtures and the one soundness check of the fuzz suite (tests/fuzz/, marker `fuzz`).

Every fuzz test sends generated input to a public endpoint and asserts `assert_sound`: never a
5xx; a 4xx says why in Japanese (JSON `{"errors": …}` under /api/); and the cache headers the
privacy rules ask for. The examples are bounded and derandomized (the whole suite stays within
CI's 3 minutes on the shared 2-core machines); `FUZZ_EXAMPLES=500` explores more locally.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
)

settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")),
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays stable
    database=None,  # no .hypothesis/ directory in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=False,
)
FUZZ = settings.get_profile("fuzz")

# Paths whose answers must never be stored anywhere (a profile, a search word, a form).
NO_STORE = re.compile(
    r"^/(search/|api/v1/resources$|api/v1/match$|match/|join/|listings/[^/]+/report/)"
)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def unlimited(settings) -> None:
    """The abuse limits are tested elsewhere; here every request must reach its view."""
    limits = getattr(settings, "RATE_LIMITS", None)
    if limits is not None:
        settings.RATE_LIMITS = dict.fromkeys(limits, "100000/m")


@pytest.fixture
def web(db) -> Client:
    """A client that answers like the server would (handler500) instead of raising."""
    client = Client()
    client.raise_request_exception = False
    return client


@pytest.fixture
def corpus(db, settings) -> Iterator[dict[str, Any]]:
    """A few listings of each kind, one confidential, indexed for the embedded search."""
    from directory.models import LocationMode
    from search.documents import live_documents
    from search.engines.embedded import EmbeddedEngine

    settings.SEARCH_BACKEND = "embedded"
    area = AreaFactory(code="999990-701", name="ふずの小学校区")
    member = MemberFactory()
    listings = {
        "place": PlacePageFactory(member=member, area=area, categories=["salon"]),
        "service": ServicePageFactory(member=member, targets=["children"]),
        "event": EventPageFactory(member=member),
        "confidential": PlacePageFactory(
            member=member,
            area=area,
            location_mode=LocationMode.CONFIDENTIAL,
            address="",
            lat=None,
            lng=None,
        ),
    }
    engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    engine.clear()
    engine.index(live_documents())
    yield {"area": area, "member": member, **listings}
    engine.clear()


def assert_sound(response: HttpResponse, path: str) -> None:
    """Never a 5xx; a 4xx carries a Japanese message; private answers are never stored."""
    status = response.status_code
    assert status < 500, f"{status} for {path}"
    cache_control = response.get("Cache-Control", "")
    if NO_STORE.match(path):
        assert "no-store" in cache_control, f"{path} answered without no-store"
    if 400 <= status < 500:
        assert "public" not in cache_control, f"a {status} of {path} may be cached publicly"
        body = response.content.decode("utf-8")
        if path.startswith("/api/"):
            errors = json.loads(body)["errors"]
            messages = [m for field in errors.values() for m in field]
            assert messages and all(JAPANESE.search(m) for m in messages), errors
        else:
            assert JAPANESE.search(body), f"a {status} of {path} has no message"
