"""The 事務局's notices to a member: what was done to it or one of its listings, and why."""

from django.db import models
from django.utils import timezone

from core.pii import validate_no_personal_information


class MemberNotice(models.Model):
    """One reasoned action of the 事務局, mailed to the member and shown on its dashboard.

    It is about an organisation (its status or its listing), never a person: the reason is
    the 事務局's own text and who acted is in the Wagtail log entry, not here.
    """

    class Kind(models.TextChoices):
        SUSPEND = "suspend", "一時停止"
        REINSTATE = "reinstate", "活動の再開"
        WITHDRAW = "withdraw", "退会"
        UNPUBLISH = "unpublish", "掲載の非公開"

    member = models.ForeignKey(
        "directory.Member",
        verbose_name="会員団体",
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField("内容", max_length=20, choices=Kind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="掲載",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page_title = models.CharField("掲載名", max_length=255, blank=True)
    reason = models.TextField("理由", max_length=500, validators=[validate_no_personal_information])
    created_at = models.DateTimeField("日時", default=timezone.now)

    class Meta:
        verbose_name = "事務局からのお知らせ"
        verbose_name_plural = "事務局からのお知らせ"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.page_title or self.member}"
