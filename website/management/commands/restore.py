"""manage.py restore ARCHIVE — put a backup back, then rebuild the search index."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "manage.py backup の .tar.gz からデータベースとファイルを戻し、検索インデックスを"
        "作り直します。現在のデータは置き換えられます（アプリを止めてから実行してください）。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", help="manage.py backup が作った .tar.gz")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="確認を求めません。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if options["interactive"]:
            answer = input(
                f"現在のデータベースとファイルを {archive.name} の内容で置き換えます。よろしいですか？ [yes/no] "
            )
            if answer.strip().lower() not in ("yes", "y", "はい"):
                raise CommandError("取り消しました。")
        try:
            manifest = restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{manifest['created']} のバックアップを戻しました。検索インデックスを作り直します。"
        )
        call_command("search_reindex", stdout=self.stdout, verbosity=0)
