"""`manage.py export_hsds [--out FILE]`: every public listing as embedded HSDS 3.0 services."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from exchange.hsds.export import export_services


class Command(BaseCommand):
    help = (
        "公開中の掲載情報を HSDS 3.0 の service オブジェクト（JSON 配列）として書き出します。"
        " / Export every public listing as HSDS 3.0 service objects."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="出力ファイル（省略時は標準出力）")

    def handle(self, *args: Any, out: Path | None = None, **options: Any) -> None:
        services = list(export_services())
        text = json.dumps(services, ensure_ascii=False, indent=2) + "\n"
        if out is None:
            self.stdout.write(text, ending="")
            return
        out.write_text(text, encoding="utf-8")
        self.stderr.write(f"{len(services)} 件を書き出しました: {out}")
