"""HTTP helpers shared by the views: one JSON answer with an explicit CORS choice, and one safe
reader for JSON request bodies.

Why a required CORS choice: the JSON endpoints had five helpers, some sending
`Access-Control-Allow-Origin: *` and some not, without saying why. Now each endpoint names who
may read its answers from a page on another site (docs/search.md "CORS"):

- `Cors.ANY_ORIGIN` for the public read APIs and feeds (/api/v1/resources, /api/v1/vocabulary,
  /api/v1/members, /api/hsds/, the .ics feeds): public data, no cookies or login involved, so
  any site may build on them — errors too, so such a site can show the Japanese message.
- `Cors.SAME_ORIGIN` (no header) for POST /api/v1/match: its body describes a person's
  situation, which the PF asks residents to enter on the PF's own pages under its privacy
  notice; a page elsewhere cannot read the answer, and without the header browsers refuse the
  JSON preflight. Servers are not limited by CORS, so other services can still call it.

Why one reader: `json.loads` accepts input Python cannot carry any further — NaN and Infinity,
numbers that overflow to inf or exceed int()'s digit limit, lone surrogates ("\\ud800") that
cannot be encoded back to UTF-8, and nesting that exhausts the recursion limit — and each of
those was a 500 somewhere after parsing (issue 11). Every JSON POST reads its body here, so the
rule is stated once and a view only ever sees plain, finite, encodable, shallow data.
"""

from __future__ import annotations

import json
import math
from enum import Enum
from typing import Any, TypeVar

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from django_stubs_ext import StrOrPromise

Response = TypeVar("Response", bound=HttpResponseBase)


class Cors(Enum):
    """Who may read an answer from a page on another site (browsers enforce it)."""

    ANY_ORIGIN = "*"
    SAME_ORIGIN = ""


def with_cors(response: Response, cors: Cors) -> Response:
    """The response with the Access-Control-Allow-Origin header `cors` asks for (or none)."""
    if cors is Cors.ANY_ORIGIN:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def json_response(data: Any, *, cors: Cors, status: int = 200) -> JsonResponse:
    """UTF-8 JSON with Japanese text as is; `cors` has no default so every endpoint chooses."""
    response = JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    return with_cors(response, cors)


MAX_JSON_DEPTH = 32  # no request shape we accept nests deeper than 3
MAX_NUMBER_LENGTH = 40  # digits and signs of one JSON number literal

# Lazy: each is made text when a request answers, in that request's language.
UNREADABLE = gettext_lazy("JSON として読めませんでした。")
TOO_BIG = gettext_lazy("送られたデータが大きすぎます。内容を減らしてもう一度送ってください。")
TOO_DEEP = lazy(
    lambda: gettext("JSON の入れ子が深すぎます（%(depth)s段まで）。") % {"depth": MAX_JSON_DEPTH},
    str,
)()
BAD_NUMBER = gettext_lazy(
    "数値は有限の値で送ってください（NaN・Infinity や桁の多すぎる数は使えません）。"
)
BAD_TEXT = gettext_lazy("文字として読めない値（対になっていないサロゲート）が含まれています。")


class BadJsonBody(Exception):
    """A request body that is not acceptable JSON: a message and the status to answer."""

    def __init__(self, message: StrOrPromise, status: int = 422) -> None:
        super().__init__(message)
        self.message = str(message)  # raised while answering: the request's language
        self.status = status


def _refuse_constant(name: str) -> float:
    raise BadJsonBody(BAD_NUMBER)


def _finite_float(text: str) -> float:
    number = float(text) if len(text) <= MAX_NUMBER_LENGTH else math.inf
    if not math.isfinite(number):
        raise BadJsonBody(BAD_NUMBER)
    return number


def _bounded_int(text: str) -> int:
    if len(text) > MAX_NUMBER_LENGTH:
        raise BadJsonBody(BAD_NUMBER)
    return int(text)


def _is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_json_value(data: Any) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and strings (keys too) with lone surrogates.

    Iterative on purpose: a recursive walk would fail on the very input it guards against.
    """
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not _is_encodable(value):
                raise BadJsonBody(BAD_TEXT)
        elif isinstance(value, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise BadJsonBody(TOO_DEEP)
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)


def read_json_body(request: HttpRequest) -> Any:
    """The request body as checked JSON (an empty body is None), or raise BadJsonBody.

    A body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413; anything else unreadable is 422.
    """
    try:
        body = request.body
    except RequestDataTooBig:
        raise BadJsonBody(TOO_BIG, status=413) from None
    try:
        data = json.loads(
            body.decode("utf-8") or "null",
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadJsonBody(UNREADABLE) from None
    except RecursionError:
        raise BadJsonBody(TOO_DEEP) from None
    check_json_value(data)
    return data
