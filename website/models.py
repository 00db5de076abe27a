"""Home and PF pages (news, 分科会, 研修 …) run by the 事務局."""

from typing import Any

from django.db import models
from django.http import HttpRequest
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from website.home import QUICK_LINKS


class HomePage(Page):
    """The site root: what the PF is and where a resident can start."""

    lead = models.TextField(
        "リード文",
        blank=True,
        default="ひとりで悩まず、地域の居場所や相談先を探してみませんか。",
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

        context = super().get_context(request, *args, **kwargs)
        context["member_index"] = MemberIndexPage.objects.live().first()
        context["quick_links"] = QUICK_LINKS
        return context


class StandardPage(Page):
    """A PF page: お知らせ, 分科会, 研修, このサイトについて, プライバシー …"""

    lead = models.TextField("リード文", blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label="見出し", form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label="本文")),
            ("image", ImageBlock(label="画像")),
        ],
        blank=True,
        verbose_name="本文",
    )

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["website.HomePage", "website.StandardPage"]

    class Meta:
        verbose_name = "PF ページ（お知らせ・分科会など）"


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
        default="いのちに関わる緊急時は 119 番・110 番へ。つらい気持ちを話したいときは「#いのちSOS」（0120-061-338）などの相談窓口があります。",
    )

    panels = [
        FieldPanel("platform_name"),
        FieldPanel("secretariat_name"),
        FieldPanel("secretariat_phone"),
        FieldPanel("secretariat_email"),
        FieldPanel("emergency_note"),
    ]

    class Meta:
        verbose_name = "PF の設定"
