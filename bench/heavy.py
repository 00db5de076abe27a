"""Timings of the heavy public read endpoints (HSDS lists, iCal feeds) at demo size.

    DATABASE_URL=sqlite:////tmp/heavy.sqlite3 TSUNAGARI_VAR_DIR=/tmp/heavyvar \\
        .venv/bin/python manage.py migrate && … manage.py load_demo
    DATABASE_URL=sqlite:////tmp/heavy.sqlite3 TSUNAGARI_VAR_DIR=/tmp/heavyvar \\
        .venv/bin/python bench/heavy.py [--runs 3]

Each path is requested through Django's test client (the whole middleware stack) `--runs`
times uncached (the public content version bumped before each, as after a publish), then
`--runs` times from the cache. Prints one Markdown row per path for docs/benchmarks.md:
uncached p50 / max, cached p50, queries uncached / cached, answer size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")

import django  # noqa: E402

from bench.common import load_average, machine  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core import public_cache  # noqa: E402
from directory.models import Area, Member, MemberStatus, Scheme, VocabularyTerm  # noqa: E402


def paths() -> list[str]:
    """The HSDS lists in their largest form and the feeds of the demo's largest area."""
    municipality = Area.objects.filter(level=Area.Level.MUNICIPALITY).order_by("code").first()
    member = Member.objects.filter(status=MemberStatus.APPROVED).order_by("slug").first()
    category = VocabularyTerm.objects.filter(scheme=Scheme.CATEGORY).first()
    if municipality is None or member is None or category is None:
        raise SystemExit("デモ PF がありません: manage.py load_demo を先に実行してください。")
    found = [
        "/api/hsds/services",
        "/api/hsds/services?full=true",
        "/api/hsds/services?full=true&per_page=200",
        "/api/hsds/organizations?full=true&per_page=200",
        "/api/hsds/service_at_locations",
        "/api/hsds/service_at_locations?full=true&per_page=200",
        f"/feeds/areas/{municipality.code}.ics",
    ]
    if municipality.parent is not None:
        found.append(f"/feeds/areas/{municipality.parent.code}.ics")
    return [*found, f"/feeds/members/{member.slug}.ics", f"/feeds/categories/{category.slug}.ics"]


def timed(client: Client, path: str) -> tuple[float, int, int]:
    """Milliseconds, queries and bytes of one request."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path)
        size = len(response.content)
        elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")
    return elapsed, len(queries), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "100000/m")
    client = Client(HTTP_HOST="localhost")
    client.get("/api/hsds/")  # imports and first connection out of the timings
    print(f"Machine: {machine()}")
    print(
        "| path | uncached p50 | uncached max | cached p50 | queries (uncached / cached) | size |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for path in paths():
        cold, warm = [], []
        for _ in range(args.runs):
            public_cache.bump()
            cold.append(timed(client, path))
        for _ in range(args.runs):
            warm.append(timed(client, path))
        times = [t for t, _, _ in cold]
        print(
            f"| `{path}` | {statistics.median(times):.0f} ms | {max(times):.0f} ms"
            f" | {statistics.median(t for t, _, _ in warm):.1f} ms"
            f" | {cold[-1][1]} / {warm[-1][1]} | {cold[-1][2] / 1024:.0f} KiB |"
        )
    print(f"Load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
