"""LOG_FORMAT=json: one JSON object a line, with our fields only (issue 17).

A record may carry the request (Django's error log does) or a message with a search word;
the line must hold neither the request's body nor its query string.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

from django.conf import settings
from django.test import RequestFactory

from core.jsonlog import JsonLinesFormatter
from core.logging import StripQueryStrings


def record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("django.request", logging.ERROR, __file__, 1, msg, args, None)
    made.__dict__.update(extra)
    return made


def test_a_line_is_one_json_object_with_known_fields() -> None:
    line = JsonLinesFormatter().format(record("Internal Server Error: %s", "/match/"))
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "ERROR"
    assert data["logger"] == "django.request"
    assert data["message"] == "Internal Server Error: /match/"
    assert data["time"].endswith("+00:00")


def test_the_request_body_and_query_string_never_reach_the_line() -> None:
    request = RequestFactory().post(
        "/match/?age=17", {"note": "090-1234-5678 山田花子"}, HTTP_USER_AGENT="secret-agent"
    )
    made = record("Bad Request: %s", "/search/?q=山田花子", request=request, status_code=400)
    StripQueryStrings(paths=["/search/"]).filter(made)
    line = JsonLinesFormatter().format(made)
    assert json.loads(line)["status_code"] == 400
    for secret in ("090-1234-5678", "山田花子", "age=17", "secret-agent", "note"):
        assert secret not in line


def test_an_exception_is_logged_by_class_and_frames_not_by_its_text() -> None:
    """An error's text can quote data (an IntegrityError quotes the row's values)."""
    try:
        raise ValueError("duplicate key value (email)=(hanako@example.jp)")
    except ValueError:
        made = record("failed")
        made.exc_info = sys.exc_info()
    data = json.loads(JsonLinesFormatter().format(made))
    assert data["exception"]["type"] == "ValueError"
    assert any("test_json_logging.py" in frame for frame in data["exception"]["frames"])
    assert "hanako" not in json.dumps(data)


def test_log_format_json_selects_the_formatter_for_the_console() -> None:
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "website.settings.test"}
    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('tsunagari').warning('見える %s', 'line')"
    )
    result = subprocess.run(  # noqa: S603 — our own interpreter, fixed code
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stderr.strip().splitlines()[-1])["message"] == "見える line"
