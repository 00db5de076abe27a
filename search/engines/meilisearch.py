"""Meilisearch engine: the SearchEngine interface over the official `meilisearch` client (v1.10+).

Every client call goes through `MeilisearchConnection.call`, with one short timeout and one
place that turns any failure (refused, timeout, 4xx/5xx, bad JSON, malformed task, failed task)
into SearchUnavailable, so the fallback engine can answer instead. Error messages name the route,
HTTP status and Meilisearch error code only, never the request body or the server's message
(which echoes filters): nothing typed by a resident reaches a log. Writes enqueue tasks and wait
for them here, with their own deadline (`task_timeout`), not with the client's `wait_for_task`.
What is sent and read back (settings, documents, search bodies) is meilisearch_wire.

Freshness: like the embedded engine, listings not verified for over a year rank a little lower.
Meilisearch cannot compare dates at query time in a ranking rule, so each document carries
`verified_recently` (1 or 0) computed when it is indexed, and a custom ranking rule after the
relevance rules breaks ties in favour of 1. The flag ages with the index: a page's publish
re-indexes it, and the nightly `manage.py search_reindex` recomputes every flag.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import partial
from itertools import islice
from typing import Any, TypeVar
from urllib.parse import quote

import meilisearch
from django.conf import settings
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)
from meilisearch.models.task import Task, TaskInfo

from search.engines.base import (
    PARTIAL_BELOW,
    SearchDocument,
    SearchEngine,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    disjunctive_facets,
)
from search.engines.meilisearch_wire import (
    build_search,
    id_filter,
    index_settings,
    multi_search_queries,
    multi_search_result,
    to_meilisearch,
    to_result,
)
from search.text import query_terms

T = TypeVar("T")

BATCH_SIZE = 1000
INDEX_NOT_FOUND = frozenset({"index_not_found"})


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of at most `size` items, so a generator over every listing is never held at once."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class MeilisearchConnection:
    """The official client for one index; every failure of a call becomes SearchUnavailable.

    The client sends each request with `requests` and this timeout and never retries by itself;
    retrying is the fallback's and the indexing layer's job. Messages name the route, the HTTP
    status and Meilisearch's error code only: the client's own messages quote the server's,
    which echo filters. One per engine, never shared between threads: the client sets its
    Content-Type header per request (get_engine builds an engine per request).
    """

    def __init__(self, url: str, api_key: str, timeout: float, index_uid: str) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.client = meilisearch.Client(self.url, api_key, timeout=timeout)  # type: ignore[arg-type]
        # The client names the index in paths as given: quoted, an odd name cannot leave them.
        self.index = self.client.index(quote(index_uid, safe=""))
        if not api_key:
            # The client always sends "Bearer <key>"; without a key send no header at all.
            for http in (self.client.http, self.client.task_handler.http, self.index.http):
                http.headers.pop("Authorization", None)

    def call(self, where: str, operation: Callable[[], T], malformed: str = "") -> T:
        """Run one client call; `malformed` is the message for an answer of the wrong shape."""
        if not self.url.startswith(("http://", "https://")):
            # A missing or odd MEILISEARCH_URL: searches fall back (logged), nothing crashes.
            raise SearchUnavailable("MEILISEARCH_URL is not an http:// or https:// URL")
        where = f"Meilisearch {where}"
        try:
            return operation()
        except MeilisearchApiError as error:
            raise SearchUnavailable(
                f"{where}: HTTP {error.status_code} {error.code or ''}"
            ) from None
        except MeilisearchTimeoutError:
            raise SearchUnavailable(f"{where}: no answer within {self.timeout:g} s") from None
        except MeilisearchCommunicationError:
            raise SearchUnavailable(f"{where}: cannot connect") from None
        except OSError as error:  # requests' other errors (InvalidURL …) are OSErrors
            raise SearchUnavailable(f"{where}: {type(error).__name__}") from None
        except (AttributeError, KeyError, TypeError, ValueError):
            # ValueError covers a body that is not JSON and the client's pydantic models.
            raise SearchUnavailable(f"{where}: {malformed or 'unexpected response'}") from None


# Indexes whose settings this process has already sent (by URL and index name): the first
# write of a process makes sure filters and synonyms exist even before `search_reindex` ran.
_configured_indexes: set[tuple[str, str]] = set()


class MeilisearchEngine(SearchEngine):
    name = "meilisearch"

    def __init__(
        self,
        url: str,
        api_key: str = "",
        index: str = "listings",
        timeout: float = 2.0,
        *,
        task_timeout: float = 30.0,
        synonyms: dict[str, list[str]] | None = None,
    ) -> None:
        self.connection = MeilisearchConnection(url, api_key, timeout, index)
        self.index_uid = index
        self.timeout = timeout
        self.task_timeout = task_timeout
        self._synonyms = synonyms

    @classmethod
    def from_settings(cls) -> MeilisearchEngine:
        return cls(
            url=settings.MEILISEARCH_URL,
            api_key=settings.MEILISEARCH_API_KEY,
            index=settings.MEILISEARCH_INDEX,
            timeout=settings.MEILISEARCH_TIMEOUT,
        )

    @property
    def _index_path(self) -> str:
        return f"/indexes/{quote(self.index_uid, safe='')}"

    # -- tasks ------------------------------------------------------------------------------

    def wait_for_task(self, task_uid: int, harmless: frozenset[str] = frozenset()) -> Task:
        """Poll the task until done; failed, canceled or too slow is SearchUnavailable.

        Our own loop over `client.get_task` rather than the client's `wait_for_task`: that one
        polls at a fixed interval on the wall clock and returns failed tasks as done.
        A task that failed with an error code in `harmless` counts as done.
        """
        deadline = time.monotonic() + self.task_timeout
        interval = 0.02
        client = self.connection.client
        while True:
            task = self.connection.call(f"GET /tasks/{task_uid}", lambda: client.get_task(task_uid))
            if task.status == "succeeded":
                return task
            if task.status in ("failed", "canceled"):
                code = str((task.error or {}).get("code", ""))
                if task.status == "failed" and code in harmless:
                    return task
                raise SearchUnavailable(f"Meilisearch task {task_uid} {task.status}: {code}")
            if task.status not in ("enqueued", "processing"):
                raise SearchUnavailable(f"Meilisearch task {task_uid}: unexpected response")
            if time.monotonic() + interval > deadline:
                raise SearchUnavailable(
                    f"Meilisearch task {task_uid} not done after {self.task_timeout:g} s"
                )
            time.sleep(interval)
            interval = min(interval * 2, 0.5)

    def _enqueue(self, where: str, operation: Callable[[], TaskInfo]) -> int:
        """Send a write; Meilisearch answers at once with a task summary (no waiting here)."""
        info = self.connection.call(where, operation, malformed="no task uid")
        return int(info.task_uid)

    def _wait_all(self, task_uids: Iterable[int], harmless: frozenset[str] = frozenset()) -> None:
        for task_uid in task_uids:
            self.wait_for_task(task_uid, harmless)

    # -- writes -----------------------------------------------------------------------------

    def _settings_task(self) -> int:
        synonyms = self._synonyms
        if synonyms is None:
            from search.synonyms import load_synonyms

            synonyms = load_synonyms()
        body = index_settings(synonyms)
        index = self.connection.index
        return self._enqueue(
            f"PATCH {self._index_path}/settings", lambda: index.update_settings(body)
        )

    @property
    def _configured_key(self) -> tuple[str, str]:
        return (self.connection.url, self.index_uid)

    def _ensure_configured(self) -> list[int]:
        if self._configured_key in _configured_indexes:
            return []
        return [self._settings_task()]

    def _mark_configured(self) -> None:
        _configured_indexes.add(self._configured_key)

    def configure(self) -> None:
        """Send the settings now (creating the index if needed) and wait until applied."""
        self.wait_for_task(self._settings_task())
        self._mark_configured()

    def index(self, documents: Iterable[SearchDocument]) -> None:
        tasks = self._ensure_configured()
        index = self.connection.index
        today = date.today()  # the embedded engine's clock, so both demote the same listings
        for chunk in batched(documents, BATCH_SIZE):
            payload = [to_meilisearch(d, today) for d in chunk]
            tasks.append(
                self._enqueue(
                    f"POST {self._index_path}/documents",
                    partial(index.add_documents, payload, primary_key="id"),
                )
            )
        self._wait_all(tasks)
        self._mark_configured()

    def delete(self, ids: Iterable[str]) -> None:
        """Unknown ids are ignored, and so is an index that disappeared meanwhile.

        By filter (`id IN [...]`), the deletion route Meilisearch documents; the client's
        delete-by-ids (delete-batch) is deprecated and not in the OpenAPI description. The
        filter needs `id` filterable, hence the settings first, once per process.
        """
        tasks = self._ensure_configured()
        index = self.connection.index
        for chunk in batched(ids, BATCH_SIZE):
            expression = id_filter(chunk)
            tasks.append(
                self._enqueue(
                    f"POST {self._index_path}/documents/delete",
                    partial(index.delete_documents, filter=expression),
                )
            )
        self._wait_all(tasks, harmless=INDEX_NOT_FOUND)
        self._mark_configured()

    def clear(self) -> None:
        """Every document removed, then the settings afresh (creating a missing index).

        In this order a settings change applies to an empty index instead of re-indexing
        every old document first (tasks run in the order they were enqueued).
        """
        index = self.connection.index
        deletion = self._enqueue(
            f"DELETE {self._index_path}/documents", lambda: index.delete_all_documents()
        )
        configuration = self._settings_task()
        self.wait_for_task(deletion, harmless=INDEX_NOT_FOUND)
        self.wait_for_task(configuration)
        self._mark_configured()

    # -- reads ------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """All words first; with fewer than PARTIAL_BELOW, a second request for most words.

        The embedded engine's rule (same word split, same threshold), so both answer alike.
        """
        result = self._search(query, partial=False)
        if (
            query.partial
            and query.sort == "relevance"
            and len(query_terms(query.text)) > 1
            and result.total < PARTIAL_BELOW
        ):
            widened = self._search(query, partial=True)
            if widened.total > result.total:
                widened.all_words_total = result.total
                return widened
        return result

    def _search(self, query: SearchQuery, partial: bool) -> SearchResult:
        """One search, or with chosen counted fields one multi-search that also counts them.

        Each chosen field is counted by its own query without its own filter (disjunctive
        facets, as in the embedded engine); all in one request, so one round trip still.
        """
        if disjunctive_facets(query):
            queries = multi_search_queries(query, self.index_uid, partial)
            client = self.connection.client
            answer: Any = self.connection.call(
                "POST /multi-search", lambda: client.multi_search(queries)
            )
            if not isinstance(answer, dict):
                raise SearchUnavailable("Meilisearch multi-search: unexpected response")
            return multi_search_result(answer, query)
        body = build_search(query, partial)
        text = body.pop("q")
        index = self.connection.index
        response: Any = self.connection.call(
            f"POST {self._index_path}/search", lambda: index.search(text, body)
        )
        if not isinstance(response, dict):
            raise SearchUnavailable("Meilisearch search: unexpected response")
        return to_result(response, query)

    def health(self) -> dict[str, Any]:
        report: dict[str, Any] = {"ok": False, "engine": self.name, "index": self.index_uid}
        connection = self.connection
        try:
            status = connection.call("GET /health", connection.client.health)
            stats = connection.call(f"GET {self._index_path}/stats", connection.index.get_stats)
            report.update(
                ok=status.get("status") == "available",
                documents=int(stats.number_of_documents),
                indexing=bool(stats.is_indexing),
            )
        except (SearchUnavailable, AttributeError, KeyError, TypeError, ValueError) as error:
            report.update(documents=None, error=str(error))
        return report
