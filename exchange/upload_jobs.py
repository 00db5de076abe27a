"""An uploaded import file and its runs: the dry run, then (once confirmed) the real import.

The 事務局's import screen (exchange.admin_views) runs the same importers as `import_opendata`
and `import_hsds`, in a separate process (`manage.py run_import_job TOKEN`) so a 10,000-row
file never holds a web request. Each upload is a folder named by a random token under
settings.IMPORT_UPLOAD_DIR — the file itself and `job.json` (options, state, progress, report).
Files rather than a model or the cache: a dry run is one database transaction rolled back at
the end (exchange.importing.file_transaction), so progress written to the database during it
would be invisible and then undone, and the development cache is per process. The file holds
only public listing data; it is deleted once imported, and every folder after EXPIRY.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings

from directory.models import Member, MemberStatus
from exchange.hsds.importer import HsdsFileError, HsdsReport, import_services, load_services
from exchange.importing import SKIPPED, ImportInterrupted, ImportReport, RowResult
from exchange.opendata.importer import NEEDS_REVIEW, OpendataImporter, OpendataReport

HSDS = "hsds"
EXPIRY_SECONDS = 24 * 60 * 60
# A worker that has not written progress for this long has died (a batch takes seconds).
STALLED_SECONDS = 5 * 60
PROGRESS_EVERY_SECONDS = 1.0
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")

# Job states, in order.
CHECKING, CHECKED, IMPORTING, DONE, FAILED = "checking", "checked", "importing", "done", "failed"
RUNNING = (CHECKING, IMPORTING)

# A row's outcome on the screen: one word per status, and 変更なし for a row already up to date.
OUTCOMES = {
    "created": "新規",
    "updated": "更新",
    "unchanged": "変更なし",
    "review": "要確認",
    "error": "取込せず",
}
Item = TypeVar("Item")


@dataclass
class Job:
    """What job.json holds."""

    token: str
    kind: str  # an opendata format slug, or HSDS
    filename: str
    suffix: str
    member_id: int | None = None
    draft: bool = False
    created: float = field(default_factory=time.time)
    state: str = CHECKING
    done: int = 0
    total: int = 0
    started: float = 0.0
    updated: float = field(default_factory=time.time)
    error: str = ""
    dry_report: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return upload_dir() / self.token

    @property
    def upload(self) -> Path:
        return self.folder / f"upload{self.suffix}"

    @property
    def running(self) -> bool:
        return self.state in RUNNING

    @property
    def stalled(self) -> bool:
        return self.running and time.time() - self.updated > STALLED_SECONDS

    def rate(self) -> float:
        """Rows per second since the run started."""
        elapsed = time.time() - self.started if self.started else 0
        return self.done / elapsed if elapsed > 0 else 0.0

    def eta_seconds(self) -> int | None:
        rate = self.rate()
        return round((self.total - self.done) / rate) if rate and self.total else None

    def save(self) -> None:
        """Write job.json whole (a temporary file renamed), so a reader never sees half of it."""
        self.updated = time.time()
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(self), out, ensure_ascii=False)
        os.replace(temporary, self.folder / "job.json")


def upload_dir() -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR)


def create(data: bytes, *, kind: str, filename: str, member: Member | None, draft: bool) -> Job:
    """Keep the uploaded file under a new token; the job starts as a dry run to be launched."""
    purge_expired()
    token = secrets.token_urlsafe(24)
    suffix = Path(filename).suffix.lower()
    job = Job(
        token=token,
        kind=kind,
        filename=Path(filename).name,
        suffix=suffix,
        member_id=member.pk if member else None,
        draft=draft,
    )
    job.folder.mkdir(parents=True, mode=0o700)
    job.upload.write_bytes(data)
    job.save()
    return job


def load(token: str) -> Job | None:
    """The job of a token, or None (unknown, malformed or expired)."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    try:
        data = json.loads((upload_dir() / token / "job.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    job = Job(**data)
    if time.time() - job.created > EXPIRY_SECONDS and (not job.running or job.stalled):
        shutil.rmtree(job.folder, ignore_errors=True)
        return None
    return job


def purge_expired() -> None:
    """Delete every upload older than EXPIRY_SECONDS (its file and its report)."""
    if not upload_dir().is_dir():
        return
    for folder in upload_dir().iterdir():
        if folder.is_dir():
            load(folder.name)


def start(job: Job, *, real: bool) -> None:
    """Launch the dry run, or the real import once confirmed, outside the web request.

    With settings.IMPORT_JOBS_IN_PROCESS (tests) it runs here and now instead.
    """
    job.state, job.done, job.total, job.started, job.error = (
        IMPORTING if real else CHECKING,
        0,
        0,
        0.0,
        "",
    )
    job.save()
    if settings.IMPORT_JOBS_IN_PROCESS:
        run(job.token)
        return
    subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py, a checked token
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "run_import_job", job.token],
        start_new_session=True,  # survives the web worker being recycled
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def claim_import(job: Job) -> bool:
    """True once per upload: two 取り込む at the same moment start one import, not two."""
    try:
        handle = os.open(job.folder / "confirmed", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.close(handle)
    return True


def run(token: str) -> None:
    """Run the job's current phase (`manage.py run_import_job`); never raises for a bad file."""
    job = load(token)
    if job is None or not job.running:
        return
    real = job.state == IMPORTING
    job.started = time.time()
    job.save()
    try:
        report = _import(job, dry_run=not real)
    except _Failed as failure:
        job.state, job.error = FAILED, str(failure)
        if failure.report is not None:
            job.report = summary(failure.report)
    except Exception as error:  # recorded for the screen; the class name only (no file text)
        job.state, job.error = FAILED, f"取り込めませんでした（{type(error).__name__}）。"
    else:
        if real:
            job.state, job.report = DONE, summary(report)
        else:
            job.state, job.dry_report = CHECKED, summary(report)
    if real:
        job.upload.unlink(missing_ok=True)
    job.save()


class _Failed(Exception):
    """The file could not be read, or stopped midway (with the rows saved before it)."""

    def __init__(self, message: str, report: ImportReport | None = None) -> None:
        super().__init__(message)
        self.report = report


def _import(job: Job, *, dry_run: bool) -> ImportReport:
    progress = _tracker(job)
    if job.kind == HSDS:
        try:
            loaded = load_services(job.upload)
        except HsdsFileError as error:
            raise _Failed(str(error)) from error
        report = HsdsReport()
        try:
            return import_services(
                loaded.services,
                messages=loaded.messages,
                dry_run=dry_run,
                progress=progress,
                report=report,
                draft=job.draft,
            )
        except ImportInterrupted as stopped:
            raise _Failed(stopped.message(), report) from stopped
    member = None
    if job.member_id is not None:
        member = Member.objects.filter(pk=job.member_id, status=MemberStatus.APPROVED).first()
        if member is None:
            raise _Failed("選んだ会員団体が見つからないか、承認されていません。")
    importer = OpendataImporter(job.kind, member=member, source_name=job.filename, draft=job.draft)
    try:
        return importer.run(job.upload.read_bytes(), dry_run=dry_run, progress=progress)
    except ImportInterrupted as stopped:
        raise _Failed(stopped.message(), importer.report) from stopped


def _tracker(job: Job) -> Callable[[Iterable[Item]], Iterable[Item]]:
    """The importers' `progress` hook: counts the rows into job.json about once a second."""

    def wrap(items: Iterable[Item]) -> Iterator[Item]:
        items = list(items)
        job.total, job.done = len(items), 0
        job.save()
        last = time.monotonic()
        for job.done, item in enumerate(items):
            if time.monotonic() - last >= PROGRESS_EVERY_SECONDS:
                job.save()
                last = time.monotonic()
            yield item
        job.done = job.total
        job.save()

    return wrap


def outcome(result: RowResult) -> str:
    """The OUTCOMES key of one row."""
    if result.unchanged:
        return "unchanged"
    if result.status == SKIPPED:
        return "error"
    if result.status == NEEDS_REVIEW:
        return "review"
    return "updated" if result.status == "updated" else "created"


def summary(report: ImportReport) -> dict[str, Any]:
    """The report as the screen shows it: counts, file-level notes and one entry per row."""
    rows = [
        {
            "row": result.row,
            "outcome": outcome(result),
            "name": str(result.name),
            "listing_id": str(result.listing_id),
            "reasons": [str(reason) for reason in result.reasons],  # lazy translations too
        }
        for result in report.results
    ]
    counts = dict.fromkeys(OUTCOMES, 0)
    for result in report.results:
        counts[outcome(result)] += 1
    notes = [str(note) for note in _notes(report)]
    return {"dry_run": report.dry_run, "counts": counts, "notes": notes, "rows": rows}


def _notes(report: ImportReport) -> list[str]:
    if isinstance(report, HsdsReport):
        return list(report.messages)
    if not isinstance(report, OpendataReport):
        return []
    notes = [f"文字コード: {report.encoding}"] if report.encoding else []
    if report.ignored_columns:
        notes.append(f"読み込まなかった列: {'、'.join(report.ignored_columns)}")
    notes += report.problems
    notes += [f"新しい団体: {name}" for name in report.created_members]
    notes += [f"新しい市区町村: {name}" for name in report.created_areas]
    return notes
