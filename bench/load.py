"""Load test (issue 17): gunicorn with production settings on the demo PF, driven by locust.

    .venv/bin/python bench/load.py --users 20 --seconds 60
    .venv/bin/python bench/load.py --users 200 --seconds 60 --database-url postgres://…/loadtest

It builds a throw-away platform in a temporary folder (migrate, load_demo, collectstatic,
search_reindex), starts `gunicorn -c deploy/gunicorn.conf.py` on 127.0.0.1 only, runs
bench/locustfile.py headless for a bounded time (at most 300 s), stops everything and prints a
Markdown table for docs/benchmarks.md: requests/s, p50/p95/p99 per request type, errors, with
the machine and load average. Nothing is sent anywhere but the loopback address.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

from common import ROOT, load_average, machine

MAX_SECONDS = 300
MAX_USERS = 500
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_env(
    var_dir: Path, port: int, database_url: str | None, workers: int
) -> dict[str, str]:
    """Production settings on loopback: no TLS redirect, limits lifted (one client address)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
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
    if not env.get("REDIS_URL"):
        env["TSUNAGARI_SINGLE_PROCESS"] = "1"  # per-process limits are lifted anyway
    return env


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


def report(rows: list[dict[str, str]], users: int, seconds: int, workers: int, vendor: str) -> str:
    lines = [
        f"Load test: {users} users, {seconds} s, gunicorn {workers} workers, {vendor}, demo PF",
        f"Machine: {machine()}; load average before: {LOAD_BEFORE}, after: {load_average()}",
        "",
        "| request | count | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    return "\n".join(lines)


LOAD_BEFORE = load_average()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL database to fill (default: SQLite)")
    args = parser.parse_args()
    if not 0 < args.seconds <= MAX_SECONDS or not 0 < args.users <= MAX_USERS:
        raise SystemExit(f"--seconds must be 1–{MAX_SECONDS} and --users 1–{MAX_USERS}")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tsunagari-load-") as work:
        var_dir = Path(work)
        env = production_env(var_dir, port, args.database_url, args.workers)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "search_reindex", "--verbosity", "0")
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "website.wsgi"],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_until_up(port)
            prefix = var_dir / "locust"
            subprocess.run(  # noqa: S603
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--only-summary",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.users),
                    "--run-time",
                    f"{args.seconds}s",
                    "--stop-timeout",
                    "10",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(prefix),
                ],
                cwd=ROOT,
                check=False,  # locust exits 1 when a request failed: still report
                timeout=args.seconds + 120,
            )
            vendor = "PostgreSQL" if args.database_url else "SQLite"
            print(report(summary(prefix), args.users, args.seconds, args.workers, vendor))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
