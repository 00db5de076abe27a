"""`manage.py remind_stale`: the daily reminder of listings not confirmed for 180 days."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from directory.listings.freshness import send_reminders


class Command(BaseCommand):
    help = (
        "180日以上確認されていない掲載を、団体の編集者にメールで知らせ、事務局に一覧を送ります"
        "（1日1回。同じ日に再実行しても二重には送りません）。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_reminders()
        self.stdout.write(f"確認のお願いを送った団体: {len(run.reminded)}")
        if run.already:
            self.stdout.write(f"今日すでに送った団体: {len(run.already)}")
        for member in run.without_editors:
            self.stdout.write(f"編集者がいないため送れなかった団体: {member.name}")
        for member in run.failed:
            self.stderr.write(f"メールを送れなかった団体: {member.name}")
        self.stdout.write("事務局への一覧: " + ("送信しました" if run.summary_sent else "なし"))
