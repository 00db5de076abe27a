"""A logging filter that keeps the query strings of listed paths out of every log line.

Why: /search/?q= and /api/v1/resources?q= are GET on purpose (a directory search can be linked
and bookmarked), but what a resident types may be a phone number or a name, and the PF rule
says nothing about an individual reaches a log (docs/privacy.md). The filter never drops a
record; it rewrites the request line, the URL or the referer of a listed path to the path alone,
so the access log still shows that a search happened, and when.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, QueryDict

# gunicorn's access-log atoms that can carry a query string (request line, query, referer).
_GUNICORN_ATOMS = ("r", "q", "f", "{raw_uri}e", "{query_string}e")


class StripQueryStrings(logging.Filter):
    """Remove `?…` after any of `paths` in a record's message, arguments and request."""

    def __init__(self, paths: Iterable[str] = (), name: str = "") -> None:
        super().__init__(name)
        self.paths = tuple(paths)
        alternatives = "|".join(
            re.escape(path) for path in sorted(self.paths, key=len, reverse=True)
        )
        # A listed path followed by its query string, up to whitespace or a quote.
        self._pattern = re.compile(rf"({alternatives})\?[^\s\"']*") if self.paths else None

    def strip(self, text: str) -> str:
        """`text` with the query string of every listed path removed."""
        return self._pattern.sub(r"\1", text) if self._pattern else text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._pattern is None:
            return True
        if isinstance(record.msg, str):
            record.msg = self.strip(record.msg)
        if isinstance(record.args, dict):  # gunicorn's access log passes its atoms as a dict
            record.args = self._atoms(record.args)
        elif isinstance(record.args, tuple):
            record.args = tuple(self._value(arg) for arg in record.args)
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and request.path in self.paths:
            record.request = _without_query(request)
        return True

    def _value(self, value: Any) -> Any:
        return self.strip(value) if isinstance(value, str) else value

    def _atoms(self, atoms: dict[str, Any]) -> dict[str, Any]:
        atoms = dict(atoms)
        listed = atoms.get("U") in self.paths
        for key in _GUNICORN_ATOMS:
            if key in atoms and isinstance(atoms[key], str):
                atoms[key] = (
                    "" if listed and key in ("q", "{query_string}e") else self.strip(atoms[key])
                )
        return atoms


def _without_query(request: HttpRequest) -> HttpRequest:
    """A shallow copy of `request` without its query (error reports read GET and META)."""
    clean = copy.copy(request)
    clean.GET = QueryDict()
    clean.META = {**request.META, "QUERY_STRING": ""}
    return clean
