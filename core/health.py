"""Health of what the site needs to answer: the database, the search engine, the cache.

Why: an orchestrator (compose's healthcheck, a load balancer's probe through `manage.py
healthcheck`) must tell a process that cannot serve from one that serves slower. Meilisearch
down while the embedded index answers is *degraded*, not unhealthy: restarting the app would
not bring Meilisearch back. No check touches anything about a resident.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DatabaseError, connection

from search.engines import get_engine


@dataclass(frozen=True)
class Check:
    """One result: `ok` False is unhealthy; `degraded` serves, but not as configured."""

    name: str
    label: str  # Japanese, for the message to operators
    ok: bool
    detail: str = ""
    degraded: bool = False


def check_database() -> Check:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("database", "データベース", False, type(error).__name__)
    return Check("database", "データベース", True, connection.vendor)


def check_search() -> Check:
    report = get_engine().health()
    detail = f"{report.get('engine', '')} documents={report.get('documents')}"
    if not report.get("ok"):
        return Check("search", "検索エンジン", False, str(report.get("error", detail)))
    return Check("search", "検索エンジン", True, detail, degraded=bool(report.get("degraded")))


def check_cache() -> Check:
    key, value = f"healthcheck:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        kept = cache.get(key) == value
        cache.delete(key)
    except Exception as error:  # Redis down raises its own errors (ConnectionError, …)
        return Check("cache", "キャッシュ", False, type(error).__name__)
    return Check("cache", "キャッシュ", kept, "" if kept else "a value set was not read back")


CHECKS: tuple[Callable[[], Check], ...] = (check_database, check_search, check_cache)


def run_checks() -> list[Check]:
    """Every check, each isolated: one failing never hides the others."""
    return [check() for check in CHECKS]
