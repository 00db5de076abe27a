"""Middleware of the site's own: the visitor's chosen language, and an explained 405.

Why: Django's `require_GET` / `require_POST` answer 405 with an empty body, so an API client
(or a resident's browser) got no reason at all; schemathesis found it on every /api/hsds/ path.
One middleware gives every such answer the site's error shape instead of a decorator per view.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers

from website.views import error_response

SKIPPED_HEADERS = {"content-type", "content-length"}


class SiteLanguage:
    """Japanese unless the visitor chose English with the site's language switch (a cookie).

    Why not LocaleMiddleware: it follows Accept-Language, so an English browser got English
    form errors on pages whose listings are written in Japanese, and a visitor could not choose.
    The public site is Japanese by default; the switch in the header (website.views.
    choose_language) sets LANGUAGE_COOKIE_NAME, which is a preference, not personal data.
    The language is activated per request (a thread never keeps another request's language),
    `Content-Language` always names it, and the admin renders in each user's profile language
    through Wagtail's own override.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Wagtail's admin viewsets word some labels once, as the URLconf registers them
        # ("Home", "Choose 地域"): loaded inside an English visitor's first request, the admin
        # stayed English for everyone. So the URLconf is loaded here, in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            get_resolver().url_patterns  # noqa: B018 - loading it is the point

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


def chosen_language(request: HttpRequest) -> str:
    """The language of the switch's cookie when it is one the site offers, else Japanese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


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
