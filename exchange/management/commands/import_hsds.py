"""`manage.py import_hsds FILE [--dry-run]`: HSDS service objects → members and listings."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exchange.hsds.importer import HsdsFileError, import_services, load_services


class Command(BaseCommand):
    help = (
        'HSDS 3.0 の service オブジェクト（JSON 配列または {"services": [...]}）を取り込みます。'
        "id はそのまま使い、何度実行しても重複しません。"
        " / Import HSDS 3.0 service objects, keeping their ids (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="HSDS の JSON ファイル")
        parser.add_argument(
            "--dry-run", action="store_true", help="結果を表示するだけで何も保存しません"
        )

    def handle(self, *args: Any, file: Path, dry_run: bool = False, **options: Any) -> None:
        try:
            services = load_services(file)
        except HsdsFileError as error:
            raise CommandError(f"{file}: {error}") from error
        report = import_services(services, dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
        if report.failed:
            raise CommandError(
                "1件も取り込めませんでした（上の理由をご確認ください） / nothing could be imported"
            )
