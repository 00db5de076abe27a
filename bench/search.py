"""Search benchmark: the embedded engine vs Wagtail's database search backend, same corpus.

    .venv/bin/python bench/search.py            # 10k and 100k listings + relevance on the demo PF
    .venv/bin/python bench/search.py --quick    # 2k listings, fewer repetitions (about a minute)

Everything runs in a temporary directory (its own SQLite database and index files), so the
development database is never touched. Speed: a seeded synthetic corpus of Japanese listings is
indexed by both engines and 50 representative queries (2-character words, multi-word, with
filters, with geo) are timed. Wagtail's backend indexes a plain model (`BenchListing`) holding
the same text, because creating 100k Wagtail pages would take hours and measure page creation,
not search. Relevance: ≥ 30 judged queries over the demo PF (`load_demo`) with nDCG@10.

Query understanding is on for the embedded engine, as on the site (search/understanding.py):
every query goes through `understood_query`, and queries with day, time, date, field and kana
words (UNDERSTOOD_QUERIES) are timed too. The synthetic documents get the fields understanding
relies on (labels, name reading, times of day) the way search/documents.py computes them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import load_average, machine  # noqa: E402
from bench.corpus import BenchQuery, generate_corpus, queries  # noqa: E402
from bench.engines import (  # noqa: E402
    WAGTAIL_TIMEOUT_S,
    EngineRun,
    bench_embedded,
    bench_listing_model,
    bench_wagtail,
)
from bench.relevance import relevance_check  # noqa: E402

# Timed with understanding on, besides the shared queries: what residents type.
UNDERSTOOD_QUERIES = [
    "土曜 夜",
    "日曜の午後",
    "平日 朝 体操",
    "週末 こども食堂",
    "今週末 無料",
    "来週 相談",
    "車いす 居場所",
    "ただ 食堂",
    "こどもしょくどう",
    "さろん 高齢",
    "夕方 学習 宿題",
    "イベント 講座 今月",
]
# Session start hours the synthetic listings get (one per listing, from its id).
BENCH_START_HOURS = (7, 10, 13, 15, 18, 20)
A_MONDAY = date(2026, 11, 30)


def bench_queries() -> list[BenchQuery]:
    return queries() + [BenchQuery(f"読みとり: {text}", text) for text in UNDERSTOOD_QUERIES]


def add_understood_fields(documents: list[dict]) -> None:
    """Labels, name reading and times of day, as search/documents.py derives them."""
    from datetime import datetime, time, timedelta

    from directory.listings.schedules import JST
    from directory.models import Scheme
    from directory.vocabulary import vocabulary_labels
    from search.documents import searchable_labels
    from search.text import reading
    from search.understanding import session_times_of_day

    labels = {scheme: vocabulary_labels(scheme.value) for scheme in Scheme}
    for index, document in enumerate(documents):
        hour = BENCH_START_HOURS[index % len(BENCH_START_HOURS)]
        times: set[str] = set()
        for weekday in document["weekdays"]:
            start = datetime.combine(A_MONDAY + timedelta(days=weekday), time(hour), JST)
            times |= session_times_of_day(start, start + timedelta(hours=2))
        document["times_of_day"] = sorted(times)
        document["name_reading"] = reading(document["name"])
        document["labels"] = searchable_labels(
            [
                labels[Scheme.KIND].get(document["kind"], ""),
                *(labels[Scheme.CATEGORY].get(slug, "") for slug in document["categories"]),
                *(labels[Scheme.TARGET].get(slug, "") for slug in document["targets"]),
                *(labels[Scheme.CONDITION].get(slug, "") for slug in document["conditions"]),
                "無料" if document["cost_type"] == "free" else "",
            ]
        )


def understood(query):
    from search.understanding import understood_query

    return understood_query(query)[0]


# -- report ---------------------------------------------------------------------------------
def markdown(sizes_runs: list[tuple[int, EngineRun, EngineRun | None]], relevance, args) -> str:
    lines = [
        f"Run: `.venv/bin/python bench/search.py{' --quick' if args.quick else ''}` on "
        f"{date.today().isoformat()} (load average at the end: {load_average()}); "
        f"{len(bench_queries())} queries (embedded, understanding on: the {len(queries())} shared ones "
        f"and {len(UNDERSTOOD_QUERIES)} with day/time/date/field/kana words; Wagtail: the shared "
        f"{len(queries())}) × {args.repeats} timed runs (Wagtail: "
        f"{args.wagtail_repeats}) each after one warm-up, 20 results per page, facet counts included for the embedded "
        "engine (Wagtail computes none). Targets (2 cores): embedded p95 ≤ 30 ms at 10k, ≤ 100 ms "
        "at 100k; 100k indexed in ≤ 120 s.",
        "",
        "| 件数 / listings | エンジン / engine | 索引作成 / index build (CPU) | 索引サイズ / size | p50 | p95 | CPU p50 / p95 | 0件の検索 / zero-result queries |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, embedded, wagtail in sizes_runs:
        for run in filter(None, (embedded, wagtail)):
            lines.append(
                f"| {size:,} | {run.name} | {run.index_seconds:.1f} s ({run.index_cpu_seconds:.1f} s) | "
                f"{run.index_bytes / 1024 / 1024:.1f} MB | {run.p50:.1f} ms | {run.p95:.1f} ms | "
                f"{run.cpu_p50:.1f} / {run.cpu_p95:.1f} ms | "
                f"{len(run.zero_results)} / {len(bench_queries() if run is embedded else queries())} |"
            )
        if wagtail:
            lines.append(
                f"| {size:,} | 比 / ratio (Wagtail ÷ embedded) | "
                f"{wagtail.index_seconds / embedded.index_seconds:.1f}× | "
                f"{wagtail.index_bytes / max(embedded.index_bytes, 1):.2f}× | "
                f"{wagtail.p50 / embedded.p50:.1f}× | {wagtail.p95 / embedded.p95:.1f}× | "
                f"{wagtail.cpu_p50 / embedded.cpu_p50:.1f}× / {wagtail.cpu_p95 / embedded.cpu_p95:.1f}× | |"
            )
    for size, embedded, wagtail in sizes_runs:
        if wagtail and wagtail.zero_results:
            lines.append("")
            lines.append(
                f"Wagtail found nothing at {size:,} for: "
                + "、".join(f"「{label}」" for label in wagtail.zero_results)
            )
        if wagtail and wagtail.timeouts:
            lines.append(
                f"Wagtail timed out (> {WAGTAIL_TIMEOUT_S:.0f} s, counted as {WAGTAIL_TIMEOUT_S:.0f} s) "
                f"at {size:,} for: "
                + "、".join(f"「{label}」" for label in sorted(wagtail.timeouts))
            )
        if embedded.zero_results:
            lines.append(
                f"Embedded found nothing at {size:,} for: "
                + "、".join(f"「{label}」" for label in embedded.zero_results)
            )
    if relevance:
        mean, rows = relevance
        lines += [
            "",
            f"Relevance on the demo PF (`load_demo`), {len(rows)} judged queries: "
            f"**mean nDCG@10 = {mean:.3f}** (embedded engine).",
            "",
            "| query | nDCG@10 | hits (top 10) |",
            "|---|---:|---:|",
        ]
        lines += [f"| {text} | {score:.2f} | {hits} |" for text, score, hits in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2k listings, 3 runs per query")
    parser.add_argument("--sizes", type=int, nargs="*", help="corpus sizes (default 10000 100000)")
    parser.add_argument("--repeats", type=int, help="timed runs per query (default 5)")
    parser.add_argument(
        "--wagtail-repeats", type=int, default=2, help="timed runs per query for Wagtail (slow)"
    )
    parser.add_argument("--no-wagtail", action="store_true", help="skip Wagtail's backend")
    parser.add_argument("--no-relevance", action="store_true", help="skip the demo nDCG check")
    parser.add_argument("--markdown", type=Path, help="also write the results table here")
    args = parser.parse_args()
    args.sizes = args.sizes or ([2000] if args.quick else [10_000, 100_000])
    args.repeats = args.repeats or (3 if args.quick else 5)

    workdir = Path(tempfile.mkdtemp(prefix="tsunagari-bench-"))
    db_path = workdir / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["SEARCH_INDEX_PATH"] = str(workdir / "site-index.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "website.settings.base"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.core.management import call_command

    print(f"machine: {machine()}; load average {load_average()}")
    print(f"workdir: {workdir}")
    call_command("migrate", verbosity=0)
    model = None if args.no_wagtail else bench_listing_model()
    results = []
    for size in args.sizes:
        documents = generate_corpus(size)
        add_understood_fields(documents)
        embedded = bench_embedded(
            documents, workdir, args.repeats, prepare=understood, bench_queries=bench_queries()
        )
        print(
            f"[{size}] embedded: index {embedded.index_seconds:.1f}s, p50 {embedded.p50:.1f}ms, p95 {embedded.p95:.1f}ms, CPU p95 {embedded.cpu_p95:.1f}ms, zero {len(embedded.zero_results)}"
        )
        wagtail = None
        if model is not None:
            wagtail = bench_wagtail(documents, model, db_path, args.wagtail_repeats)
            print(
                f"[{size}] wagtail:  index {wagtail.index_seconds:.1f}s, p50 {wagtail.p50:.1f}ms, p95 {wagtail.p95:.1f}ms, CPU p95 {wagtail.cpu_p95:.1f}ms, zero {len(wagtail.zero_results)}"
            )
        results.append((size, embedded, wagtail))
    relevance = None if args.no_relevance else relevance_check(workdir)
    if relevance:
        print(f"relevance: mean nDCG@10 = {relevance[0]:.3f} over {len(relevance[1])} queries")
    report = markdown(results, relevance, args)
    print()
    print(report)
    if args.markdown:
        args.markdown.write_text(f"Machine: {machine()}\n\n{report}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
