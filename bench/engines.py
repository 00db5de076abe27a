"""The search benchmark's engine runs: the embedded engine and Wagtail's database backend, timed."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import percentile
from bench.corpus import BenchQuery, queries

if TYPE_CHECKING:
    from search.engines.base import SearchQuery

# -- engines --------------------------------------------------------------------------------
# A Wagtail query still running after this is stopped and reported as a timeout (at 100k some
# take minutes); its time counts as this limit, so Wagtail's percentiles are lower bounds.
WAGTAIL_TIMEOUT_S = 5.0


@dataclass
class EngineRun:
    name: str
    index_seconds: float = 0.0
    index_cpu_seconds: float = 0.0
    index_bytes: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU time per query
    zero_results: list[str] = field(default_factory=list)
    timeouts: set[str] = field(default_factory=set)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 95)

    @property
    def cpu_p50(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def cpu_p95(self) -> float:
        return percentile(self.cpu_ms, 95)


def timed_runs(run_query, bench_queries: list[BenchQuery], repeats: int, engine: EngineRun) -> None:
    for query in bench_queries:
        total = run_query(query)  # warm-up, and the result count
        if total == 0:
            engine.zero_results.append(query.label)
        if total < 0:  # timed out: count the limit instead of running it again
            engine.latencies_ms.extend([WAGTAIL_TIMEOUT_S * 1000] * repeats)
            engine.cpu_ms.extend([WAGTAIL_TIMEOUT_S * 1000] * repeats)
            continue
        for _ in range(repeats):
            started, cpu = time.perf_counter(), time.process_time()
            run_query(query)
            engine.latencies_ms.append((time.perf_counter() - started) * 1000)
            engine.cpu_ms.append((time.process_time() - cpu) * 1000)


def bench_embedded(
    documents: list[dict],
    workdir: Path,
    repeats: int,
    prepare: Callable[[SearchQuery], SearchQuery] | None = None,
    bench_queries: list[BenchQuery] | None = None,
) -> EngineRun:
    """`prepare` turns each query into what the engine is asked (e.g. query understanding)."""
    from search.engines.base import GeoPoint, SearchQuery
    from search.engines.embedded import EmbeddedEngine

    path = workdir / f"embedded-{len(documents)}.sqlite3"
    engine = EmbeddedEngine(path)
    engine.clear()
    run = EngineRun("埋め込み（SQLite FTS5 bigram）")
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(documents), 1000):
        engine.index(documents[start : start + 1000])
    engine.optimize()
    run.index_seconds = time.perf_counter() - started
    run.index_cpu_seconds = time.process_time() - cpu
    engine.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    run.index_bytes = path.stat().st_size

    def run_query(query: BenchQuery) -> int:
        search_query = SearchQuery(
            text=query.text,
            filters=query.filters,
            point=GeoPoint(*query.near) if query.near else None,
            radius_km=query.radius_km,
            sort=query.sort,  # type: ignore[arg-type]
            page_size=20,
        )
        return engine.search(prepare(search_query) if prepare else search_query).total

    timed_runs(run_query, bench_queries or queries(), repeats, run)
    return run


def bench_listing_model():
    """A plain model holding the corpus text, indexed by Wagtail's database backend."""
    from django.db import models
    from wagtail.search import index

    class BenchListing(index.Indexed, models.Model):
        name = models.CharField(max_length=200)
        summary = models.TextField()
        description = models.TextField()
        keywords = models.TextField()
        kind = models.CharField(max_length=20)
        categories = models.CharField(max_length=200)  # "|slug|slug|"
        targets = models.CharField(max_length=200)
        conditions = models.CharField(max_length=200)
        area_codes = models.CharField(max_length=200)
        lat = models.FloatField(null=True)
        lng = models.FloatField(null=True)

        search_fields = [
            index.SearchField("name", boost=10),
            index.AutocompleteField("name"),
            index.SearchField("summary", boost=4),
            index.SearchField("keywords", boost=4),
            index.SearchField("description"),
            index.FilterField("id"),
            index.FilterField("kind"),
            index.FilterField("categories"),
            index.FilterField("targets"),
            index.FilterField("conditions"),
            index.FilterField("area_codes"),
            index.FilterField("lat"),
            index.FilterField("lng"),
        ]

        class Meta:
            app_label = "search"
            db_table = "bench_listing"

        def __str__(self) -> str:
            return self.name

    return BenchListing


def bench_wagtail(documents: list[dict], model, db_path: Path, repeats: int) -> EngineRun:
    from django.db import OperationalError, connection
    from django.db.models import Q
    from wagtail.search.backends import get_search_backend

    from core.geo import bounding_box

    with connection.schema_editor() as editor:
        connection.cursor().execute("DROP TABLE IF EXISTS bench_listing")
        editor.create_model(model)
    model.objects.bulk_create(
        [
            model(
                name=d["name"],
                summary=d["summary"],
                description=d["description"],
                keywords=" ".join(d["keywords"]),
                kind=d["kind"],
                categories="|" + "|".join(d["categories"]) + "|",
                targets="|" + "|".join(d["targets"]) + "|",
                conditions="|" + "|".join(d["conditions"]) + "|",
                area_codes="|" + "|".join(d["area_codes"]) + "|",
                lat=d["lat"],
                lng=d["lng"],
            )
            for d in documents
        ],
        batch_size=2000,
    )
    connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_before = db_path.stat().st_size
    backend = get_search_backend()
    search_index = backend.get_index_for_model(model)
    run = EngineRun("Wagtail データベース検索（SQLite FTS5）")
    started, cpu = time.perf_counter(), time.process_time()
    items = list(model.objects.order_by("pk"))
    for start in range(0, len(items), 1000):
        search_index.add_items(model, items[start : start + 1000])
    run.index_seconds = time.perf_counter() - started
    run.index_cpu_seconds = time.process_time() - cpu
    connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    run.index_bytes = db_path.stat().st_size - size_before

    def run_query(query: BenchQuery) -> int:
        deadline = time.perf_counter() + WAGTAIL_TIMEOUT_S
        connection.connection.set_progress_handler(
            lambda: int(time.perf_counter() > deadline), 10_000
        )
        try:
            return wagtail_query(query)
        except OperationalError:  # interrupted: counted as a timeout, not as "no result"
            run.timeouts.add(query.label)
            return -1
        finally:
            connection.connection.set_progress_handler(None, 0)

    def wagtail_query(query: BenchQuery) -> int:
        queryset = model.objects.all()
        for name, values in query.filters.items():
            if name == "kind":
                queryset = queryset.filter(kind__in=values)
            else:
                any_of = Q()
                for value in values:
                    any_of |= Q(**{f"{name}__contains": f"|{value}|"})
                queryset = queryset.filter(pk__in=model.objects.filter(any_of).values("pk"))
        if query.near and query.radius_km:
            min_lat, max_lat, min_lng, max_lng = bounding_box(*query.near, query.radius_km)
            queryset = queryset.filter(lat__range=(min_lat, max_lat), lng__range=(min_lng, max_lng))
        if query.text:
            results = backend.search(query.text, queryset, operator="and")
            hits = list(results[:20])
            return results.count() if hits else 0
        hits = list(queryset.order_by("name")[:20])
        return queryset.count() if hits else 0

    timed_runs(run_query, queries(), repeats, run)
    return run
