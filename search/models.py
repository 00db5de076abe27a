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


class SynonymEntry(models.Model):
    """Words the 事務局 adds to the synonym list in the admin, merged with fixtures/synonyms.yaml.

    Kept in the database (not the file) so the 事務局 can react to what residents type without
    a release; search/synonyms.py reads both, and saving or deleting an entry refreshes what
    the engines use (search/synonyms.py: `synonyms_changed`).
    """

    words = models.TextField(
        "語",
        help_text="同じものを指す語を、1行に1語か「、」で区切って2語以上書きます（例: 配食、お弁当のお届け）。",
    )
    one_way = models.BooleanField(
        "一方向",
        default=False,
        help_text=(
            "チェックすると、最初の語で探したときだけ残りの語も見つかります（残りの語で探しても最初の"
            "語には広げません）。広い語から狭い語へ（食事 → 配食）、誤記から正しい語へ、に使います。"
        ),
    )
    note = models.CharField(
        "理由（公開されません）",
        max_length=200,
        blank=True,
        help_text="なぜ同じ意味か、なぜ一方向か。あとで見直す人のために書いておきます。",
    )
    created_at = models.DateTimeField("作成", auto_now_add=True)
    updated_at = models.DateTimeField("更新", auto_now=True)

    class Meta:
        verbose_name = "検索の同義語"
        verbose_name_plural = "検索の同義語"
        ordering = ["pk"]

    def __str__(self) -> str:
        words = self.word_list()
        if self.one_way and len(words) > 1:
            return f"{words[0]} → {'、'.join(words[1:])}"
        return "・".join(words)

    def word_list(self) -> list[str]:
        """The entry's words in the order written, blanks and repeats dropped."""
        from search.synonyms import split_words

        return split_words(self.words)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from search.synonyms import word_problems

        problems = word_problems(self.word_list())
        if problems:
            raise ValidationError({"words": problems})
