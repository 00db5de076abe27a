"""Matching speed over 10k and 100k synthetic listings held in memory.

    .venv/bin/python bench/match.py [--sizes 10000 100000] [--profiles 50] [--write]

For each size it builds the candidate pool once, then runs ~50 varied needs profiles and
prints p50/p95 per request for
  * the real path: hard constraints and scores over numpy columns (matching/pool.py);
  * the naive alternative: the same exact checks and scoring on every candidate (what one
    writes first: "for each listing, does it pass? score it"). Results are identical; the
    test suite checks that;
  * end to end: the same profiles as JSON through Django's test client (every middleware,
    POST /api/v1/match, profile parsing, the vocabulary read from the database, the ready
    pool's version check in matching/ready.py, JSON out). The synthetic areas are written to
    the configured database inside a transaction that is rolled back, and the ready pool is
    built once from the synthetic listings instead of `live_candidates`; so use a throw-away
    database:

    DATABASE_URL=sqlite:////tmp/bench-match.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench-match.sqlite3 .venv/bin/python bench/match.py
`--write` replaces the matching section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")
# One client sends every request: the abuse limits would refuse most of them.
os.environ.setdefault("TSUNAGARI_RATE_LIMITS", "match=100000000/m,api=100000000/m")

import json  # noqa: E402
from unittest import mock  # noqa: E402

import django  # noqa: E402

from bench.common import load_average, machine, percentile  # noqa: E402
from core.text import fold  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from directory.listings.schedules import JST  # noqa: E402
from directory.models import Area  # noqa: E402
from matching import ready  # noqa: E402
from matching.candidates import (  # noqa: E402
    Candidate,
    Slot,
    load_vocabulary,
    vocabulary_from_fixture,
)
from matching.pool import CandidatePool  # noqa: E402
from matching.profile import NeedsProfile, Vocabulary, parse_profile  # noqa: E402
from matching.scoring import match  # noqa: E402

TODAY = datetime.now(JST).date()  # as the view counts upcoming sessions
CENTRE = (35.90, 139.40)
SPAN_DEGREES = 0.6  # listings spread over ~65 km × 55 km (a prefecture-sized region)
AREA_COUNT = 60
MEMBER_COUNT = 400
T = TypeVar("T")
PLACEHOLDER = "<!-- matching section -->"
END_MARKER = "<!-- /matching section -->"


def synthetic_areas(rng: random.Random) -> dict[str, tuple[str, tuple[float, float]]]:
    return {
        f"119999-{n:02d}": (
            f"学区{n}",
            (
                CENTRE[0] + rng.uniform(-SPAN_DEGREES / 2, SPAN_DEGREES / 2),
                CENTRE[1] + rng.uniform(-SPAN_DEGREES / 2, SPAN_DEGREES / 2),
            ),
        )
        for n in range(AREA_COUNT)
    }


def synthetic_candidates(count: int, vocabulary: Vocabulary, rng: random.Random) -> list[Candidate]:
    categories, targets = list(vocabulary.categories), list(vocabulary.targets)
    conditions, areas = list(vocabulary.conditions), list(vocabulary.areas)
    candidates = []
    for n in range(count):
        area = rng.choice(areas)
        lat, lng = vocabulary.area_points[area]
        mode = rng.random()
        confidential, online_only = mode < 0.05, 0.05 <= mode < 0.10
        scheduled = rng.random() < 0.8
        slots = [
            Slot(
                weekday,
                (start := rng.choice([9, 10, 13, 15, 16, 18]) * 60),
                start + rng.choice([60, 120, 180]),
                TODAY + timedelta(days=(weekday - TODAY.weekday()) % 7 + rng.choice([0, 7, 14])),
            )
            for weekday in rng.sample(range(7), rng.randint(1, 2))
        ]
        slots.sort(key=lambda slot: slot.next_day)
        point = (lat + rng.uniform(-0.03, 0.03), lng + rng.uniform(-0.03, 0.03))
        chosen_targets = rng.sample(targets, rng.randint(1, 2))
        candidates.append(
            Candidate(
                id=f"{n:08d}-0000-0000-0000-000000000000",
                kind=rng.choice(["place", "service", "event"]),
                name=f"掲載{n}",
                url=f"/members/m{n % MEMBER_COUNT}/{n}/",
                member_id=f"member-{n % MEMBER_COUNT}",
                member_name=f"団体{n % MEMBER_COUNT}",
                categories=frozenset(rng.sample(categories, rng.randint(1, 2))),
                targets=frozenset(["anyone"] if rng.random() < 0.3 else chosen_targets),
                conditions=frozenset(rng.sample(conditions, rng.randint(0, 4))),
                languages=frozenset(["ja"] + (["vi"] if rng.random() < 0.05 else [])),
                area_codes=(area, "119999"),
                area_name=vocabulary.areas[area],
                area_point=(lat, lng),
                point=None if confidential or online_only else point,
                confidential=confidential,
                online=online_only or rng.random() < 0.1,
                online_only=online_only,
                scheduled=scheduled,
                slots=tuple(slots) if scheduled else (),
                last_verified=TODAY - timedelta(days=rng.randint(0, 700)),
                text=fold(f"掲載{n} 将棋 手芸 カフェ") if rng.random() < 0.1 else f"掲載{n}",
            )
        )
    return candidates


def varied_profiles(
    count: int, vocabulary: Vocabulary, rng: random.Random
) -> list[tuple[dict, NeedsProfile]]:
    """Profiles like a coordinator's: most give an age band, a group, an area and times;
    each as sent (JSON) and as parsed."""
    profiles: list[tuple[dict, NeedsProfile]] = []
    specific_targets = [t for t in vocabulary.targets if t != "anyone"]
    while len(profiles) < count:
        data: dict = {
            "age_band": rng.choice([*vocabulary.age_bands, ""]),
            "targets": rng.sample(specific_targets, rng.choice([0, 1, 1, 2])),
            "wants": rng.sample(list(vocabulary.wants), rng.randint(0, 2)),
            "interests": rng.sample(list(vocabulary.categories), rng.randint(0, 2)),
            "required": rng.sample(
                ["free", "anonymous-ok", "no-reservation", "solo-ok"], rng.choice([0, 0, 1])
            ),
            "preferred": rng.sample(list(vocabulary.conditions), rng.randint(0, 3)),
            "online_ok": rng.random() < 0.3,
            "keywords": rng.choice(["", "", "", "将棋", "カフェ"]),
        }
        if rng.random() < 0.8:
            data["area"] = rng.choice(list(vocabulary.areas))
            if rng.random() < 0.75:
                data["max_km"] = rng.choice([1, 2, 3, 5, 10])
        if rng.random() < 0.6:
            day = rng.randint(0, 6)
            data["times"] = [
                {"weekday": d, "from": "15:00", "to": "18:00"} for d in (day, (day + 2) % 7)
            ]
        try:
            profiles.append((data, parse_profile(data, vocabulary)))
        except Exception:  # noqa: S112 - an impossible random combination: draw again
            continue
    return profiles


def timed(function: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[float, T]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def run(sizes: list[int], profile_count: int) -> list[dict]:
    rows = []
    for size in sizes:
        rng = random.Random(size)
        areas = synthetic_areas(rng)
        vocabulary = vocabulary_from_fixture(areas)
        candidates = synthetic_candidates(size, vocabulary, rng)
        build_ms, pool = timed(CandidatePool, candidates)
        profiles = varied_profiles(profile_count, vocabulary, rng)
        fast, naive, counts = [], [], []
        for _, profile in profiles:
            fast_ms, fast_results = timed(match, profile, pool, vocabulary, TODAY)
            naive_ms, naive_results = timed(
                match, profile, pool, vocabulary, TODAY, vectorised=False
            )
            assert [r.candidate.id for r in fast_results] == [r.candidate.id for r in naive_results]
            fast.append(fast_ms)
            naive.append(naive_ms)
            counts.append(len(fast_results))
        row: dict[str, Any] = {
            "size": size,
            "profiles": len(profiles),
            "build_ms": build_ms,
            "p50": percentile(fast, 50),
            "p95": percentile(fast, 95),
            "max": max(fast),
            "naive_p50": percentile(naive, 50),
            "naive_p95": percentile(naive, 95),
            "ratio_p50": statistics.median(n / f for n, f in zip(naive, fast, strict=True)),
            "empty": sum(1 for c in counts if c == 0),
        }
        http = end_to_end(candidates, areas, [data for data, _ in profiles])
        row.update(
            http_p50=percentile(http, 50), http_p95=percentile(http, 95), load=load_average()
        )
        rows.append(row)
        print(
            f"{size:>7} listings: match p50 {row['p50']:.1f} ms, p95 {row['p95']:.1f} ms "
            f"(max {row['max']:.1f}); naive p50 {row['naive_p50']:.1f} ms, p95 "
            f"{row['naive_p95']:.1f} ms; median speed-up ×{row['ratio_p50']:.1f}; "
            f"pool build {build_ms:.0f} ms; {row['empty']} profiles with no result; "
            f"end to end p50 {row['http_p50']:.1f} ms, p95 {row['http_p95']:.1f} ms",
            flush=True,
        )
    return rows


def end_to_end(
    candidates: list[Candidate],
    areas: dict[str, tuple[str, tuple[float, float]]],
    profiles: list[dict],
) -> list[float]:
    """Milliseconds per POST /api/v1/match through the whole Django stack, pool ready.

    Everything a request does runs for real (vocabulary query, version check of the ready
    pool); only the pool's source is the synthetic listings, built once before timing.
    """
    client = Client(HTTP_HOST="127.0.0.1")
    times = []
    with (
        transaction.atomic(),
        mock.patch.object(ready, "live_candidates", return_value=candidates) as source,
    ):
        write_areas(areas)
        ready.ready_pool(datetime.now(JST))  # what the first match after a publish pays
        for data in [profiles[0], *profiles]:  # the first one warms up the URL resolver
            body = json.dumps(data)
            start = time.perf_counter()
            response = client.post("/api/v1/match", body, content_type="application/json")
            response.json()
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"POST /api/v1/match answered {response.status_code}")
        if source.call_count != 1:
            raise SystemExit("the ready pool was rebuilt while timing: not the ready path")
        transaction.set_rollback(True)
    ready._ready = None  # its stamp belonged to the rolled-back areas
    return times[1:]


def write_areas(areas: dict[str, tuple[str, tuple[float, float]]]) -> None:
    """The synthetic municipality and its 学区, so the view's vocabulary read finds them."""
    city = Area.objects.create(code="119999", name="ベンチ市", level=Area.Level.MUNICIPALITY)
    Area.objects.bulk_create(
        Area(
            code=code,
            name=name,
            level=Area.Level.SCHOOL_DISTRICT,
            parent=city,
            centroid_lat=lat,
            centroid_lng=lng,
        )
        for code, (name, (lat, lng)) in areas.items()
    )
    names = {code for code in load_vocabulary().areas if code.startswith("119999-")}
    if names != set(areas):
        raise SystemExit("the vocabulary read does not see the synthetic areas")


def markdown(rows: list[dict]) -> str:
    lines = [
        "Measured with `bench/match.py --write` on a throw-away database (see its docstring).",
        f"Machine: {machine()}; `nproc` {len(os.sched_getaffinity(0))}; one process. The load",
        "average (/proc/loadavg, 1 / 5 / 15 min) is read after each size's end-to-end run; other",
        "work shares the 2 cores.",
        "Listings are synthetic, generated in memory (bench/match.py); ~50 varied profiles each",
        "(80% give an area, 60% of those a distance limit, 60% give times; some ask required conditions).",
        "",
        "| listings | scoring p50 | scoring p95 | max | naive p50 | naive p95 | median speed-up "
        "| pool build (once) | end to end p50 | end to end p95 | load average |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['size']:,} | {row['p50']:.1f} ms | {row['p95']:.1f} ms | {row['max']:.1f} ms "
            f"| {row['naive_p50']:.1f} ms | {row['naive_p95']:.1f} ms | ×{row['ratio_p50']:.1f} "
            f"| {row['build_ms']:.0f} ms | {row['http_p50']:.1f} ms | {row['http_p95']:.1f} ms "
            f"| {row['load']} |"
        )
    lines += [
        "",
        "*Scoring* = hard constraints and scores over the pool's numpy columns (`matching.scoring.match`).",
        "*Naive* = the same exact hard-constraint checks and scoring run on every candidate,",
        "one candidate at a time in Python (matching.constraints.exclusion and matching.scoring.components), instead",
        "of over numpy columns; both return identical results (asserted by the script and tests).",
        "*End to end* = `POST /api/v1/match` with the profile as JSON through Django's test client",
        "(every middleware, body and profile parsing, the vocabulary read from the database, the",
        "ready pool's version check (matching/ready.py), matching, JSON answer read back); the",
        "pool is ready, built once from the synthetic listings instead of `live_candidates`.",
        "Targets on 2 cores: end to end p95 ≤ 20 ms at 10k and ≤ 100 ms at 100k.",
        "",
        "The pool is built once per public content version and day (matching/ready.py), not per",
        "request: the first match after a publish pays the build from the database",
        "(`live_candidates`, docs/matching.md) plus the column build shown here.",
    ]
    return "\n".join(lines)


def write(section: str) -> None:
    """Replace the placeholder, or the section a previous run wrote, in docs/benchmarks.md."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    block = f"{PLACEHOLDER}\n{section}\n{END_MARKER}"
    if END_MARKER in text:
        start = text.index(PLACEHOLDER)
        text = text[:start] + block + text[text.index(END_MARKER) + len(END_MARKER) :]
    elif PLACEHOLDER in text:
        text = text.replace(PLACEHOLDER, block)
    else:
        raise SystemExit(f"{PLACEHOLDER} not found in {path}")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--profiles", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    section = markdown(run(args.sizes, args.profiles))
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
