"""`manage.py geocode_missing`: give listings with an address but no map point a location."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from directory.listings import geocoding
from directory.listings.geocoding import GeocodeCache, Outcome


class Command(BaseCommand):
    help = (
        "住所はあるが地図の位置がない掲載に、位置検索（ジオコーディング）で位置を付けます。"
        "見つからない・接続できないときは地域の中心を使い、確認事項に書き残します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="対象を表示するだけで保存しない")
        parser.add_argument("--limit", type=int, help="処理する掲載の上限")
        parser.add_argument(
            "--offline",
            action="store_true",
            help="位置検索サービスに接続しない（キャッシュと地域の中心だけを使う）",
        )
        parser.add_argument(
            "--cache", type=Path, help="キャッシュファイル（既定: var/geocode-cache.json）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cache = GeocodeCache(options["cache"] or geocoding.default_cache_path())
        geocode = None if options["offline"] else geocoding.make_geocoder()
        results = geocoding.geocode_missing(
            geocode=geocode,
            cache=cache,
            limit=options["limit"],
            dry_run=options["dry_run"],
            progress=lambda pages: tqdm(pages, desc="位置検索", unit="件", disable=None),
        )
        for result in results:
            self.stdout.write(self.describe(result))
        counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in Outcome}
        if options["dry_run"]:
            self.stdout.write(f"対象 {len(results)} 件（--dry-run のため保存していません）。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"位置を付けました: 住所から {counts[Outcome.FOUND]} 件、"
                f"地域の中心 {counts[Outcome.CENTROID]} 件。"
                f"地域の中心もなく付けられなかったもの {counts[Outcome.NO_CENTROID]} 件。"
            )
        )

    @staticmethod
    def describe(result: geocoding.Result) -> str:
        name = f"{result.listing.title}（{result.listing.uuid}）"
        cached = "（キャッシュ）" if result.cached else ""
        if result.outcome == Outcome.FOUND:
            return f"住所から位置を特定{cached}: {name}"
        if result.outcome == Outcome.CENTROID:
            return f"地域の中心を使用{cached}: {name} — {result.note}"
        if result.outcome == Outcome.NO_CENTROID:
            return f"位置を付けられません（地域の中心がありません）: {name}"
        return f"対象: {name} — 検索する住所「{result.query}」{cached}"
