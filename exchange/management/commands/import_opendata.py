"""manage.py import_opendata --format kodomo-shokudo|event|facility FILE [--member SLUG] …"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from directory.models import Member, MemberStatus
from exchange.importing import ImportInterrupted, progress_bar
from exchange.opendata.columns import FORMATS
from exchange.opendata.importer import OpendataImporter, OpendataReport


class Command(BaseCommand):
    help = (
        "自治体標準オープンデータセット（イベント一覧・公共施設一覧）またはこども食堂テンプレートの "
        "CSV を取り込みます。行ごとの結果を表示し、--report で CSV にも書き出します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), dest="format_slug")
        parser.add_argument("file", help="取り込む CSV ファイル")
        parser.add_argument(
            "--member", help="掲載を登録する会員団体のスラッグ（省略時は主催者列から）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="結果だけを表示し、何も保存しない"
        )
        parser.add_argument("--draft", action="store_true", help="公開せず下書きとして保存する")
        parser.add_argument("--report", help="行ごとの結果を書き出す CSV ファイル")
        parser.add_argument(
            "--quiet", action="store_true", help="進み具合（行/秒・残り時間）を表示しない"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"ファイル「{path}」を読めません。パスと権限をご確認ください。"
            ) from error
        importer = OpendataImporter(
            options["format_slug"],
            member=self._member(options.get("member")),
            source_name=path.name,
            draft=options["draft"],
        )
        try:
            report = importer.run(
                data,
                dry_run=options["dry_run"],
                progress=progress_bar(
                    self, unit="行", quiet=options["quiet"] or options["verbosity"] == 0
                ),
            )
        except ImportInterrupted as stopped:
            self._finish(importer.report, options.get("report"))
            raise CommandError(stopped.message()) from stopped
        self._finish(report, options.get("report"))
        if not report.imported_anything:
            raise CommandError("1件も取り込めませんでした。上の理由をご確認ください。")

    def _member(self, slug: str | None) -> Member | None:
        if not slug:
            return None
        member = Member.objects.filter(slug=slug).first()
        if member is None:
            raise CommandError(f"スラッグ「{slug}」の会員団体がありません。")
        if member.status != MemberStatus.APPROVED:
            raise CommandError(
                f"会員団体「{member.name}」は承認されていないため、掲載を登録できません。"
            )
        return member

    def _finish(self, report: OpendataReport, report_path: str | None) -> None:
        """The report on stdout and, with --report, as CSV: the rows saved, one line each."""
        self._print(report)
        if report_path:
            with Path(report_path).open("w", encoding="utf-8-sig", newline="") as handle:
                report.write_csv(handle)

    def _print(self, report: OpendataReport) -> None:
        styles = {
            "success": self.style.SUCCESS,
            "warning": self.style.WARNING,
            "error": self.style.ERROR,
        }
        for tone, text in report.lines():
            self.stdout.write(styles[tone](text) if tone else text)
