"""The PF's own pages, edited by the 事務局: お知らせ (with an RSS feed), 分科会 and PF events.

They are about the platform, not about a member's listings, so they sit beside /members/ under
the home page and only the 事務局 (whose page permissions start at the root) can edit them.
A member joins or leaves a 分科会 itself (WorkingGroupMembership), without editing its page.
"""

from __future__ import annotations

from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

# How many お知らせ the home page shows, and one page of the news index.
HOME_NEWS = 3
NEWS_PER_PAGE = 20


def body_field() -> StreamField:
    """The body every PF page writes: headings, paragraphs and images."""
    return StreamField(
        [
            ("heading", blocks.CharBlock(label="見出し", form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label="本文")),
            ("image", ImageBlock(label="画像")),
        ],
        blank=True,
        verbose_name="本文",
    )


class PublicPageQuerySet(PageQuerySet):
    def for_residents(self) -> PublicPageQuerySet:
        """Live and public (no password or login restriction): what the site and feeds show."""
        return self.live().public()

    def upcoming(self) -> PublicPageQuerySet:
        """PF events residents may see that have not ended, soonest first."""
        now = timezone.now()
        return (
            self.for_residents()
            .filter(models.Q(ends_at__gte=now) | models.Q(ends_at=None, starts_at__gte=now))
            .order_by("starts_at")
        )


class NewsIndexPage(Page):
    """お知らせ: the PF's news, newest first, with its RSS feed."""

    lead = models.TextField("リード文", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = "お知らせの一覧"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(latest_news(), NEWS_PER_PAGE)
        context["news"] = paginator.get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    """One dated お知らせ."""

    date = models.DateField("日付", default=timezone.localdate)
    lead = models.TextField("要約", blank=True, help_text="一覧と RSS に出る短い説明です。")
    body = body_field()

    objects = PageManager.from_queryset(PublicPageQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("lead"),
        FieldPanel("body"),
    ]
    parent_page_types = ["website.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "お知らせ"


def latest_news() -> PublicPageQuerySet:
    """Every お知らせ a resident may read, newest first (the index, the home page, RSS)."""
    return NewsPage.objects.for_residents().order_by("-date", "-first_published_at")


class WorkingGroupPage(Page):
    """分科会: a theme members work on together; members join and leave it themselves."""

    lead = models.TextField("リード文", blank=True)
    body = body_field()

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["website.HomePage", "website.StandardPage"]
    subpage_types = ["website.PlatformEventPage"]

    class Meta:
        verbose_name = "分科会"

    def member_pages(self) -> PageQuerySet:
        """The public pages of the approved members that joined."""
        from directory.models import MemberPage

        return (
            MemberPage.objects.for_residents()
            .filter(member__working_groups__group=self)
            .order_by("member__kana")
        )

    def upcoming_events(self, now: datetime | None = None) -> list[tuple[Any, Any]]:
        """(next session, event) of the joined members' events residents see, soonest first."""
        from directory.models import EventPage

        owners = list(self.member_pages())
        if not owners:
            return []
        events = EventPage.objects.for_residents().filter(
            reduce(or_, (EventPage.objects.child_of_q(owner) for owner in owners))
        )
        upcoming = []
        for event in events:
            sessions = event.next_occurrences(1, after=now)
            if sessions:
                upcoming.append((sessions[0], event))
        return sorted(upcoming, key=lambda pair: pair[0].start)

    def upcoming_pf_events(self) -> PublicPageQuerySet:
        """The 事務局's own events under this 分科会 that have not ended."""
        return PlatformEventPage.objects.upcoming().child_of(self)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["member_pages"] = self.member_pages()
        context["events"] = self.upcoming_events()
        context["pf_events"] = self.upcoming_pf_events()
        return context


class WorkingGroupMembership(models.Model):
    """A member in a 分科会. About organisations only, so it is public data."""

    group = models.ForeignKey(
        WorkingGroupPage, on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        "directory.Member", on_delete=models.CASCADE, related_name="working_groups"
    )
    joined_at = models.DateTimeField("参加日", auto_now_add=True)

    class Meta:
        verbose_name = "分科会への参加"
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="one_membership_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.member} / {self.group}"


class Audience(models.TextChoices):
    MEMBERS = "members", _("会員団体向け")
    EVERYONE = "everyone", _("どなたでも")


class PlatformEventPage(Page):
    """A PF event the 事務局 runs (研修・全体会・分科会の会合), not a member's listing."""

    starts_at = models.DateTimeField("開始")
    ends_at = models.DateTimeField("終了", null=True, blank=True)
    venue = models.CharField("会場", max_length=200, blank=True)
    online_url = models.URLField("オンライン参加の URL", blank=True)
    audience = models.CharField(
        "対象", max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    lead = models.TextField("リード文", blank=True)
    body = body_field()

    objects = PageManager.from_queryset(PublicPageQuerySet)()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("venue"),
                FieldPanel("online_url"),
                FieldPanel("audience"),
            ],
            heading="日時と会場",
        ),
        FieldPanel("lead"),
        FieldPanel("body"),
    ]
    parent_page_types = ["website.HomePage", "website.StandardPage", "website.WorkingGroupPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "PF のイベント（研修・全体会）"


def working_groups() -> PublicPageQuerySet:
    """The 分科会 a member may join: live and public, by title."""
    return WorkingGroupPage.objects.live().public().order_by("title")


def join(group: WorkingGroupPage, member: Any) -> bool:
    """Add member to group; False when it was already in (joining twice changes nothing).

    Who may join for an organisation is access.can_manage_member (its editors, while approved).
    """
    _, created = WorkingGroupMembership.objects.get_or_create(group=group, member=member)
    return created


def leave(group: WorkingGroupPage, member: Any) -> bool:
    """Take member out of group; False when it was not in."""
    deleted, _ = WorkingGroupMembership.objects.filter(group=group, member=member).delete()
    return bool(deleted)
