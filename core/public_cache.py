"""Rendered answers of the heavy public read endpoints (HSDS lists, iCal feeds), cached.

An answer is stored in the `default` cache (Redis in production, shared by every gunicorn
worker) under a key made of the *public content version*, the scheme and host (feeds and the
API write absolute URLs), the path and the normalised query string. The version is one number
in the same cache; any change of public listing or member data bumps it (`bump`, connected to
the page, member, vocabulary and area signals in exchange/apps.py), so invalidation is a single
atomic increment and old answers are simply never asked for again (they expire after
`PUBLIC_CACHE_TIMEOUT` seconds, default an hour, which also bounds answers that depend on the
date, such as holiday EXDATEs).

Only public listing data is cached: GET answers with status 200, never a streamed answer, never
a request body, and never a request carrying words or a place a resident typed (`search`,
`postcode`, `lat`, `lng`, `proximity`), so no cache key or value says what someone looked for.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

DEFAULT_TIMEOUT = 60 * 60
VERSION_KEY = "version"
# Parameters holding what a resident typed, where they are or how old: such answers are never
# cached (the API's `search`, the site search's `q`, `literal` and `age`, any point).
PRIVATE_PARAMETERS = frozenset(
    {"search", "q", "literal", "age", "postcode", "lat", "lng", "proximity"}
)
# Response headers that belong to the answer itself (its CORS choice included).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin")


def _prefix() -> str:
    """Namespace of every key; tests give each test its own (tests/conftest.py)."""
    return str(getattr(settings, "PUBLIC_CACHE_PREFIX", "public:"))


def timeout() -> int:
    """How long a cached answer (and the ready match pool, matching/ready.py) may live."""
    return int(getattr(settings, "PUBLIC_CACHE_TIMEOUT", DEFAULT_TIMEOUT))


def content_version() -> int:
    """The current public content version (created on first use).

    A missing version (first start, or evicted) starts from the clock in nanoseconds rather
    than from 1, so it cannot fall back onto a number whose answers are still stored.
    """
    key = _prefix() + VERSION_KEY
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key, 0)
    return int(version)


def version_stamp() -> tuple[str, int | None]:
    """The version as it stands, read only: for holders of public data outside this cache.

    Never writes, so a match request (which may store nothing, docs/privacy.md) can ask it.
    A missing version reads as None; it only turns into a number by a bump (or a first
    cached answer), so "None" still changes whenever public content does. The prefix is part
    of the stamp so namespaces (one per test) never share one.
    """
    version = cache.get(_prefix() + VERSION_KEY)
    return _prefix(), None if version is None else int(version)


def bump() -> None:
    """Public content changed: every cached answer is out of date from now on.

    Bumped at once (the same request reads its own change) and again when the transaction
    commits, so an answer rendered from the old data while the change was uncommitted cannot
    be stored under the new version.
    """
    _increment()
    transaction.on_commit(_increment)


def _increment() -> None:
    key = _prefix() + VERSION_KEY
    try:
        cache.incr(key)
    except ValueError:  # not there (yet, or evicted): start a new, unused number
        content_version()


def on_public_change(sender: Any, **kwargs: Any) -> None:
    """Signal receiver for anything that may change a public answer (exchange/apps.py)."""
    bump()


def normalised_query(request: HttpRequest) -> str:
    """The query string with empty values dropped and parameters sorted (?b=1&a= → a… b=1)."""
    pairs = sorted(
        (name, value.strip())
        for name, values in request.GET.lists()
        for value in values
        if value.strip()
    )
    return "&".join(f"{name}={value}" for name, value in pairs)


def cache_key(request: HttpRequest, version: int, kind: str = "answer", variant: str = "") -> str:
    """Version + scheme, host, path and normalised query (+ a variant such as the language),
    hashed to a fixed length; `kind` keeps API answers and whole pages apart."""
    where = "\n".join(
        (
            request.scheme or "",
            request.get_host(),
            request.path,
            normalised_query(request),
            variant,
        )
    )
    digest = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{_prefix()}{kind}:{version}:{digest}"


def cacheable(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not PRIVATE_PARAMETERS & set(request.GET)


def public_cached(view: View) -> View:
    """Serve a public read view from the cache; store its successful, non-streamed answers."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not cacheable(request):
            return view(request, *args, **kwargs)
        # The version is read before the data, so a change committed meanwhile only makes
        # this answer land under a version nobody asks for any more.
        key = cache_key(request, content_version())
        stored = cache.get(key)
        if stored is not None:
            return answer_from(stored)
        response = view(request, *args, **kwargs)
        # A streamed answer (ndjson) is an HttpResponseBase without .content: never stored.
        if response.status_code == 200 and isinstance(response, HttpResponse):
            cache.set(key, stored_answer(response, KEPT_HEADERS), timeout())
        return response

    return wrapper  # type: ignore[return-value]


def stored_answer(response: HttpResponse, headers: Iterable[str]) -> dict[str, Any]:
    """The content and the named headers of an answer, as the cache holds them."""
    return {
        "content": response.content,
        "headers": {name: response[name] for name in headers if response.has_header(name)},
    }


def answer_from(stored: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(stored["content"])
    for name, value in stored["headers"].items():
        response[name] = value
    return response
