"""`manage.py run_import_job TOKEN`: one run of an upload from the 事務局's import screen.

Started by exchange.upload_jobs.start in its own process, so a long file never holds a web
request; it writes its progress and report into the upload's job.json.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from exchange import upload_jobs


class Command(BaseCommand):
    help = "管理画面から取り込むファイルの試行または取込を実行します（画面から起動されます）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token", help="取込ファイルのトークン")

    def handle(self, *args: Any, token: str, **options: Any) -> None:
        upload_jobs.run(token)
