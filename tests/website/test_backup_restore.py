"""manage.py backup / restore: one dated archive of the database and media, restored whole.

Runs on whichever database the suite runs on: SQLite in `make test`, PostgreSQL (pg_dump,
pg_restore) in `.ci/run`'s PostgreSQL pass.
"""

from __future__ import annotations

import json
import re
import shutil
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from directory.models import Member
from tests.factories.directory import MemberFactory

pytestmark = pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
    reason="pg_dump/pg_restore are not installed",
)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "案内.pdf").write_bytes(b"%PDF-1.4 demo")
    return Path(settings.MEDIA_ROOT)


def backup(target: Path) -> Path:
    out = StringIO()
    call_command("backup", str(target), stdout=out)
    archives = list(target.glob("*.tar.gz"))
    assert len(archives) == 1, out.getvalue()
    return archives[0]


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_the_database_and_media(
    media: Path, tmp_path: Path
) -> None:
    kept = MemberFactory(status="applied", name="残る団体")
    archive = backup(tmp_path / "backups")

    assert re.fullmatch(r"tsunagari-backup-\d{8}-\d{6}\.tar\.gz", archive.name)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["vendor"] == connection.vendor
    assert manifest["database"] in names
    assert "media/documents/案内.pdf" in names

    Member.objects.filter(pk=kept.pk).delete()
    MemberFactory(status="applied", name="後から来た団体")
    shutil.rmtree(media)
    out = StringIO()
    call_command("restore", str(archive), "--noinput", stdout=out)

    assert list(Member.objects.values_list("name", flat=True)) == ["残る団体"]
    assert (media / "documents" / "案内.pdf").read_bytes() == b"%PDF-1.4 demo"
    assert "件を登録しました" in out.getvalue()  # the search index was rebuilt


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(__file__, arcname="../../etc/passwd")
    with pytest.raises(CommandError, match="バックアップ"):
        call_command("restore", str(bogus), "--noinput")
    with pytest.raises(CommandError, match="見つかりません"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--noinput")
