"""Index updates that failed and wait for a retry (a search server was down, a timeout …).

Only the listing's id is kept: which listing to re-sync, never page content or request data.
"""

from django.db import models


class PendingIndexUpdate(models.Model):
    """A listing whose search document could not be updated; the next indexing run retries it."""

    listing_uuid = models.UUIDField("掲載 ID", unique=True)
    page_id = models.PositiveIntegerField("ページ ID", null=True, blank=True)
    attempts = models.PositiveIntegerField("試行回数", default=1)
    last_error = models.CharField("直近のエラーの種類", max_length=120, blank=True)
    created_at = models.DateTimeField("最初の失敗", auto_now_add=True)
    updated_at = models.DateTimeField("最後の失敗", auto_now=True)

    class Meta:
        verbose_name = "未反映の検索インデックス更新"
        verbose_name_plural = "未反映の検索インデックス更新"
        ordering = ["updated_at"]

    def __str__(self) -> str:
        return str(self.listing_uuid)
