"""Whole public pages for anonymous visitors, cached by public content version (issue 17).

Why: a listing page costs ~25 queries and /members/ ~15 plus their templates, yet every
anonymous visitor gets the same bytes until an editor publishes. So a rendered page is kept in
the `default` cache under the key of core/public_cache.py (the same version, bumped by the same
signals: publish, unpublish, edit, move, delete, view restrictions, members, vocabulary, areas),
plus the language and the day in Japan (pages show the next session date). One rule for what
is stale, for API answers and pages alike.

Never cached, so nothing personal or broken is ever stored or served to someone else:
- a request with a session cookie (every logged-in editor, anyone past a page password) or an
  Authorization header, anything but GET/HEAD, or one carrying words, an age or a place a
  resident typed (`public_cache.PRIVATE_PARAMETERS`: search words are never stored);
- an answer that is not a plain 200 HTML page, that says `no-store`, `no-cache` or `private` (match,
  search with words, the admin), that sets a cookie, touched the session, or used a CSRF token
  (a form: /join/, the report form, a page password form) — its token must be the visitor's own.
Served pages get `Vary: Cookie, Accept-Language`, so a shared proxy never gives an editor the
anonymous page either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers

from core import public_cache
from directory.listings.schedules import JST

# Cache-Control directives by which a view says its answer is for this visitor only.
PRIVATE_DIRECTIVES = ("no-store", "no-cache", "private")
# Headers the middlewares outside this one add again to every answer (a served page gets them
# fresh), or that belong to one visitor.
UNSTORED_HEADERS = frozenset({"set-cookie", "vary", "content-length"})


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache; store the pages that qualify."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not anonymous_public_request(request):
            return self.get_response(request)
        # The version is read before the page is rendered: a change committed meanwhile
        # leaves this page under a version nobody asks for any more.
        key = page_key(request, public_cache.content_version())
        stored = cache.get(key)
        if stored is not None:
            return _vary(public_cache.answer_from(stored))
        response = self.get_response(request)
        # Never a streamed answer: only an HttpResponse has its content at hand.
        if isinstance(response, HttpResponse) and storable(request, response):
            headers = [name for name in response.headers if name.lower() not in UNSTORED_HEADERS]
            cache.set(key, public_cache.stored_answer(response, headers), public_cache.timeout())
        return _vary(response)


def anonymous_public_request(request: HttpRequest) -> bool:
    return (
        public_cache.cacheable(request)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_key(request: HttpRequest, version: int) -> str:
    """public_cache's key for this URL, with the language and today's date in Japan."""
    today = datetime.now(JST).date().isoformat()
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return public_cache.cache_key(request, version, kind="page", variant=f"{language}\n{today}")


def storable(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        # Pages only: API answers and feeds have their own cache (public_cache.public_cached),
        # behind their abuse limits.
        and response.get("Content-Type", "").startswith("text/html")
        and not any(directive in cache_control for directive in PRIVATE_DIRECTIVES)
        and not response.cookies
        and not getattr(getattr(request, "session", None), "modified", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _vary(response: HttpResponseBase) -> HttpResponseBase:
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response
