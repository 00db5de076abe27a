"""SQLite as configured: two overlapping write transactions queue instead of failing.

Why: autosave and publish overlapping gave 「database is locked」 500s (issue 17). Two threads,
each with its own connection to a file database with the site's own settings, read and then
write inside one transaction — the pattern of a Wagtail save — at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.utils import ConnectionHandler

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the SQLite options apply only when the site runs on SQLite",
)

ALIAS = "concurrent_sqlite"


@pytest.fixture
def file_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[str]:
    """An extra alias: a file database (not the in-memory test one) with the site's OPTIONS."""
    configured = ConnectionHandler(
        {"default": {**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")}}
    ).settings["default"]
    connections.settings[ALIAS] = configured
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE edits (id INTEGER PRIMARY KEY, value INTEGER)")
        yield ALIAS
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def test_two_overlapping_writes_queue(file_database: str) -> None:
    both_read = threading.Barrier(2)
    errors: list[BaseException] = []

    def save(value: int) -> None:
        try:
            with (
                transaction.atomic(using=file_database),
                connections[file_database].cursor() as cursor,
            ):
                cursor.execute("SELECT COUNT(*) FROM edits")
                # Overlap: wait until the other one has read too (or is queued at BEGIN).
                with suppress(threading.BrokenBarrierError):
                    both_read.wait(timeout=1)
                cursor.execute("INSERT INTO edits (value) VALUES (%s)", [value])
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections[file_database].close()

    threads = [threading.Thread(target=save, args=(value,)) for value in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [str(error) for error in errors] == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT value FROM edits ORDER BY value")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]


def test_readers_do_not_wait_for_a_writer(file_database: str) -> None:
    with connections[file_database].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
