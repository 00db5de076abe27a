"""JSON lines for log collectors (LOG_FORMAT=json): our own fields, nothing about a person.

Why: a log shipper (Loki, CloudWatch, …) wants one JSON object a line, and the PF rule says no
request body, query string or anything typed by a resident reaches a log (docs/privacy.md).
So the formatter writes a fixed set of fields and never walks the record: a `request`
attached by Django's error log is reduced to its method and path, an exception to its class
and its frames (an error's text can quote the row's values, e.g. an IntegrityError).
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest


class JsonLinesFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", …}` on one line, ensure_ascii off for 日本語."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            data["status_code"] = status
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            data["method"], data["path"] = request.method, request.path
        if record.exc_info and record.exc_info[0] is not None:
            error_type, _, trace = record.exc_info
            data["exception"] = {
                "type": error_type.__name__,
                "frames": [
                    f"{frame.filename}:{frame.lineno} in {frame.name}"
                    for frame in traceback.extract_tb(trace)
                ],
            }
        return json.dumps(data, ensure_ascii=False)
