"""The database is unreachable: a friendly Japanese 503 instead of a traceback or a bare 500.

Why: when PostgreSQL restarts (or the SQLite file's disk is full or gone), every page would
answer 「一時的なエラー」 500 and the error log would fill with tracebacks. An outage is not a
bug: residents get a page that says the service is paused and when to try again, API clients a
JSON body and `Retry-After`, and the log one line naming the error class only (the error text
can carry the database host, the request never reaches the line).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

from website.views import error_response

logger = logging.getLogger("tsunagari.outage")

UNAVAILABLE = gettext_lazy(
    "ただいまサービスを一時停止しています。しばらくしてからもう一度お試しください。"
    "入力した内容は保存されていません。"
)
RETRY_AFTER_SECONDS = 60
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_outage(error: BaseException) -> bool:
    """True for a database that cannot be reached or used now, not for a bug in a query."""
    return isinstance(error, OUTAGE_ERRORS)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, rendered without the database (JSON under /api/)."""
    response = error_response(request, 503, UNAVAILABLE, "503.html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answer a view's OperationalError / InterfaceError with the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        logger.warning("database unavailable (%s): answered 503", type(exception).__name__)
        return unavailable_response(request)
