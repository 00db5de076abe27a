"""The embedded engine's SQLite file: schema, per-thread connections, writes' helpers, bitsets.

Apart from the query and ranking (embedded.py) because this is what decides the on-disk layout:
a change here bumps SCHEMA_VERSION, and an index of another version is dropped and rebuilt.
Each thread gets its own connection (sqlite3 connections are not shared across threads); WAL
lets readers continue while a page is being indexed. Facet value bitsets are built once per
generation (changed by every write) and kept per process.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.geo import haversine_km
from search.engines.base import FILTERABLE_FIELDS, SearchDocument
from search.text import index_text

logger = logging.getLogger("tsunagari.search")

SCHEMA_VERSION = 6

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name_key TEXT NOT NULL,
    name_text TEXT NOT NULL,
    lat REAL,
    lng REAL,
    next_occurrence TEXT,
    last_verified TEXT
);
-- The JSON documents live apart so that filtering and sorting read narrow rows only.
CREATE TABLE IF NOT EXISTS doc_store (rowid INTEGER PRIMARY KEY, document TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS docs_name ON docs(name_key);
CREATE INDEX IF NOT EXISTS docs_next ON docs(next_occurrence);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);
CREATE INDEX IF NOT EXISTS docs_geo ON docs(lat, lng);
CREATE TABLE IF NOT EXISTS doc_values (
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    rowid INTEGER NOT NULL,
    PRIMARY KEY (field, value, rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_values_by_doc ON doc_values(rowid, field, value);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    name, summary, labels, body, tokenize = 'ascii', prefix = '1'
);
-- The fts name column again, alone: "is a query word in the name?" is asked of every relevance
-- query, and `{name} : …` on fts reads every column's positions (at 100k listings, 25 ms
-- where this table answers in well under 1 ms).
CREATE VIRTUAL TABLE IF NOT EXISTS fts_name USING fts5(name, tokenize = 'ascii');
"""
TABLES = ("docs", "doc_store", "doc_values", "fts", "fts_name", "meta")

_connections = threading.local()
schema_lock = threading.Lock()


def connect(path: Path) -> sqlite3.Connection:
    """This thread's connection to the index at `path`, with the schema in place."""
    cache: dict[str, sqlite3.Connection] = _connections.__dict__.setdefault("by_path", {})
    key = str(path)
    connection = cache.get(key)
    if connection is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(key, timeout=10, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.create_function("haversine_km", 4, haversine_km, deterministic=True)
        with schema_lock:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                logger.warning("search index schema changed; rebuilding (run search_reindex)")
                drop(connection)
            connection.executescript(SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        cache[key] = connection
    return connection


def drop(connection: sqlite3.Connection) -> None:
    for table in TABLES:
        connection.execute(f"DROP TABLE IF EXISTS {table}")


def age_value(age: int) -> str:
    """An age as a doc_values value: zero-padded so that text order is number order."""
    return f"{age:03d}"


def filter_values(document: SearchDocument) -> Iterable[tuple[str, str]]:
    for field in FILTERABLE_FIELDS:
        value = document.get(field)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item not in (None, ""):
                yield field, str(item)
    for day in document.get("occurrence_dates") or []:
        yield "date", day
    if document.get("online"):
        yield "online", "1"
    for bound, age in (("age_min", document.get("age_min")), ("age_max", document.get("age_max"))):
        if age is not None:
            yield bound, age_value(age)


def fts_columns(document: SearchDocument) -> tuple[str, str, str, str]:
    """name (+ kana, reading), summary (+ keywords), labels (vocabulary), body (the rest)."""
    return (
        index_text(document["name"], document["kana"], document["name_reading"]),
        index_text(document["summary"], " ".join(document["keywords"])),
        index_text("\n".join(document["labels"])),
        index_text(
            document["description"],
            document["area_name"],
            document["member_name"],
            document["address"],
        ),
    )


_bitset_cache: dict[str, tuple[int, dict[str, dict[str, int]]]] = {}
# value_bitsets' name for every document (no field is named ""), under the value "".
ALL_ROWS = ""
_bitset_lock = threading.Lock()


def bump_generation(connection: sqlite3.Connection) -> None:
    connection.execute(
        "UPDATE meta SET value = ? WHERE key = 'generation'", (random.getrandbits(62),)
    )


def value_bitsets(
    path: Path, connection: sqlite3.Connection, names: list[str]
) -> dict[str, dict[str, int]]:
    """Each value's rowids as one int bitset, per field; rebuilt when the generation changes."""
    generation = connection.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
    key = str(path)
    with _bitset_lock:
        cached_generation, fields = _bitset_cache.get(key, (None, {}))
        if cached_generation != generation:
            fields = {}
        missing = [name for name in names if name not in fields]
        for name in missing:
            rowids_by_value: dict[str, list[int]] = {}
            rows = (
                connection.execute("SELECT '', rowid FROM docs")
                if name == ALL_ROWS
                else connection.execute(
                    "SELECT value, rowid FROM doc_values WHERE field = ?", (name,)
                )
            )
            for value, rowid in rows:
                rowids_by_value.setdefault(value, []).append(rowid)
            fields[name] = {value: bitset(rowids) for value, rowids in rowids_by_value.items()}
        _bitset_cache[key] = (generation, fields)
        return fields


def bitset(rowids: Iterable[int]) -> int:
    """The rowids as one int, bit n set for rowid n (0 for none)."""
    rowids = list(rowids)
    if not rowids:
        return 0
    bits = bytearray(max(rowids) // 8 + 1)
    for rowid in rowids:
        bits[rowid >> 3] |= 1 << (rowid & 7)
    return int.from_bytes(bits, "little")


class transaction:
    """BEGIN IMMEDIATE … COMMIT (or ROLLBACK) on an autocommit connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        self.connection.execute("BEGIN IMMEDIATE")
        return self.connection

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        self.connection.execute("ROLLBACK" if kind else "COMMIT")
