"""`manage.py import_hsds FILE [--dry-run]`: HSDS service objects → members and listings."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exchange.hsds.importer import (
    HsdsFileError,
    ImportReport,
    import_services,
    load_services,
)


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
        self.print_report(report)
        if report.failed:
            raise CommandError(
                "1件も取り込めませんでした（上の理由をご確認ください） / nothing could be imported"
            )

    def print_report(self, report: ImportReport) -> None:
        for message in report.messages:
            self.stdout.write(message)
        for result in report.results:
            label = f"[{result.index}] {result.status:<8} {result.name or '(名称なし)'}"
            if result.service_id:
                label += f" (id={result.service_id})"
            self.stdout.write(label)
            for reason in result.reasons:
                self.stdout.write(f"      - {reason}")
        prefix = "【試行のみ・保存していません】" if report.dry_run else ""
        self.stdout.write(
            f"{prefix}新規 {report.count('created')} 件、更新 {report.count('updated')} 件、"
            f"スキップ {report.count('skipped')} 件"
            f"（うち変更なし {sum(r.unchanged for r in report.results)} 件）"
        )
