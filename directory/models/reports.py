"""Resident reports about a listing (「情報の誤りを報告」): organisational data only."""

from django.db import models


class ListingReport(models.Model):
    """What is wrong with a listing. Holds no reporter identity (no name, e-mail or IP)."""

    class Reason(models.TextChoices):
        CLOSED = "closed", "終了・休止している"
        SCHEDULE = "schedule", "日時が違う"
        PLACE = "place", "場所・連絡先が違う"
        CONTENT = "content", "内容が違う・不適切"
        OTHER = "other", "その他"

    class Status(models.TextChoices):
        OPEN = "open", "未対応"
        FORWARDED = "forwarded", "団体に連絡済み"
        RESOLVED = "resolved", "対応済み"

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="掲載", on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField("内容", max_length=20, choices=Reason.choices)
    message = models.TextField(
        "詳しく", blank=True, max_length=500, help_text="個人が特定できる情報は書かないでください。"
    )
    status = models.CharField(
        "対応状況", max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField("受付日時", auto_now_add=True)

    class Meta:
        verbose_name = "情報の誤りの報告"
        verbose_name_plural = "情報の誤りの報告"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.page.title}: {self.get_reason_display()}"
