"""The members section of the page tree: /members/ and one MemberPage per approved member.

A member's listings are children of its MemberPage, so one page-permission grant on that page
gives the member's editors rights over exactly their own content.
"""

from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from directory.models.members import MemberStatus
from directory.wagtail_admin.media import OwnMediaPageForm


class MemberPageQuerySet(PageQuerySet):
    """Which member pages the public sees: the same rule as listings' `for_open_data()`."""

    def for_residents(self) -> "MemberPageQuerySet":
        """Live, public (no password or login restriction), of an approved member."""
        return self.live().public().filter(member__status=MemberStatus.APPROVED)


MemberPageManager = PageManager.from_queryset(MemberPageQuerySet)


class MemberIndexPage(Page):
    """/members/ — the list of member organisations."""

    intro = models.TextField("紹介文", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["directory.MemberPage"]
    max_count = 1
    MEMBERS_PER_PAGE = 30

    class Meta:
        verbose_name = "会員団体一覧ページ"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """One page of members in よみがな order; a bad or too large ?page= shows a valid page."""
        context = super().get_context(request, *args, **kwargs)
        member_pages = (
            MemberPage.objects.child_of(self)
            .for_residents()
            .select_related("member")
            .order_by("member__kana", "pk")
        )
        paginator = Paginator(member_pages, self.MEMBERS_PER_PAGE)
        context["paginator"] = paginator
        context["member_pages"] = paginator.get_page(request.GET.get("page"))
        return context


class MemberPage(Page):
    """A member's public profile at /members/<slug>/ and the parent of its listings."""

    member = models.OneToOneField(
        "directory.Member", verbose_name="団体", on_delete=models.PROTECT, related_name="page"
    )
    intro = models.TextField(
        "ページの紹介文", blank=True, help_text="団体紹介に加えて表示する文章。"
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="画像",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The member link is set by the 事務局 when the member is approved, never in the editor.
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("image")]
    base_form_class = OwnMediaPageForm
    parent_page_types = ["directory.MemberIndexPage"]
    subpage_types = ["directory.PlacePage", "directory.ServicePage", "directory.EventPage"]

    objects = MemberPageManager()

    class Meta:
        verbose_name = "会員団体ページ"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from directory.models.listings import published_listings_under

        context = super().get_context(request, *args, **kwargs)
        context["listings"] = published_listings_under(self)
        return context
