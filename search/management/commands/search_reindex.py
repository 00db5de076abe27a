"""manage.py search_reindex — rebuild the public search index from the listings residents see."""

from __future__ import annotations

import time
from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from directory.models.listings import visible_querysets
from search.documents import live_documents
from search.engines import get_engine
from search.engines.base import SearchUnavailable
from search.models import PendingIndexUpdate

BATCH = 500


class Command(BaseCommand):
    help = "検索インデックスを作り直します（公開中・活動中の掲載をすべて登録し直します）。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        engine = get_engine()
        expected = sum(queryset.count() for queryset in visible_querysets())
        indexed = 0
        try:
            engine.clear()
            documents = live_documents()
            with tqdm(total=expected, unit="件", disable=options["verbosity"] == 0) as progress:
                while batch := list(islice(documents, BATCH)):
                    engine.index(batch)
                    indexed += len(batch)
                    progress.update(len(batch))
            if hasattr(engine, "optimize"):
                engine.optimize()
        except SearchUnavailable as error:
            raise CommandError(f"検索エンジンに接続できません: {error}") from error
        repaired = PendingIndexUpdate.objects.all().delete()[0]
        self.stdout.write(
            f"{indexed} 件を登録しました（エンジン: {engine.name}、"
            f"未反映だった更新 {repaired} 件を解消、{time.monotonic() - started:.1f} 秒）。"
        )
