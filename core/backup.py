"""Backup and restore: the database and the uploaded media in one dated `.tar.gz`.

Why: a municipality must be able to go back to last night after a disk loss or a wrong bulk
import. One archive holds everything that cannot be rebuilt (the database, MEDIA_ROOT) plus a
manifest; the search index is left out because `search_reindex` rebuilds it from the database.
SQLite is copied with its online backup API (consistent while the site serves), PostgreSQL
with `pg_dump --format=custom` (restored by `pg_restore --clean`).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Japanese, for the operator."""


def _dump_name() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"このデータベース（{connection.vendor}）のバックアップには未対応です。")
    return DUMPS[connection.vendor]


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """`program` with the connection's host, port, user and password (in the environment)."""
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} が見つかりません（PostgreSQL のクライアントを入れてください）。"
        )
    db: dict[str, Any] = connection.settings_dict
    command = [program, "--no-owner", "--no-privileges"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return command, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} が失敗しました: {result.stderr.strip()[:500]}")


def dump_database(target: Path) -> None:
    """Write a consistent copy of the database to `target`."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return
    command, env = _pg_command("pg_dump")
    _run(
        [*command, "--format=custom", "--file", str(target), connection.settings_dict["NAME"]], env
    )


def load_database(source: Path) -> None:
    """Replace the whole database with the dump at `source`."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        dump = sqlite3.connect(source)
        try:
            dump.backup(connection.connection)
        finally:
            dump.close()
        return
    command, env = _pg_command("pg_restore")
    db_name = connection.settings_dict["NAME"]
    connection.close()  # pg_restore --clean drops tables: hold no lock on them
    _run(
        [
            *command,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--dbname",
            db_name,
            str(source),
        ],
        env,
    )


def create_backup(folder: Path) -> Path:
    """Write `tsunagari-backup-YYYYmmdd-HHMMSS.tar.gz` into `folder` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    created = timezone.localtime()
    archive = folder / f"tsunagari-backup-{created:%Y%m%d-%H%M%S}.tar.gz"
    dump = _dump_name()
    with tempfile.TemporaryDirectory() as work:
        dump_path = Path(work) / dump
        dump_database(dump_path)
        manifest = {
            "format": FORMAT,
            "created": created.isoformat(),
            "vendor": connection.vendor,
            "database": dump,
            "media": MEDIA,
        }
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            info = tarfile.TarInfo(MANIFEST)
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info.size, info.mtime = len(data), int(created.timestamp())
            tar.addfile(info, BytesIO(data))
            tar.add(dump_path, arcname=dump)
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.is_dir():
                tar.add(media_root, arcname=MEDIA)
        partial.replace(archive)  # never a half-written archive under the final name
    return archive


def restore_backup(archive: Path) -> dict[str, Any]:
    """Replace the database and MEDIA_ROOT with the archive's; return its manifest."""
    if not archive.is_file():
        raise BackupError(f"{archive} が見つかりません。")
    with tempfile.TemporaryDirectory() as work:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")  # refuses ../ and absolute paths
            manifest = json.loads((Path(work) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, tarfile.TarError, ValueError) as error:
            raise BackupError(f"{archive.name} はつながりのバックアップではありません。") from error
        if manifest.get("format") != FORMAT or manifest.get("database") not in DUMPS.values():
            raise BackupError(f"{archive.name} はつながりのバックアップではありません。")
        if manifest.get("vendor") != connection.vendor:
            raise BackupError(
                f"{manifest.get('vendor')} のバックアップは {connection.vendor} には戻せません。"
            )
        load_database(Path(work) / manifest["database"])
        media_root, media = Path(settings.MEDIA_ROOT), Path(work) / MEDIA
        if media.is_dir():
            shutil.rmtree(media_root, ignore_errors=True)
            shutil.copytree(media, media_root)
    return manifest
