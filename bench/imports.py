"""Import throughput: generated open-data and HSDS files through the real commands.

    .venv/bin/python bench/imports.py [--rows 1000 10000] [--only kodomo-shokudo event hsds]
        [--profile DIR] [--write]

Each run gets a fresh database (a migrated SQLite template copied per run, or, when
DATABASE_URL names PostgreSQL, that database flushed and reloaded), the municipalities of
localgovjp loaded, then `manage.py import_opendata` / `import_hsds` in a subprocess: the time
is what the 事務局 waits for, Django start-up included. Rows are varied like real files: most
こども食堂 rows name their own 運営団体 (a new member each), events share a few organisers,
HSDS services come in organisations of three. `--profile DIR` runs each command under cProfile
(a .prof file per run, top functions printed). `--write` replaces the import section of
docs/benchmarks.md with the table, the machine and the load average.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import load_average, machine  # noqa: E402

PYTHON = sys.executable
MUNICIPALITIES = Path("/work/shared/reference/localgovjp/localgovjp-utf8.csv")
if not MUNICIPALITIES.exists():  # CI lays shared/ beside the clone
    MUNICIPALITIES = ROOT.parent / "shared/reference/localgovjp/localgovjp-utf8.csv"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## 取込の速さ / Import speed (bench/imports.py)"
# Before this work (issue 17): 200 こども食堂 rows in 80 s, 1,000 HSDS services in 253 s.
PREVIOUS = {"kodomo-shokudo": 2.5, "event": 2.5, "hsds": 4.0}
KINDS = ("kodomo-shokudo", "event", "hsds")
SCHEDULES = ("毎月第2・第4土曜 11:30～13:30", "毎週水曜 17:00～19:00", "第1日曜日 12時～14時")
FEES = ("無料", "子ども無料・大人300円", "100円")
TARGETS = ("子ども、親子、どなたでも", "小学生～中学生とその保護者", "どなたでも")


@dataclass(frozen=True)
class Town:
    code: str
    prefecture: str
    city: str
    lat: float
    lng: float


def towns(count: int = 40) -> list[Town]:
    """The first `count` municipalities of 東京都 and 埼玉県 (real codes, so areas exist)."""
    found = []
    with MUNICIPALITIES.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["pref"] in ("東京都", "埼玉県") and " " not in row["city"]:
                found.append(
                    Town(
                        row["lgcode"],
                        row["pref"],
                        row["city"],
                        float(row["lat"]),
                        float(row["lng"]),
                    )
                )
    return found[:count]


def _point(town: Town, rng: random.Random) -> tuple[str, str]:
    return (
        f"{town.lat + rng.uniform(-0.01, 0.01):.6f}",
        f"{town.lng + rng.uniform(-0.01, 0.01):.6f}",
    )


def kodomo_csv(rows: int, seed: int = 1) -> bytes:
    """A こども食堂 template file; four rows in five have an organiser of their own."""
    rng, places = random.Random(seed), towns()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["全国地方公共団体コード", "ID", "地方公共団体名", "名称", "所在地_連結表記", "緯度", "経度",
         "開催日時", "参加費", "対象者", "運営団体", "連絡先電話番号"]
    )  # fmt: skip
    for number in range(1, rows + 1):
        town = places[number % len(places)]
        organiser = f"NPO法人みんなの居場所{number if number % 5 else number // 5}"
        writer.writerow(
            [town.code, f"K{number:06d}", town.prefecture + town.city, f"こども食堂 みんなの{number}",
             f"{town.prefecture}{town.city}中央{number % 9 + 1}-{number % 30 + 1}", *_point(town, rng),
             rng.choice(SCHEDULES), rng.choice(FEES), rng.choice(TARGETS), organiser,
             f"03-{1000 + number % 9000:04d}-{number % 10000:04d}"]
        )  # fmt: skip
    return out.getvalue().encode("utf-8-sig")


def event_csv(rows: int, seed: int = 2) -> bytes:
    """An イベント一覧 file of the 自治体標準オープンデータセット; twenty organisers in all."""
    rng, places = random.Random(seed), towns()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["全国地方公共団体コード", "ID", "地方公共団体名", "イベント名", "開始日", "終了日",
         "開始時間", "終了時間", "説明", "料金(基本)", "主催者", "場所名称", "所在地_連結表記",
         "緯度", "経度", "定員", "対象者"]
    )  # fmt: skip
    for number in range(1, rows + 1):
        town = places[number % len(places)]
        day = f"2027/{number % 12 + 1}/{number % 28 + 1}"
        writer.writerow(
            [town.code, f"E{number:06d}", town.prefecture + town.city, f"地域のつどい 第{number}回",
             day, day, "13:30", "15:30", "地域の方どなたでも参加できます。", "0",
             f"{town.city}社会福祉協議会", f"{town.city}市民会館",
             f"{town.prefecture}{town.city}本町{number % 9 + 1}-1", *_point(town, rng), "30名",
             "どなたでも"]
        )  # fmt: skip
    return out.getvalue().encode("utf-8-sig")


def hsds_services(count: int, seed: int = 3) -> list[dict]:
    """HSDS 3.0 services with embedded organisation, location, schedule and taxonomy."""
    rng, places = random.Random(seed), towns()
    ids = uuid.UUID(int=rng.getrandbits(128))
    services = []
    for number in range(1, count + 1):
        town = places[number % len(places)]
        org = uuid.uuid5(ids, f"org-{number // 3}")
        lat, lng = _point(town, rng)
        services.append(
            {
                "id": str(uuid.uuid5(ids, f"service-{number}")),
                "name": f"相談窓口 {number}",
                "description": "ひとりで悩まずにご相談ください。\n\n電話でも来所でも受け付けます。",
                "status": "active",
                "organization": {"id": str(org), "name": f"一般社団法人つながる相談{number // 3}"},
                "service_areas": [{"uri": f"urn:tsunagari:area:{town.code}", "name": town.city}],
                "service_at_locations": [
                    {
                        "id": str(uuid.uuid5(ids, f"sal-{number}")),
                        "location": {
                            "id": str(uuid.uuid5(ids, f"loc-{number}")),
                            "location_type": "physical",
                            "name": f"{town.city}相談室",
                            "latitude": float(lat),
                            "longitude": float(lng),
                            "addresses": [
                                {
                                    "id": str(uuid.uuid5(ids, f"addr-{number}")),
                                    "address_1": f"本町{number % 9 + 1}-2",
                                    "city": town.city,
                                    "state_province": town.prefecture,
                                    "postal_code": "100-0001",
                                    "country": "JP",
                                    "address_type": "physical",
                                }
                            ],
                        },
                    }
                ],
                "schedules": [
                    {
                        "id": str(uuid.uuid5(ids, f"schedule-{number}")),
                        "freq": "WEEKLY",
                        "byday": rng.choice(("MO", "TU,TH", "WE", "FR")),
                        "opens_at": "10:00+09:00",
                        "closes_at": "16:00+09:00",
                    }
                ],
            }
        )
    return services


def write_input(kind: str, rows: int, folder: Path) -> Path:
    if kind == "hsds":
        path = folder / f"hsds-{rows}.json"
        path.write_text(json.dumps(hsds_services(rows), ensure_ascii=False), encoding="utf-8")
    else:
        path = folder / f"{kind}-{rows}.csv"
        path.write_bytes(kodomo_csv(rows) if kind == "kodomo-shokudo" else event_csv(rows))
    return path


class Database:
    """A fresh migrated database with the municipalities, once per run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = os.environ.get("DATABASE_URL", "")
        self.postgres = self.url.startswith(("postgres://", "postgresql://"))
        self.template = folder / "template.sqlite3"
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "website.settings.dev"}
        if not self.postgres:
            self.env["DATABASE_URL"] = f"sqlite:///{self.template}"
            self._prepare()

    def _prepare(self) -> None:
        manage("migrate", "--noinput", env=self.env)
        manage("load_municipalities", str(MUNICIPALITIES), env=self.env)

    def fresh(self, run: str) -> dict[str, str]:
        """The environment of a run: its own database, search index and var folder."""
        var = self.folder / run
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir()
        env = {**self.env, "TSUNAGARI_VAR_DIR": str(var)}
        if self.postgres:
            manage("flush", "--noinput", env=env)
            manage("migrate", "--noinput", env=env)
            manage("load_municipalities", str(MUNICIPALITIES), env=env)
        else:
            shutil.copy(self.template, var / "db.sqlite3")
            env["DATABASE_URL"] = f"sqlite:///{var / 'db.sqlite3'}"
        return env

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.postgres else "SQLite"


def manage(*args: str, env: dict[str, str], profile: Path | None = None) -> float:
    """Run one manage.py command; seconds of wall time."""
    command = [PYTHON]
    if profile is not None:
        command += ["-m", "cProfile", "-o", str(profile)]
    command += [str(ROOT / "manage.py"), *args]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603 our own manage.py
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return elapsed


def command_for(kind: str, path: Path) -> list[str]:
    if kind == "hsds":
        return ["import_hsds", str(path), "--quiet"]
    return ["import_opendata", "--format", kind, str(path), "--quiet"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--only", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--profile", type=Path, help="write a cProfile .prof file per run here")
    parser.add_argument("--write", action="store_true", help="record the table in the docs")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    try:
        database = Database(folder)
        table = run_all(database, args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(table))
    if args.write:
        record(table)


def run_all(database: Database, args: argparse.Namespace, folder: Path) -> list[str]:
    table = [
        f"{database.label}; machine: {machine()}",
        "",
        "| file | rows | time | rows/s | before | load average after |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for rows in args.rows:
        for kind in args.only:
            path = write_input(kind, rows, folder)
            env = database.fresh(f"{kind}-{rows}")
            profile = args.profile / f"{kind}-{rows}.prof" if args.profile else None
            if profile is not None:
                args.profile.mkdir(parents=True, exist_ok=True)
            seconds = manage(*command_for(kind, path), env=env, profile=profile)
            line = (
                f"| {kind} | {rows:,} | {seconds:.0f} s | {rows / seconds:.1f} | "
                f"{PREVIOUS[kind]} | {load_average()} |"
            )
            print(line, flush=True)
            table.append(line)
            if profile is not None:
                pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(25)
    return table


def record(table: list[str]) -> None:
    """Replace the import section of docs/benchmarks.md (up to the next ## heading)."""
    text = DOC.read_text(encoding="utf-8")
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = "\n".join([SECTION, "", f"Run {stamp} (`bench/imports.py --write`):", "", *table, ""])
    pattern = re.compile(re.escape(SECTION) + r".*?(?=\n## |\Z)", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: body.rstrip("\n"), text)
    else:
        text = text.rstrip("\n") + "\n\n" + body
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
