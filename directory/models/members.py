"""Member organisations. 幹事団体 and 一般団体 have the same rights over their own content."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.listings.validators import validate_corporate_number
from directory.models.vocabulary import Scheme


class MemberType(models.TextChoices):
    GOVERNMENT = "government", _("行政（市町村の各課等）")
    SHAKYO = "shakyo", _("社会福祉協議会")
    SOCIAL_WELFARE = "social-welfare", _("社会福祉法人")
    NPO = "npo", _("NPO法人")
    GENERAL_INCORPORATED = "general-incorporated", _("一般社団法人・一般財団法人")
    COMPANY = "company", _("企業")
    COOPERATIVE = "cooperative", _("協同組合")
    NEIGHBOURHOOD = "neighbourhood", _("自治会・町内会・地区社協")
    PEER_GROUP = "peer-group", _("当事者団体・家族会")
    VOLUNTARY = "voluntary", _("任意団体・住民グループ")
    MEDICAL = "medical", _("医療機関")
    EDUCATION = "education", _("学校・教育機関")
    OTHER = "other", _("その他")


class MemberRole(models.TextChoices):
    """Only a label of who steers the PF; it grants no extra rights over content."""

    STEERING = "steering", _("幹事団体")
    GENERAL = "general", _("一般団体")


class MemberStatus(models.TextChoices):
    APPLIED = "applied", "申請中"
    APPROVED = "approved", "承認済み"
    SUSPENDED = "suspended", "一時停止"
    WITHDRAWN = "withdrawn", "退会"
    DECLINED = "declined", "不承認"


def vocabulary(scheme: Scheme) -> dict[str, str]:
    return {"scheme": scheme.value}


class Member(models.Model):
    """An organisation in the PF. Contact details are organisational, never a private person."""

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("団体名", max_length=120)
    kana = models.CharField("団体名よみがな", max_length=200, blank=True)
    slug = models.SlugField(
        "URL用の名前",
        max_length=80,
        unique=True,
        help_text="公開ページの URL（/members/<この値>/）に使う半角英数字。",
    )
    member_type = models.CharField("団体の種類", max_length=30, choices=MemberType.choices)
    corporate_number = models.CharField(
        "法人番号",
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
        help_text="13桁（法人のみ・任意）。国税庁の検査用数字で確認します。",
    )
    role = models.CharField(
        "PF での役割", max_length=20, choices=MemberRole.choices, default=MemberRole.GENERAL
    )
    status = models.CharField(
        "状態", max_length=20, choices=MemberStatus.choices, default=MemberStatus.APPLIED
    )
    description = models.TextField("団体の紹介", blank=True)
    fields = models.ManyToManyField(
        "directory.VocabularyTerm",
        verbose_name="活動分野",
        blank=True,
        related_name="+",
        limit_choices_to=vocabulary(Scheme.CATEGORY),
    )
    targets = models.ManyToManyField(
        "directory.VocabularyTerm",
        verbose_name="主な対象",
        blank=True,
        related_name="+",
        limit_choices_to=vocabulary(Scheme.TARGET),
    )
    areas = models.ManyToManyField(
        "directory.Area", verbose_name="活動地域", blank=True, related_name="members"
    )
    offers = models.ManyToManyField(
        "directory.VocabularyTerm",
        verbose_name="提供できること",
        blank=True,
        related_name="+",
        limit_choices_to=vocabulary(Scheme.OFFER),
    )
    looks_for = models.ManyToManyField(
        "directory.VocabularyTerm",
        verbose_name="求めていること",
        blank=True,
        related_name="+",
        limit_choices_to=vocabulary(Scheme.OFFER),
    )
    contact_point = models.CharField("窓口名", max_length=120, blank=True)
    phone = models.CharField("代表電話", max_length=30, blank=True)
    email = models.EmailField("団体メール", blank=True)
    website = models.URLField("ウェブサイト", blank=True)
    address = models.CharField("所在地（団体）", max_length=200, blank=True)
    hsds_source = models.JSONField(
        "HSDS 取込元の id",
        default=dict,
        blank=True,
        editable=False,
        help_text="HSDS 取込で受け取った団体の入れ子の id（電話・窓口・法人番号。再出力で同じ値を書くため）。",
    )
    application_note = models.TextField(
        "申請時のメッセージ",
        blank=True,
        help_text="入会申請で団体が書いた内容（団体の情報のみ。個人の相談内容は書かないでください）。",
    )
    group = models.OneToOneField(
        "auth.Group",
        verbose_name="編集者グループ",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name="画像・文書のコレクション",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    applied_at = models.DateTimeField("申請日時", default=timezone.now, editable=False)
    approved_at = models.DateTimeField("承認日時", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "会員団体"
        verbose_name_plural = "会員団体"
        ordering = ["kana", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.APPROVED
