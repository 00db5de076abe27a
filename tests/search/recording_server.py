"""A local stand-in for Meilisearch's HTTP API, for contract tests only.

`RecordingServer` listens on 127.0.0.1 (a free port), records every request (method, path,
query, headers, JSON body) and answers the way Meilisearch v1.x does: writes are enqueued as
tasks (202 + task summary), `GET /tasks/{uid}` reports them, `/health` and `/stats` answer,
`/multi-search` answers each query with its index's canned search reply.
Tests set canned replies per route (a search response, a 500, a slow answer) and how tasks end.
Its answers are canned: they check what the engine sends and how it reads replies, never
whether Meilisearch would find something (tests/search/test_meilisearch_integration.py does).

Given Meilisearch's OpenAPI description (tests/search/meilisearch_openapi.py), the server checks
every request body it receives and every reply it serves against the documented operation and
collects what does not conform in `violations`; `assert_on_contract` fails a test on any. A test
that serves a deliberately broken reply marks it `off_contract`.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from search.engines.base import SearchDocument
from tests.search.meilisearch_openapi import MeilisearchContract, load_contract

TASK_TYPES = {
    ("PATCH", "settings"): "settingsUpdate",
    ("POST", "documents"): "documentAdditionOrUpdate",
    ("POST", "delete"): "documentDeletion",
    ("DELETE", "documents"): "documentDeletion",
}


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: Any  # parsed JSON, or None


ENQUEUED_AT = "2026-11-22T10:00:00.123456789Z"  # Meilisearch sends nanoseconds


def error_body(code: str, message: str = "canned error", kind: str = "invalid_request") -> dict:
    """Meilisearch's error object (ResponseError): message, code, type and link."""
    return {
        "message": message,
        "code": code,
        "type": kind,
        "link": f"https://docs.meilisearch.com/errors#{code}",
    }


def task_view(uid: int, status: str, task_type: str, error_code: str = "", **extra: Any) -> dict:
    """A task as GET /tasks/{uid} reports it (TaskView)."""
    return {
        "uid": uid,
        "indexUid": "listings",
        "status": status,
        "type": task_type,
        "error": error_body(error_code) if error_code else None,
        "enqueuedAt": ENQUEUED_AT,
    } | extra


def search_response(**extra: Any) -> dict:
    """A complete page-based SearchResult, as Meilisearch answers POST /indexes/{uid}/search."""
    return {
        "hits": [],
        "query": "",
        "processingTimeMs": 1,
        "totalHits": 0,
        "page": 1,
        "hitsPerPage": 20,
        "totalPages": 0,
    } | extra


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-serialisable; bytes are sent as they are
    delay: float = 0.0
    off_contract: bool = False  # deliberately not what Meilisearch documents: not validated


@dataclass
class TaskPlan:
    """How enqueued tasks end: after `polls_processing` polls, `status` (with `error_code`)."""

    status: str = "succeeded"
    error_code: str = ""
    polls_processing: int = 0


@dataclass
class RecordingServer:
    requests: list[Recorded] = field(default_factory=list)
    replies: dict[tuple[str, str], Reply] = field(default_factory=dict)
    task_plan: TaskPlan = field(default_factory=TaskPlan)
    tasks: dict[int, dict[str, Any]] = field(default_factory=dict)
    documents: int = 0
    url: str = ""
    contract: MeilisearchContract | None = None
    violations: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(
        self,
        method: str,
        path: str,
        body: Any = None,
        status: int = 200,
        delay: float = 0.0,
        *,
        off_contract: bool = False,
    ) -> None:
        """Answer `method path` with this canned reply instead of the default behaviour."""
        self.replies[(method, path)] = Reply(status, body, delay, off_contract)

    def check(self, request: Recorded, reply: Reply) -> None:
        """Record where the request body or the reply departs from Meilisearch's description."""
        if self.contract is None:
            return
        route = f"{request.method} {request.path}"
        try:
            problems = self.contract.request_errors(request.method, request.path, request.body)
            if not reply.off_contract:
                problems += self.contract.response_errors(
                    request.method, request.path, reply.status, reply.body
                )
        except AssertionError as error:  # the route itself is not documented
            problems = [str(error)]
        self.violations.extend(f"{route}: {problem}" for problem in problems)

    def requests_to(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    @property
    def routes(self) -> list[str]:
        """ "METHOD /path" of every request, in order (task polls included)."""
        return [f"{r.method} {r.path}" for r in self.requests]

    @property
    def writes(self) -> list[str]:
        """Like `routes`, without the task polls."""
        return [route for route in self.routes if not route.startswith("GET /tasks/")]

    # -- default Meilisearch behaviour ------------------------------------------------------

    def answer(self, method: str, path: str, body: Any = None) -> Reply:
        if (method, path) in self.replies:
            return self.replies[(method, path)]
        if method == "POST" and path == "/multi-search" and isinstance(body, dict):
            return self._multi_search(body)
        if method == "GET" and path == "/health":
            return Reply(200, {"status": "available"})
        if method == "GET" and path.startswith("/tasks/"):
            return self._poll(int(path.rsplit("/", 1)[1]))
        if method == "GET" and path.endswith("/stats"):
            stats = {
                "numberOfDocuments": self.documents,
                "rawDocumentDbSize": 4096 * self.documents,
                "avgDocumentSize": 4096 if self.documents else 0,
                "isIndexing": False,
                "fieldDistribution": {"id": self.documents} if self.documents else {},
            }
            return Reply(200, stats)
        parts = path.strip("/").split("/")
        if parts[0] == "indexes" and len(parts) == 2 and method == "DELETE":
            return self._enqueue(parts[1], "indexDeletion")
        task_type = TASK_TYPES.get((method, parts[-1]))
        if task_type and parts[0] == "indexes":
            return self._enqueue(parts[1], task_type)
        return Reply(404, error_body("bad_request", "not canned"))

    def _multi_search(self, body: dict[str, Any]) -> Reply:
        """Each query answered with its index's canned search reply, in order.

        As Meilisearch answers without `federation`: {"results": [...]}, each with its
        indexUid. A `limit` query gets the offset-based shape: no hits, the canned total as
        estimatedTotalHits, and only the facets it asked for.
        """
        results = []
        for query in body.get("queries") or []:
            index_uid = str(query.get("indexUid", ""))
            canned = self.replies.get(("POST", f"/indexes/{index_uid}/search"))
            reply = canned.body if canned and isinstance(canned.body, dict) else {}
            answer = search_response(**reply) | {"indexUid": index_uid}
            if "limit" in query:
                distribution = answer.get("facetDistribution") or {}
                answer = {
                    "indexUid": index_uid,
                    "hits": [],
                    "query": answer["query"],
                    "processingTimeMs": answer["processingTimeMs"],
                    "limit": query["limit"],
                    "offset": 0,
                    "estimatedTotalHits": answer["totalHits"],
                    "facetDistribution": {
                        name: distribution.get(name, {}) for name in query.get("facets") or []
                    },
                }
            results.append(answer)
        return Reply(200, {"results": results})

    def _enqueue(self, index_uid: str, task_type: str) -> Reply:
        with self._lock:
            uid = len(self.tasks)
            self.tasks[uid] = {"uid": uid, "indexUid": index_uid, "type": task_type, "polls": 0}
        summary = {
            "taskUid": uid,
            "indexUid": index_uid,
            "status": "enqueued",
            "type": task_type,
            "enqueuedAt": ENQUEUED_AT,
        }
        return Reply(202, summary)

    def _poll(self, uid: int) -> Reply:
        task = self.tasks.get(uid)
        if task is None:
            return Reply(404, error_body("task_not_found", f"Task `{uid}` not found."))
        task["polls"] += 1
        plan = self.task_plan
        status = plan.status if task["polls"] > plan.polls_processing else "processing"
        error_code = plan.error_code if status == "failed" else ""
        body = task_view(uid, status, task["type"], error_code, indexUid=task["indexUid"])
        return Reply(200, body)


def _handler(server: RecordingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            request = Recorded(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=json.loads(raw) if raw else None,
            )
            server.requests.append(request)
            reply = server.answer(self.command, parts.path, request.body)
            server.check(request, reply)
            if reply.delay:
                time.sleep(reply.delay)
            payload = (
                reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            )
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out and left (the slow-server tests) is expected, not an error."""


@contextmanager
def running_server() -> Iterator[RecordingServer]:
    """A server that checks against Meilisearch's OpenAPI description where it is available."""
    recorder = RecordingServer(contract=load_contract())
    httpd = _QuietServer(("127.0.0.1", 0), _handler(recorder))
    recorder.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        httpd.shutdown()
        httpd.server_close()


def assert_on_contract(server: RecordingServer) -> None:
    """Every request and reply so far followed Meilisearch's OpenAPI description."""
    assert server.violations == [], "\n".join(server.violations)


def closed_port_url() -> str:
    """A URL nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def sample_document(**overrides: Any) -> SearchDocument:
    """A complete search document; tests override the fields they are about."""
    document: SearchDocument = {
        "id": "0b9d3c1e-0000-4000-8000-000000000001",
        "page_id": 11,
        "kind": "place",
        "name": "みなと子ども食堂",
        "kana": "みなとこどもしょくどう",
        "summary": "毎週土曜日のお昼ごはん",
        "description": "地域の子どもと大人がいっしょに食べる食堂です。",
        "keywords": ["食堂", "子ども"],
        # Field labels and readings; neutral for the tests that override the name and fields.
        "labels": ["居場所", "無料", "いばしょ", "むりょう"],
        "name_reading": "",
        "url": "/listings/minato-kodomo-shokudo/",
        "member_id": "5f1c2a3b-0000-4000-8000-000000000009",
        "member_name": "みなと地区社会福祉協議会",
        "categories": ["kodomo-shokudo"],
        "targets": ["children"],
        "conditions": ["free"],
        "age_min": None,
        "age_max": None,
        "area_codes": ["23", "23100", "23100-03"],
        "area_name": "名古屋市港区",
        "address": "名古屋市港区港楽1-1-1",
        "lat": 35.1081,
        "lng": 136.8850,
        "online": False,
        "weekdays": [5],
        "times_of_day": ["5-noon", "noon"],
        "next_occurrence": "2026-11-28T12:00:00+09:00",
        "occurrence_dates": ["2026-11-28", "2026-12-05"],
        "cost_type": "free",
        "languages": ["ja"],
        "last_verified": "2026-10-01",
        "status": "active",
    }
    document.update(overrides)  # type: ignore[typeddict-item]
    return document
