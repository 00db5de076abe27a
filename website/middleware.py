"""Middleware of the site's own: the site's one language, and an explained 405.

Why: Django's `require_GET` / `require_POST` answer 405 with an empty body, so an API client
(or a resident's browser) got no reason at all; schemathesis found it on every /api/hsds/ path.
One middleware gives every such answer the site's error shape instead of a decorator per view.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from website.views import error_response

SKIPPED_HEADERS = {"content-type", "content-length"}


class SiteLanguage:
    """Every request in LANGUAGE_CODE (Japanese), whatever the browser's Accept-Language.

    The public site is written in Japanese only: Django's LocaleMiddleware gave an English
    browser English form errors and `Content-Language: en` on a `lang="ja"` page. The language
    is still activated per request (a thread never keeps another request's language); the
    admin renders in each user's profile language through Wagtail's own override.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE  # type: ignore[attr-defined]
        return self.get_response(request)


class ExplainedMethodNotAllowed:
    """Fill an empty 405 with a Japanese message naming the allowed methods (JSON under /api/)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False) or response.content:
            return response
        allowed = response.get("Allow", "")
        message = (
            f"この URL では {allowed} だけが使えます。" if allowed else "この方法では使えません。"
        )
        explained = error_response(request, 405, message, "400.html")
        for name, value in response.headers.items():
            if name.lower() not in SKIPPED_HEADERS:
                explained[name] = value
        return explained
