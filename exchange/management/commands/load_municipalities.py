"""manage.py load_municipalities FILE [FILE …]: the list of every 全国地方公共団体コード."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exchange.municipalities import MunicipalityFileError, load_files


class Command(BaseCommand):
    help = (
        "総務省の全国地方公共団体コード一覧（.xlsx またはその CSV）と localgovjp の CSV から、"
        "都道府県・市区町村（政令市の区を含む）の地域を登録・更新します。何度実行しても同じ結果です。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="読み込む一覧ファイル（複数可）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_files(Path(name) for name in options["files"])
        except MunicipalityFileError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"地域: 新規 {report.created}件、更新 {report.updated}件、変更なし {report.unchanged}件"
        )
