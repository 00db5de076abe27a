"""`manage.py load_demo`: load or refresh the demo PF from fixtures/demo/ (safe to re-run)."""

from pathlib import Path
from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from directory.demo.loader import DemoDataError, DemoResult, load_demo


class Command(BaseCommand):
    help = "デモ用の PF（架空の市・会員団体・掲載情報）を読み込みます。何度実行しても重複しません。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            help="デモデータのフォルダ（既定: fixtures/demo/）",
        )

    def handle(self, *args: Any, directory: Path | None = None, **options: Any) -> None:
        started = perf_counter()
        try:
            result = load_demo(directory)
        except (DemoDataError, FileNotFoundError) as error:
            raise CommandError(
                f"デモデータを読み込めませんでした（何も保存していません）: {error}"
            ) from error
        self.report(result, perf_counter() - started)

    def report(self, result: DemoResult, seconds: float) -> None:
        def summary(counter: Any) -> str:
            return "、".join(f"{key} {n}" for key, n in sorted(counter.items())) or "なし"

        self.stdout.write(f"新規: {summary(result.created)}")
        self.stdout.write(f"更新: {summary(result.updated)}")
        self.stdout.write(f"変更なし: {summary(result.unchanged)}")
        if result.logins:
            self.stdout.write("\nデモ用ログイン（開発環境のみ。/admin/ から）:")
            self.stdout.write(f"  {'ユーザー名':<28} {'パスワード':<16} 役割")
            for login in result.logins:
                self.stdout.write(f"  {login.username:<28} {login.password:<16} {login.role}")
        else:
            self.stdout.write("デモ用ログインは作成していません（DEMO_LOGINS_ENABLED が無効）。")
        self.stdout.write(self.style.SUCCESS(f"デモ PF を読み込みました（{seconds:.1f} 秒）。"))
