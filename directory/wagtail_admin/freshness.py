"""「内容を確認しました」 and the 事務局's 「確認が古い掲載」 report.

The rule (what confirming does, what is stale) is directory.listings.freshness; who may confirm
is directory.membership.access. These views ask, apply and list.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import Button
from wagtail.models import Page

from directory.listings import freshness
from directory.membership import access

VERIFY_URL_NAME = "directory_verify_listing"
STALE_REPORT_URL_NAME = "directory_stale_listings"
VERIFY_LABEL = "内容を確認しました"


def date_text(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "未確認"


class VerifyListingView(WagtailAdminTemplateMixin, View):
    """GET asks 「いまの内容が正しいことを確認しましたか」; POST sets 最終確認日 to today."""

    template_name = "directory/admin/verify_listing.html"
    header_icon = "tick"
    page_title = VERIFY_LABEL

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not access.can_verify_listing(request.user, self.page):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.page.title

    def next_url(self) -> str:
        wanted = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(wanted, allowed_hosts={self.request.get_host()}):
            return wanted
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(
            page=self.page,
            last_verified=date_text(self.page.last_verified),
            next_url=self.next_url(),
        )
        return self.render_to_response(context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        day = freshness.mark_verified(self.page)
        messages.success(
            request, f"「{self.page.title}」の最終確認日を{date_text(day)}にしました。"
        )
        return redirect(self.next_url())


def _verify_button(page: Page, user: Any, next_url: str | None, priority: int) -> list[Button]:
    if not access.can_verify_listing(user, page):
        return []
    url = reverse(VERIFY_URL_NAME, args=[page.pk])
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return [Button(VERIFY_LABEL, url=url, icon_name="tick", priority=priority)]


def verify_header_button(
    page: Page, user: Any, view_name: str, next_url: str | None = None
) -> list[Button]:
    """register_page_header_buttons: the action in the editor header's menu."""
    return _verify_button(page, user, next_url, priority=5)


def verify_listing_button(page: Page, user: Any, next_url: str | None = None) -> list[Button]:
    """register_page_listing_more_buttons: the action in the explorer row's menu."""
    return _verify_button(page, user, next_url, priority=3)


class StaleListingsView(ReportView):
    """Listings not confirmed for 180 days (or never), by 最終確認日, not by publish date."""

    page_title = "確認が古い掲載"
    header_icon = "time"
    index_url_name = STALE_REPORT_URL_NAME
    index_results_url_name = STALE_REPORT_URL_NAME + "_results"
    paginate_by = 100

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not access.can_see_site_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> list[Any]:
        return freshness.stale_listings()

    @property
    def columns(self) -> list[Column]:
        return [
            TitleColumn(
                "title",
                label="掲載",
                get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
            ),
            Column("member", label="会員団体", accessor=lambda page: page.get_parent().title),
            Column(
                "last_verified",
                label="最終確認日",
                accessor=lambda page: date_text(page.last_verified),
            ),
        ]


def admin_urls() -> list[Any]:
    """register_admin_urls: the confirmation view and the report."""
    return [
        path("listings/<int:page_id>/verify/", VerifyListingView.as_view(), name=VERIFY_URL_NAME),
        path("reports/stale-listings/", StaleListingsView.as_view(), name=STALE_REPORT_URL_NAME),
        path(
            "reports/stale-listings/results/",
            StaleListingsView.as_view(results_only=True),
            name=STALE_REPORT_URL_NAME + "_results",
        ),
    ]


def stale_report_menu_item() -> Any:
    """register_reports_menu_item: 「確認が古い掲載」 for the 事務局."""
    from wagtail.admin.menu import MenuItem

    class StaleReportMenuItem(MenuItem):
        def is_shown(self, request: HttpRequest) -> bool:
            return access.can_see_site_reports(request.user)

    return StaleReportMenuItem(
        "確認が古い掲載", reverse(STALE_REPORT_URL_NAME), icon_name="time", order=650
    )
