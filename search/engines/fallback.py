"""Meilisearch first, the embedded engine when Meilisearch cannot answer: public search never 500s.

Searches: the primary answers; on SearchUnavailable the fallback answers and a warning is
logged (route and error code only, never the query: the PF rule). `SearchResult.engine` says
which engine answered. After such a failure searches skip the primary for
MEILISEARCH_RETRY_AFTER seconds (default 30; 0 turns this off), so while Meilisearch is down
residents do not each wait MEILISEARCH_TIMEOUT first; the first search after that tries it
again. The pause is per process (no cache, nothing shared) and applies to searches only.

Writes go to both engines, the fallback first, so it is complete whenever it has to answer.
A primary failure is logged and re-raised after the fallback has been written; the indexing
layer retries the whole write (both sides are idempotent by document id) and
`manage.py search_reindex` repairs everything. `clear()` is the exception: it clears the
primary first and stops if that fails, so a reindex while Meilisearch is down never leaves the
fallback empty (rebuild the fallback alone with SEARCH_BACKEND=embedded search_reindex).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings

from search.engines.base import (
    SearchDocument,
    SearchEngine,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
)
from search.engines.meilisearch import BATCH_SIZE, batched

logger = logging.getLogger("tsunagari.search")

T = TypeVar("T")

DEFAULT_RETRY_AFTER = 30.0  # seconds; settings.MEILISEARCH_RETRY_AFTER overrides it


class PrimaryPause:
    """When searches may try the primary again: a monotonic time, shared by the process's threads.

    Engines are built per request (get_engine), so the state lives in one module-level instance.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._retry_at = float("-inf")

    def active(self) -> bool:
        with self._lock:
            return self.clock() < self._retry_at

    def start(self, seconds: float) -> None:
        with self._lock:
            self._retry_at = self.clock() + seconds


primary_pause = PrimaryPause()


def retry_after() -> float:
    """Seconds searches skip the primary after it failed (MEILISEARCH_RETRY_AFTER)."""
    return float(getattr(settings, "MEILISEARCH_RETRY_AFTER", DEFAULT_RETRY_AFTER))


class FallbackEngine(SearchEngine):
    name = "fallback"

    def __init__(self, primary: SearchEngine, fallback: SearchEngine) -> None:
        self.primary = primary
        self.fallback = fallback

    def search(self, query: SearchQuery) -> SearchResult:
        if primary_pause.active():
            return self.fallback.search(query)
        try:
            return self.primary.search(query)
        except SearchUnavailable as error:
            seconds = retry_after()
            primary_pause.start(seconds)
            logger.warning(
                "Search: %s unavailable, answering from %s for %g s (%s)",
                self.primary.name,
                self.fallback.name,
                seconds,
                error,
            )
            return self.fallback.search(query)

    def _write_both(
        self, write: Callable[[SearchEngine, list[T]], None], items: Iterable[T]
    ) -> None:
        """Batch by batch; after a primary failure only the fallback is written, then it re-raises."""
        primary_error: SearchUnavailable | None = None
        for chunk in batched(items, BATCH_SIZE):
            write(self.fallback, chunk)
            if primary_error is None:
                try:
                    write(self.primary, chunk)
                except SearchUnavailable as error:
                    primary_error = error
        if primary_error is not None:
            logger.warning("Search: %s write failed (%s)", self.primary.name, primary_error)
            raise primary_error

    def index(self, documents: Iterable[SearchDocument]) -> None:
        self._write_both(lambda engine, chunk: engine.index(chunk), documents)

    def delete(self, ids: Iterable[str]) -> None:
        self._write_both(lambda engine, chunk: engine.delete(chunk), ids)

    def clear(self) -> None:
        """Primary first: if it is down, the fallback keeps its complete (if dated) index."""
        try:
            self.primary.clear()
        except SearchUnavailable as error:
            logger.warning("Search: %s clear failed (%s)", self.primary.name, error)
            raise
        self.fallback.clear()

    def optimize(self) -> None:
        """After a bulk load (search_reindex): the fallback compacts its index if it can."""
        optimize = getattr(self.fallback, "optimize", None)
        if optimize is not None:
            optimize()

    def health(self) -> dict[str, Any]:
        """Usable while either engine is; `degraded` when searches are answered by the fallback."""
        primary, fallback = self.primary.health(), self.fallback.health()
        return {
            "ok": bool(primary.get("ok") or fallback.get("ok")),
            "engine": self.name,
            "degraded": not primary.get("ok"),
            "documents": primary.get("documents")
            if primary.get("ok")
            else fallback.get("documents"),
            "primary": primary,
            "fallback": fallback,
        }
