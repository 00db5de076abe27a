"""HTTP helpers shared by the views: one safe reader for JSON request bodies.

Why one reader: `json.loads` accepts input Python cannot carry any further — NaN and Infinity,
numbers that overflow to inf or exceed int()'s digit limit, lone surrogates ("\\ud800") that
cannot be encoded back to UTF-8, and nesting that exhausts the recursion limit — and each of
those was a 500 somewhere after parsing (issue 11). Every JSON POST reads its body here, so the
rule is stated once and a view only ever sees plain, finite, encodable, shallow data.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest

MAX_JSON_DEPTH = 32  # no request shape we accept nests deeper than 3
MAX_NUMBER_LENGTH = 40  # digits and signs of one JSON number literal

UNREADABLE = "JSON として読めませんでした。"
TOO_BIG = "送られたデータが大きすぎます。内容を減らしてもう一度送ってください。"
TOO_DEEP = f"JSON の入れ子が深すぎます（{MAX_JSON_DEPTH}段まで）。"
BAD_NUMBER = "数値は有限の値で送ってください（NaN・Infinity や桁の多すぎる数は使えません）。"
BAD_TEXT = "文字として読めない値（対になっていないサロゲート）が含まれています。"


class BadJsonBody(Exception):
    """A request body that is not acceptable JSON: a Japanese message and the status to answer."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
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
