"""Resident reports about a listing (「情報の誤りを報告」): organisational data only."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.pii import validate_no_personal_information


class ListingReport(models.Model):
    """What is wrong with a listing. Holds no reporter identity (no name, e-mail or IP).

    The resident's part (page, reason, message) is fixed once received; the owning member's
    editors keep the status and their reply note, and the 事務局 may forward it with a note.
    """

    class Reason(models.TextChoices):
        CLOSED = "closed", _("終了・休止している")
        SCHEDULE = "schedule", _("日時が違う")
        PLACE = "place", _("場所・連絡先が違う")
        CONTENT = "content", _("内容が違う・不適切")
        OTHER = "other", _("その他")

    class Status(models.TextChoices):
        OPEN = "open", "未対応"
        IN_PROGRESS = "in_progress", "対応中"
        RESOLVED = "resolved", "対応済み"
        NOT_NEEDED = "not_needed", "対応不要"

    # Still waiting for the member: the dashboard's and the reminder's 「未対応・対応中」.
    PENDING = (Status.OPEN, Status.IN_PROGRESS)

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="掲載", on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("内容"), max_length=20, choices=Reason.choices)
    message = models.TextField(
        _("詳しく"),
        blank=True,
        max_length=500,
        help_text="個人が特定できる情報は書かないでください。",
    )
    status = models.CharField(
        "対応状況", max_length=20, choices=Status.choices, default=Status.OPEN
    )
    reply_note = models.TextField(
        "団体の対応メモ",
        blank=True,
        max_length=1000,
        validators=[validate_no_personal_information],
        help_text="どう対応したか（事務局も読みます）。個人が特定できる情報は書かないでください。",
    )
    forward_note = models.TextField(
        "事務局からのメモ",
        blank=True,
        max_length=1000,
        help_text="事務局が団体に転送したときに添えたメモ。",
    )
    forwarded_at = models.DateTimeField("事務局が転送した日時", null=True, blank=True)
    notice_failed = models.BooleanField(
        "団体に通知できなかった",
        default=False,
        help_text="編集者がいない、またはメールを送れなかったとき。事務局が団体に伝えてください。",
    )
    created_at = models.DateTimeField("受付日時", auto_now_add=True)

    class Meta:
        verbose_name = "情報の誤りの報告"
        verbose_name_plural = "情報の誤りの報告"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.page.title}: {self.get_reason_display()}"
