"""manage.py healthcheck — exit 0 when the site can serve, 1 (with the reason) when it cannot."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.health import run_checks


class Command(BaseCommand):
    help = (
        "データベース・検索エンジン・キャッシュを確かめます（異常があれば終了コード 1）。 "
        "Checks the database, search engine and cache (exit code 1 when unhealthy)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--strict",
            action="store_true",
            help="縮退運転（Meilisearch 停止で内蔵索引が応答中）も異常とします。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = []
        for check in run_checks():
            degraded = check.degraded and check.ok
            status = "WARN" if degraded else "OK" if check.ok else "FAIL"
            self.stdout.write(f"{status:<4} {check.name}: {check.detail}")
            if not check.ok or (degraded and options["strict"]):
                failed.append(check)
        if failed:
            labels = "・".join(check.label for check in failed)
            names = ", ".join(check.name for check in failed)
            raise CommandError(f"{labels}に異常があります。 Unhealthy: {names}.")
