"""`manage.py import_hsds FILE [--dry-run]`: HSDS service objects → members and listings."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exchange.hsds.importer import HsdsFileError, HsdsReport, import_services, load_services
from exchange.importing import ImportInterrupted, progress_bar


class Command(BaseCommand):
    help = (
        "HSDS 3.0 の service オブジェクト（JSON）または表形式（datapackage.json と CSV の"
        "フォルダか zip）を取り込みます。"
        "id はそのまま使い、何度実行しても重複しません。"
        " / Import HSDS 3.0 service objects, keeping their ids (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="HSDS の JSON ファイル、または CSV datapackage のフォルダか zip"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="結果を表示するだけで何も保存しません"
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="掲載を公開せず下書きとして保存します / save every listing as a draft",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="進み具合（件/秒・残り時間）を表示しない / no progress bar",
        )

    def handle(self, *args: Any, file: Path, dry_run: bool = False, **options: Any) -> None:
        try:
            loaded = load_services(file)
        except HsdsFileError as error:
            raise CommandError(f"{file}: {error}") from error
        report = HsdsReport()
        quiet = options.get("quiet", False) or options.get("verbosity") == 0
        try:
            import_services(
                loaded.services,
                messages=loaded.messages,
                dry_run=dry_run,
                draft=options.get("draft", False),
                progress=progress_bar(self, unit="件", quiet=quiet),
                report=report,
            )
        except ImportInterrupted as stopped:
            self._print(report)
            raise CommandError(stopped.message()) from stopped
        self._print(report)
        if report.failed:
            raise CommandError(
                "1件も取り込めませんでした（上の理由をご確認ください） / nothing could be imported"
            )

    def _print(self, report: HsdsReport) -> None:
        for line in report.lines():
            self.stdout.write(line)
