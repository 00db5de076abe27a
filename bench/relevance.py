"""Relevance on the demo PF: the judged queries of bench/data/judged_queries.yaml and nDCG@10.

    .venv/bin/python bench/relevance.py           # print nDCG@10 per query, per class, the mean
    .venv/bin/python bench/relevance.py --write   # and record it in docs/benchmarks.md

The demo PF is loaded into a temporary database and indexed by the embedded engine, and each
query goes through GET /api/v1/resources — the path a resident's words take on /search/ and
the API (query understanding, partial matching, synonyms) — so the figure is what residents
get, not what one engine function returns. Judgements live in the data file, never in code.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import load_average, machine  # noqa: E402

DATA = ROOT / "bench" / "data" / "judged_queries.yaml"
BENCHMARKS = ROOT / "docs" / "benchmarks.md"
SECTION_START = "<!-- relevance:start -->"
SECTION_END = "<!-- relevance:end -->"
CLASSES = ("plain", "synonym", "reading", "multiword", "weekday", "time", "condition", "kind")
GOAL_MEAN, GOAL_CLASS = 0.90, 0.80
PAGE = 10


@dataclass(frozen=True)
class JudgedQuery:
    text: str
    kind: str  # the class: which way of asking it tests
    chosen: str  # "before" its results were seen, or "carried" from the first set
    grades: dict[str, int]  # listing slug → 0–3; unlisted listings are 0


@dataclass(frozen=True)
class Scored:
    judged: JudgedQuery
    ndcg: float
    hits: int  # results on the first page


def judged_queries(path: Path = DATA) -> list[JudgedQuery]:
    import yaml

    with path.open(encoding="utf-8") as handle:
        rows = yaml.safe_load(handle)["queries"]
    return [
        JudgedQuery(str(row["query"]), row["class"], row["chosen"], dict(row["grades"]))
        for row in rows
    ]


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:PAGE]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(slug, 0) for slug in ranked]) / ideal if ideal else 0.0


def score_demo(workdir: Path) -> list[Scored]:
    """Load the demo PF, index it, and score every judged query through /api/v1/resources."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings

    from search.documents import live_documents
    from search.engines.embedded import EmbeddedEngine

    index_path = workdir / "demo.sqlite3"
    limits = {**settings.RATE_LIMITS, "api": "1000000/m"}
    with override_settings(
        SEARCH_BACKEND="embedded",
        SEARCH_INDEX_PATH=index_path,
        RATE_LIMITS=limits,
        ALLOWED_HOSTS=["testserver"],
    ):
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        engine = EmbeddedEngine(index_path)
        engine.clear()
        engine.index(live_documents())
        slug_of = _slugs_by_id()
        client = Client()
        scored = []
        for judged in judged_queries():
            params: dict[str, str | int] = {"q": judged.text, "page_size": PAGE}
            response = client.get("/api/v1/resources", params)
            results = response.json()["results"] if response.status_code == 200 else []
            ranked = [slug_of.get(row["id"], "") for row in results]
            scored.append(Scored(judged, ndcg_at_10(ranked, judged.grades), len(ranked)))
    return scored


def relevance_check(workdir: Path) -> tuple[float, list[tuple[str, float, int]]]:
    """The mean and (query, nDCG@10, hits) rows, for bench/search.py's report."""
    scored = score_demo(workdir)
    rows = [(s.judged.text, s.ndcg, s.hits) for s in scored]
    return statistics.mean(s.ndcg for s in scored), rows


def by_class(scored: list[Scored]) -> dict[str, list[Scored]]:
    groups: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        groups[s.judged.kind].append(s)
    return {
        kind: groups[kind]
        for kind in (*CLASSES, *sorted(set(groups) - set(CLASSES)))
        if kind in groups
    }


def report(scored: list[Scored]) -> str:
    """Markdown: the run, the mean and the classes against the goal, then every query."""
    mean = statistics.mean(s.ndcg for s in scored)
    classes = by_class(scored)
    weakest = min(statistics.mean(s.ndcg for s in rows) for rows in classes.values())
    met = mean >= GOAL_MEAN and weakest >= GOAL_CLASS
    before = sum(s.judged.chosen == "before" for s in scored)
    lines = [
        f"Run: `.venv/bin/python bench/relevance.py --write` on {date.today().isoformat()} at "
        f"{code_state()} (load average {load_average()}; {machine()}). {len(scored)} judged queries "
        f"({before} written before their results were seen), graded 0–3 by reading the demo "
        "listings, each sent to `/api/v1/resources` over the demo PF (embedded engine).",
        "",
        f"**Mean nDCG@10 = {mean:.3f}**; weakest class {weakest:.3f} "
        f"(goal: mean ≥ {GOAL_MEAN:.2f}, no class under {GOAL_CLASS:.2f} — "
        f"{'met' if met else 'not met'}).",
        "",
        "| class | queries | nDCG@10 | 0 results |",
        "|---|---:|---:|---:|",
    ]
    for kind, rows in classes.items():
        zero = sum(s.hits == 0 for s in rows)
        lines.append(
            f"| {kind} | {len(rows)} | {statistics.mean(s.ndcg for s in rows):.3f} | {zero} |"
        )
    lines += [
        "",
        "<details><summary>Every query / 各クエリ</summary>",
        "",
        "| query | class | nDCG@10 | hits (top 10) |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {s.judged.text} | {s.judged.kind} | {s.ndcg:.2f} | {s.hits} |" for s in scored]
    lines += ["", "</details>"]
    return "\n".join(lines)


def code_state() -> str:
    """The commit measured, and whether search code was changed on top of it (never hidden)."""

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)  # noqa: S603, S607
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    changed = git("status", "--porcelain", "--", "search", "fixtures/synonyms.yaml")
    return f"commit {commit}" + (" with uncommitted changes in search/" if changed else "")


def write_section(markdown: str, path: Path = BENCHMARKS) -> None:
    """Replace the text between the relevance markers of docs/benchmarks.md."""
    text = path.read_text(encoding="utf-8")
    head, start, rest = text.partition(SECTION_START)
    _, end, tail = rest.partition(SECTION_END)
    if not start or not end:
        raise SystemExit(f"{path}: markers {SECTION_START} … {SECTION_END} not found")
    path.write_text(f"{head}{start}\n{markdown}\n{end}{tail}", encoding="utf-8")


def _slugs_by_id() -> dict[str, str]:
    from directory.models import listing_page_models

    return {
        str(uuid): slug
        for model in listing_page_models()
        for uuid, slug in model.objects.live().values_list("uuid", "slug")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record it in docs/benchmarks.md")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tsunagari-relevance-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["SEARCH_INDEX_PATH"] = str(workdir / "site-index.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "website.settings.base"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    scored = score_demo(workdir)
    markdown = report(scored)
    print(markdown)
    if args.write:
        write_section(markdown)
        print(f"\nrecorded in {BENCHMARKS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
