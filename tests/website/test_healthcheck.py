"""manage.py healthcheck: database, search engine and cache, for an orchestrator (issue 17)."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection


class StubEngine:
    name = "meilisearch+embedded"

    def __init__(self, report: dict[str, Any]) -> None:
        self.report = report

    def health(self) -> dict[str, Any]:
        return self.report


def run(*args: str) -> str:
    out = StringIO()
    call_command("healthcheck", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_everything_up_exits_zero() -> None:
    output = run()
    for name in ("database", "search", "cache"):
        assert re.search(rf"^OK +{name}:", output, re.MULTILINE)


@pytest.mark.django_db
def test_database_down_fails_in_japanese_and_english() -> None:
    with (
        mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("x")),
        pytest.raises(CommandError) as failure,
    ):
        run()
    assert "データベース" in str(failure.value)
    assert "database" in str(failure.value)


@pytest.mark.django_db
def test_a_cache_that_keeps_nothing_fails(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with pytest.raises(CommandError) as failure:
        run()
    assert "キャッシュ" in str(failure.value) and "cache" in str(failure.value)


@pytest.mark.django_db
def test_search_engine_down_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = StubEngine({"ok": False, "engine": "embedded", "error": "OperationalError"})
    monkeypatch.setattr("core.health.get_engine", lambda: engine)
    with pytest.raises(CommandError) as failure:
        run()
    assert "検索エンジン" in str(failure.value) and "search" in str(failure.value)


@pytest.mark.django_db
def test_meilisearch_down_with_the_fallback_answering_is_a_warning_unless_strict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Restarting the app would not bring Meilisearch back: degraded is not unhealthy."""
    engine = StubEngine({"ok": True, "engine": "meilisearch+embedded", "degraded": True})
    monkeypatch.setattr("core.health.get_engine", lambda: engine)
    assert "WARN search" in run()
    with pytest.raises(CommandError):
        run("--strict")
