"""Meilisearch first, the embedded engine when Meilisearch cannot answer: public search never 500s.

Searches: the primary answers; on SearchUnavailable the fallback answers and a warning is
logged (route and error code only, never the query: the PF rule). `SearchResult.engine` says
which engine answered.

Writes go to both engines, the fallback first, so it is complete whenever it has to answer.
A primary failure is logged and re-raised after the fallback has been written; the indexing
layer retries the whole write (both sides are idempotent by document id) and
`manage.py search_reindex` repairs everything. `clear()` is the exception: it clears the
primary first and stops if that fails, so a reindex while Meilisearch is down never leaves the
fallback empty (rebuild the fallback alone with SEARCH_BACKEND=embedded search_reindex).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

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


class FallbackEngine(SearchEngine):
    name = "fallback"

    def __init__(self, primary: SearchEngine, fallback: SearchEngine) -> None:
        self.primary = primary
        self.fallback = fallback

    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self.primary.search(query)
        except SearchUnavailable as error:
            logger.warning(
                "Search: %s unavailable, answering from %s (%s)",
                self.primary.name,
                self.fallback.name,
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
