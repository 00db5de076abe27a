"""The controlled vocabulary: stable slugs that the API, imports, search and matching rely on."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation


class Scheme(models.TextChoices):
    KIND = "kind", "種別"
    CATEGORY = "category", "分野"
    TARGET = "target", "対象"
    CONDITION = "condition", "参加条件"
    WANT = "want", "求めていること（マッチング）"
    AGE_BAND = "age_band", "年代（マッチング）"
    OFFER = "offer", "団体が提供できること・求めていること"


class VocabularyTerm(models.Model):
    """One term of a scheme. The slug never changes once saved; labels may be edited."""

    scheme = models.CharField("語彙の種類", max_length=20, choices=Scheme.choices)
    slug = models.SlugField(
        "スラッグ（識別子）",
        max_length=60,
        help_text="半角英小文字・数字・ハイフン。API・取込・検索で使う識別子で、保存後は変更できません。",
    )
    label = models.CharField("表示名", max_length=80)
    label_en = models.CharField("表示名（英語）", max_length=80, blank=True)
    description = models.TextField("説明", blank=True)
    sort_order = models.PositiveIntegerField("並び順", default=0)

    class Meta:
        verbose_name = "語彙"
        verbose_name_plural = "語彙"
        ordering = ["scheme", "sort_order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "slug"], name="unique_vocabulary_slug")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        """The label in the visitor's language: 表示名（英語） on English pages when it is set."""
        if self.label_en and translation.get_language() == "en":
            return self.label_en
        return self.label

    def clean(self) -> None:
        if self.pk:
            saved = VocabularyTerm.objects.filter(pk=self.pk).values_list("scheme", "slug").first()
            if saved and saved != (self.scheme, self.slug):
                raise ValidationError(
                    {
                        "slug": "スラッグと語彙の種類は保存後に変更できません。新しい語を追加してください。"
                    }
                )
        duplicate = VocabularyTerm.objects.filter(scheme=self.scheme, slug=self.slug)
        if duplicate.exclude(pk=self.pk).exists():
            raise ValidationError({"slug": "同じ種類に同じスラッグの語がすでにあります。"})
