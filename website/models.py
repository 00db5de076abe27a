"""Home and PF pages (news, 分科会, 研修 …) run by the 事務局."""

import re
from typing import Any

from django.db import models
from django.http import HttpRequest
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from website.home import QUICK_LINKS
from website.pf_pages import (
    HOME_NEWS,
    NewsIndexPage,
    NewsPage,
    PlatformEventPage,
    WorkingGroupMembership,
    WorkingGroupPage,
    body_field,
    latest_news,
)

# The PF pages live in website.pf_pages; imported here so Django registers their models.
__all__ = [
    "ConsultationLine",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "PlatformEventPage",
    "PlatformSettings",
    "StandardPage",
    "WorkingGroupMembership",
    "WorkingGroupPage",
]

# Sessions of 今週 the home page shows before its link to /events/.
HOME_EVENTS = 6


class HomePage(Page):
    """The site root: what the PF is and where a resident can start."""

    lead = models.TextField(
        "リード文",
        blank=True,
        default="ひとりで悩まず、地域の居場所や相談先をさがしてみませんか。",
    )
    body = StreamField(
        [("paragraph", blocks.RichTextBlock(label="本文")), ("image", ImageBlock(label="画像"))],
        blank=True,
        verbose_name="本文",
    )

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "トップページ"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from directory.models import MemberIndexPage
        from events.sessions import this_week

        context = super().get_context(request, *args, **kwargs)
        context["member_index"] = MemberIndexPage.objects.live().first()
        context["quick_links"] = QUICK_LINKS
        context["this_week"] = this_week(limit=HOME_EVENTS)
        context["latest_news"] = latest_news()[:HOME_NEWS]
        context["news_index"] = NewsIndexPage.objects.live().public().first()
        return context


class StandardPage(Page):
    """A PF page: このサイトについて, 取組方針, プライバシーポリシー … (those 「メニューに表示」
    under the home page are linked from the footer)."""

    lead = models.TextField("リード文", blank=True)
    body = body_field()

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["website.HomePage", "website.StandardPage"]

    class Meta:
        verbose_name = "PF ページ（このサイトについて・方針など）"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        # PF events are listed by date (upcoming only), not among the child pages.
        context["pf_events"] = PlatformEventPage.objects.upcoming().child_of(self)
        context["child_pages"] = (
            self.get_children().live().public().in_menu().not_type(PlatformEventPage)
        )
        return context


@register_setting(icon="site")
class PlatformSettings(BaseSiteSetting):
    """Who runs this PF: shown in the footer and on printed hand-outs."""

    platform_name = models.CharField("PF の名称", max_length=120, default="つながり")
    secretariat_name = models.CharField("事務局", max_length=120, blank=True)
    secretariat_phone = models.CharField("事務局の電話", max_length=30, blank=True)
    secretariat_email = models.EmailField("事務局のメール", blank=True)
    emergency_note = models.TextField(
        "緊急時の案内",
        blank=True,
        default="いのちに関わる緊急時は 119 番・110 番へ。つらい気持ちを話したいときは、下の相談窓口に電話やチャットができます。",
    )

    secretariat_approval = models.BooleanField(
        "会員の掲載の公開に事務局の承認を必要とする",
        default=False,
        help_text=(
            "オフ（既定）: 会員の編集者が自分で公開します。オン: 会員が「承認を申請」し、"
            "事務局グループの人が承認すると公開されます。"
        ),
    )

    panels = [
        FieldPanel("platform_name"),
        FieldPanel("secretariat_name"),
        FieldPanel("secretariat_phone"),
        FieldPanel("secretariat_email"),
        FieldPanel("emergency_note"),
        FieldPanel("secretariat_approval"),
    ]

    class Meta:
        verbose_name = "PF の設定"


PHONE_FOLD = str.maketrans("０１２３４５６７８９＋", "0123456789+")


def tel_href(number: str) -> str:
    """A `tel:` link for a written number: digits and a leading + only, "" if none.

    People write numbers with hyphens, brackets, spaces and full-width digits; a phone dials
    only the digits, so every tel: link on the site is built here.
    """
    folded = number.translate(PHONE_FOLD).strip()
    digits = re.sub(r"\D", "", folded)
    if not digits:
        return ""
    return f"tel:{'+' if folded.startswith('+') else ''}{digits}"


@register_snippet
class ConsultationLine(models.Model):
    """A 相談窓口 a resident can call or chat with, edited by the 事務局 (snippet).

    Numbers live here, never in templates, so the 事務局 can correct hours or retire a line.
    """

    name = models.CharField("窓口の名前", max_length=100)
    purpose = models.CharField("どんなときに", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=40, blank=True)
    hours = models.CharField("受付時間", max_length=200, blank=True)
    is_24h = models.BooleanField("24時間受付", default=False)
    chat_url = models.URLField("チャット・LINE の URL", blank=True)
    languages = models.CharField("対応言語", max_length=200, blank=True, default="日本語")
    sort_order = models.PositiveIntegerField("表示順", default=0)
    is_shown = models.BooleanField("サイトに表示する", default=True)
    note = models.TextField(
        "事務局メモ（公開されません）",
        blank=True,
        help_text="出典や確認日。「要確認」と書いた窓口は、公開元で番号・時間を確かめてください。",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("purpose"),
        FieldPanel("phone"),
        FieldPanel("hours"),
        FieldPanel("is_24h"),
        FieldPanel("chat_url"),
        FieldPanel("languages"),
        FieldPanel("sort_order"),
        FieldPanel("is_shown"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = "相談窓口"
        verbose_name_plural = "相談窓口"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def tel(self) -> str:
        return tel_href(self.phone)
