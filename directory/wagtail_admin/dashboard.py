"""The admin home (ダッシュボード): what each user has to do next, instead of bare counts.

A member's editors see the 事務局's latest notices to them (with the reason), their own
listings (status, 最終確認日), the stale ones, open resident reports, upcoming events and listings an import flagged 要確認 (`review_notes`); the 事務局
sees pending applications, reports by status, stale listings per member and members without
editors. Everything a member panel lists comes from that member's own page subtree or from
access.reports_visible_to, so another member's data cannot appear. "Stale" is
directory.listings.freshness's one rule. Each query covers all listings at once (one per
listing model), so the page costs the same number of queries however many listings there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from directory.listings import freshness
from directory.membership import access, notices
from directory.models import (
    EventPage,
    ListingPage,
    ListingReport,
    Member,
    MemberPage,
    MemberStatus,
)
from directory.models.listings import listing_page_models
from directory.wagtail_admin.freshness import STALE_REPORT_URL_NAME, VERIFY_URL_NAME, date_text

# How far ahead 「これからのイベント」 looks, and how many rows each list shows.
UPCOMING_DAYS = 60
ROWS = 10


def publication_label(page: ListingPage) -> str:
    """公開中 / 下書き, and whether a published page has changes not yet published."""
    if not page.live:
        return "下書き"
    return "公開中（未公開の変更あり）" if page.has_unpublished_changes else "公開中"


@dataclass
class ListingRow:
    page: ListingPage
    is_stale: bool

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])

    @property
    def verify_url(self) -> str:
        return (
            reverse(VERIFY_URL_NAME, args=[self.page.pk]) + "?next=" + reverse("wagtailadmin_home")
        )

    @property
    def kind_label(self) -> str:
        return str(self.page._meta.verbose_name)

    @property
    def publication(self) -> str:
        return publication_label(self.page)

    @property
    def last_verified(self) -> str:
        return date_text(self.page.last_verified)


def listings_under(member_pages: Sequence[MemberPage]) -> list[ListingRow]:
    """Every listing (draft or live) of these member pages, with freshness's stale mark."""
    if not member_pages:
        return []
    children = reduce(or_, (Q(path__startswith=mp.path, depth=mp.depth + 1) for mp in member_pages))
    stale = Case(
        When(Q(live=True) & freshness.stale_filter(), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    rows = [
        ListingRow(page, page.stale)
        for model in listing_page_models()
        for page in model.objects.filter(children).annotate(stale=stale)
    ]
    return sorted(rows, key=lambda row: row.page.title)


@dataclass
class UpcomingEvent:
    row: ListingRow
    day: date

    @property
    def day_text(self) -> str:
        return date_text(self.day)


def upcoming_events(rows: list[ListingRow], today: date) -> list[UpcomingEvent]:
    """Live events with a session in the next UPCOMING_DAYS, soonest first."""
    found = []
    for row in rows:
        if isinstance(row.page, EventPage) and row.page.live:
            sessions = row.page.next_occurrences(count=1)
            if sessions and sessions[0].day <= today + timedelta(days=UPCOMING_DAYS):
                found.append(UpcomingEvent(row, sessions[0].day))
    return sorted(found, key=lambda event: event.day)


def report_url(name: str, *args: Any) -> str:
    viewset = ListingReport.snippet_viewset  # type: ignore[attr-defined]
    return reverse(viewset.get_url_name(name), args=args)


def pending_reports(user: Any) -> QuerySet[ListingReport]:
    reports = ListingReport.objects.filter(status__in=ListingReport.PENDING)
    return access.reports_visible_to(user, reports).select_related("page")


class MemberDashboardPanel(Component):
    """A member's editors: their listings and what needs doing about them."""

    name = "member_dashboard"
    order = 50
    template_name = "directory/admin/dashboard/member.html"

    def __init__(self, members: Sequence[Member]) -> None:
        self.members = members

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        request = (parent_context or {})["request"]
        member_pages = list(MemberPage.objects.filter(member__in=self.members))
        rows = listings_under(member_pages)
        stale = [row for row in rows if row.is_stale]
        review = [row for row in rows if row.page.review_notes.strip()]
        reports = pending_reports(request.user)
        return {
            "members": self.members,
            "notices": notices.latest_for(self.members),
            "member_pages": member_pages,
            "rows": rows[:ROWS],
            "row_count": len(rows),
            "stale": stale,
            "stale_days": freshness.REMIND_AFTER.days,
            "review": review,
            "events": upcoming_events(rows, timezone.localdate())[:ROWS],
            "upcoming_days": UPCOMING_DAYS,
            "reports": [(report, report_url("edit", report.pk)) for report in reports[:ROWS]],
            "report_count": reports.count(),
            "report_list_url": report_url("list"),
        }


def stale_counts_by_member() -> list[tuple[Member, int]]:
    """How many live listings of each member are stale: counted in the database, per model."""
    counts: dict[str, int] = defaultdict(int)
    for model in listing_page_models():
        grouped = (
            model.objects.live()
            .filter(freshness.stale_filter())
            .annotate(owner_path=Substr("path", 1, Length("path") - Page.steplen))
            .order_by()  # no default ordering, which would group by path
            .values("owner_path")
            .annotate(stale=Count("pk"))
        )
        for row in grouped:
            counts[row["owner_path"]] += row["stale"]
    owners = MemberPage.objects.filter(path__in=counts).select_related("member")
    return [(owner.member, counts[owner.path]) for owner in owners]


@dataclass
class StatusCount:
    label: str
    count: int
    url: str


class SecretariatDashboardPanel(Component):
    """The 事務局: admission, reports, freshness across members, members nobody edits."""

    name = "secretariat_dashboard"
    order = 50
    template_name = "directory/admin/dashboard/secretariat.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        from directory.wagtail_admin.viewsets import member_snippets

        members = member_snippets()
        applications = Member.objects.filter(status=MemberStatus.APPLIED).order_by("applied_at")
        counts = ListingReport.objects.aggregate(
            failed=Count("pk", filter=Q(notice_failed=True, status__in=ListingReport.PENDING)),
            **{s.value: Count("pk", filter=Q(status=s.value)) for s in ListingReport.Status},
        )
        stale = sorted(stale_counts_by_member(), key=lambda item: (-item[1], item[0].name))
        without_editors = (
            Member.objects.filter(status=MemberStatus.APPROVED, group__isnull=False)
            .annotate(editors=Count("group__user"))
            .filter(editors=0)
            .order_by("kana", "name")
        )
        list_url = report_url("list")
        return {
            "applications": [
                (m, reverse(members.get_url_name("edit"), args=[m.pk])) for m in applications[:ROWS]
            ],
            "application_count": applications.count(),
            "report_counts": [
                StatusCount(s.label, counts[s.value], f"{list_url}?status={s.value}")
                for s in ListingReport.Status
            ],
            "failed_notices": counts["failed"],
            "report_list_url": list_url,
            "stale": stale,
            "stale_days": freshness.REMIND_AFTER.days,
            "stale_report_url": reverse(STALE_REPORT_URL_NAME),
            "without_editors": [
                (m, reverse(members.get_url_name("editors"), args=[m.pk])) for m in without_editors
            ],
        }


def dashboard_panels(request: HttpRequest, panels: list[Any]) -> None:
    """construct_homepage_panels: the 事務局's panel, or the panel of the user's member."""
    if access.is_secretariat(request.user):
        panels.append(SecretariatDashboardPanel())
        return
    members = list(access.member_of(request.user))
    if members:
        panels.append(MemberDashboardPanel(members))


def drop_summary_counts(request: HttpRequest, items: list[Any]) -> None:
    """construct_homepage_summary_items: the panels say what to do; bare counts did not."""
    items.clear()
