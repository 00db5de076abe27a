"""Load test (issue 17): gunicorn with production settings on a throw-away PF, driven by locust.

    .venv/bin/python bench/load.py --users 20 200 --seconds 60
    .venv/bin/python bench/load.py --users 20 200 --listings 10000 --platform /tmp/pf10k
    .venv/bin/python bench/load.py --users 20 --database-url postgres://…/loadtest --think 1 3

It builds a platform (migrate, load_demo — with `--listings N` the demo's listings repeated
under new slugs until there are N —, collectstatic, search_reindex) in a temporary folder, or
once in `--platform DIR` and reused from there; starts a Redis on loopback for the shared cache
when `redis-server` is installed (as production requires; `--no-redis` for per-process memory)
and `gunicorn -c deploy/gunicorn.conf.py` on 127.0.0.1 only; runs bench/locustfile.py headless
for a bounded time (at most 300 s) once per `--users` value; stops everything and prints a
Markdown table for docs/benchmarks.md: requests/s, p50/p95/p99 per request type, errors, with
the machine and load average. `--think A B` waits A–B s between a user's requests (a resident's
pace) instead of the closed loop. Nothing is sent anywhere but the loopback address.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

import yaml
from common import ROOT, load_average, machine

MAX_SECONDS = 300
MAX_USERS = 500
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_env(
    var_dir: Path, port: int, database_url: str | None, workers: int, redis_url: str
) -> dict[str, str]:
    """Production settings on loopback: no TLS redirect, limits lifted (one client address)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        # One key per platform folder, so a reused platform keeps working (sessions, signing).
        "SECRET_KEY": secret_key(var_dir),
        "ALLOWED_HOSTS": "127.0.0.1",
        "WAGTAILADMIN_BASE_URL": "https://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "TSUNAGARI_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "STATIC_ROOT": str(var_dir / "static"),
        "TSUNAGARI_RATE_LIMITS": "search=1000000/m,match=1000000/m,api=1000000/m,feed=1000000/m",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_LOGLEVEL": "warning",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    env["REDIS_URL"] = redis_url
    if not redis_url:
        env["TSUNAGARI_SINGLE_PROCESS"] = "1"  # per-process limits are lifted anyway
    return env


def secret_key(var_dir: Path) -> str:
    path = var_dir / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8")


def scaled_demo(target: Path, listings: int) -> Path:
    """fixtures/demo/ with its listings repeated under new slugs until there are `listings`.

    The copies keep their member, area, venue and schedule, so the platform has the demo's
    shape at N times its size; `load_demo --directory` loads them like the demo itself.
    """
    source = ROOT / "fixtures" / "demo"
    shutil.copytree(source, target, dirs_exist_ok=True)
    originals: list[tuple[str, dict]] = []
    for path in sorted((source / "listings").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        originals.extend((member, row) for member, rows in data.items() for row in rows)
    copies: dict[str, list[dict]] = {}
    for n in range(max(0, listings - len(originals))):
        member, row = originals[n % len(originals)]
        number = n // len(originals) + 2
        copy = {**row, "slug": f"{row['slug']}-{number}", "name": f"{row['name']} {number}"}
        copies.setdefault(member, []).append(copy)
    (target / "listings" / "zz-copies.yaml").write_text(
        yaml.safe_dump(copies, allow_unicode=True), encoding="utf-8"
    )
    return target


def build_platform(env: dict[str, str], var_dir: Path, listings: int) -> None:
    """Migrate; load the (scaled) demo, collect static files and index unless done before."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")  # also on reuse: newer migrations
    done = var_dir / "built"
    if done.exists() and done.read_text(encoding="utf-8") == str(listings):
        return
    if listings:
        manage(env, "load_demo", "--directory", str(scaled_demo(var_dir / "demo", listings)))
    else:
        manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "search_reindex", "--verbosity", "0")
    done.write_text(str(listings), encoding="utf-8")


def start_redis(var_dir: Path) -> tuple[subprocess.Popen[bytes] | None, str]:
    """A throw-away Redis on loopback, without persistence, when redis-server is installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None, ""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=var_dir,
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/api/v1/vocabulary", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 60 s")


def summary(csv_prefix: Path) -> list[dict[str, str]]:
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def report(rows: list[dict[str, str]], users: int) -> list[str]:
    return [
        f"| {users} | {row['Name'].lower()} | {row['Request Count']} | {row['Failure Count']} | "
        f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        for row in rows
    ]


def run_locust(port: int, users: int, seconds: int, prefix: Path, think: list[float]) -> None:
    env = {**os.environ}
    if think:
        env["LOAD_THINK_SECONDS"] = f"{think[0]},{think[1]}"
    subprocess.run(  # noqa: S603
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
        ],
        cwd=ROOT,
        env=env,
        check=False,  # locust exits 1 when a request failed: still report
        timeout=seconds + 120,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL database to fill (default: SQLite)")
    parser.add_argument("--listings", type=int, default=0, help="repeat the demo to N listings")
    parser.add_argument("--platform", type=Path, help="build the platform here once, then reuse")
    parser.add_argument("--think", type=float, nargs=2, default=[], metavar=("MIN", "MAX"))
    parser.add_argument("--no-redis", action="store_true", help="per-process cache instead")
    args = parser.parse_args()
    if not 0 < args.seconds <= MAX_SECONDS or not all(0 < u <= MAX_USERS for u in args.users):
        raise SystemExit(f"--seconds must be 1–{MAX_SECONDS} and --users 1–{MAX_USERS}")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tsunagari-load-") as work:
        var_dir = args.platform or Path(work)
        var_dir.mkdir(parents=True, exist_ok=True)
        redis, redis_url = (None, "") if args.no_redis else start_redis(Path(work))
        env = production_env(var_dir, port, args.database_url, args.workers, redis_url)
        build_platform(env, var_dir, args.listings)
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "website.wsgi"],
            cwd=ROOT,
            env=env,
        )
        vendor = "PostgreSQL" if args.database_url else "SQLite"
        pace = (
            f"think time {args.think[0]:g}–{args.think[1]:g} s" if args.think else "no think time"
        )
        lines = [
            f"Load test: {args.listings or 'demo'} listings, {vendor}, "
            f"{'Redis' if redis_url else 'per-process'} cache, gunicorn {args.workers} workers, "
            f"{args.seconds} s per run, {pace}",
            f"Machine: {machine()}",
            "",
            "| users | request | count | errors | req/s | p50 ms | p95 ms | p99 ms |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        averages = []
        try:
            wait_until_up(port)
            for users in args.users:
                before = load_average()
                prefix = Path(work) / f"locust-{users}"
                run_locust(port, users, args.seconds, prefix, args.think)
                lines += report(summary(prefix), users)
                averages.append(f"{users} users: {before} before, {load_average()} after")
        finally:
            server.terminate()
            server.wait(timeout=30)
            if redis is not None:
                redis.terminate()
                redis.wait(timeout=10)
        print("\n".join([*lines, "", "Load average: " + "; ".join(averages)]))


if __name__ == "__main__":
    main()
