"""manage.py export_opendata --format event|facility [--out FILE]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from exchange.opendata.columns import EXPORT_FORMATS
from exchange.opendata.exporter import export_csv, export_listings


class Command(BaseCommand):
    help = (
        "公開中の掲載を自治体標準オープンデータセット（イベント一覧・公共施設一覧）の列順で "
        "CSV（UTF-8 BOM 付き・CRLF）に書き出します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=EXPORT_FORMATS, dest="format_slug")
        parser.add_argument("--out", help="書き出すファイル（省略時は標準出力）")

    def handle(self, *args: Any, **options: Any) -> None:
        text = export_csv(options["format_slug"])
        if options.get("out"):
            Path(options["out"]).write_bytes(text.encode("utf-8"))
            count = len(export_listings(options["format_slug"]))
            self.stderr.write(f"{count}件を {options['out']} に書き出しました。")
        else:
            self.stdout.write(text, ending="")
