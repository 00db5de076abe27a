"""manage.py backup FOLDER — the database and media in one dated .tar.gz (docs/deployment.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "データベースとアップロードされたファイルを、日付つきの 1 つの .tar.gz に保存します。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", help="保存先のフォルダ（なければ作ります）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = create_backup(Path(options["folder"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        size_mb = archive.stat().st_size / 1_000_000
        self.stdout.write(f"バックアップを作りました: {archive}（{size_mb:.1f} MB）")
