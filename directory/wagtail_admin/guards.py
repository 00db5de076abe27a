"""Admin hooks and the admin middleware: where directory.membership.access meets Wagtail.

Wagtail checks page permissions before it *changes* a page, but several of its admin views
load a page named in the URL and show its title before any check (the move confirmation, the
workflow preview's error, the page chooser's parent, chosen-multiple, bulk-action
confirmations). AdminPageAccessMiddleware answers 404 for those when the user may not see the
page, so one rule (access.pages_visible_to) covers every such view, including new ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.models import Page

from directory.membership import access, lifecycle
from directory.models import Member, MemberPage
from directory.wagtail_admin.viewsets import member_snippets

# URL keyword arguments of Wagtail's admin views that name a page.
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
# Admin views that name pages as ?id=… parameters.
PAGE_ID_LIST_VIEWS = {"wagtailadmin_choose_page_chosen_multiple", "wagtail_bulk_action"}
# Site-wide reports that count or name every member's pages.
SITE_REPORT_VIEWS = {"page_types_usage", "page_types_usage_results"}


def _page_ids(request: HttpRequest, url_name: str, kwargs: dict[str, Any]) -> list[str]:
    ids = [str(kwargs[name]) for name in PAGE_KWARGS if name in kwargs]
    if url_name in PAGE_ID_LIST_VIEWS and kwargs.get("model_name", "page") == "page":
        ids += request.GET.getlist("id")
    return ids


class AdminPageAccessMiddleware:
    """404 for an admin URL naming a page the user may not see; 403 for site-wide reports."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> None:
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or not request.path.startswith(reverse("wagtailadmin_home")):
            return
        if user is None or access.is_secretariat(user):
            return
        if "wagtailadmin_reports" in match.namespaces and match.url_name in SITE_REPORT_VIEWS:
            if not access.can_see_site_reports(user):
                raise PermissionDenied
            return
        ids = _page_ids(request, match.url_name or "", kwargs)
        if not ids:
            return
        wanted = {int(pk) for pk in ids if pk.isdigit()}
        visible = access.pages_visible_to(user, Page.objects.filter(pk__in=wanted))
        if len(wanted) != visible.count():
            raise Http404("ページが見つかりません。")


def member_pages_come_from_admission(
    request: HttpRequest, parent_page: Page, page_class: type[Page]
) -> HttpResponse | None:
    """A MemberPage needs its Member, group and collection: only approval creates one.

    Adding one by hand in the page tree used to fail with a database error (no member).
    """
    if not issubclass(page_class, MemberPage):
        return None
    messages.warning(
        request,
        "団体ページは、会員団体を承認すると自動で作られます。「PF の管理」→「会員団体」から承認してください。",
    )
    return redirect(member_snippets().get_url_name("list"))


MEMBER_PAGE_DELETE_MESSAGE = "団体ページは削除できません。団体の掲載をやめる場合は、事務局に退会・一時停止を依頼してください。"


def keep_member_pages(request: HttpRequest, page: Page) -> HttpResponse | None:
    """before_delete_page: a member's own page goes only with the 事務局's decision."""
    if access.can_delete_page(request.user, page):
        return None
    messages.error(request, MEMBER_PAGE_DELETE_MESSAGE)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


def keep_member_pages_in_bulk(
    request: HttpRequest, action_type: str, objects: list[Any], action: Any
) -> HttpResponse | None:
    """before_bulk_action: the same rule for the bulk delete."""
    if action_type != "delete":
        return None
    for page in objects:
        if isinstance(page, Page) and not access.can_delete_page(request.user, page):
            messages.error(request, MEMBER_PAGE_DELETE_MESSAGE)
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def keep_members_with_pages_in_bulk(
    request: HttpRequest, action_type: str, objects: list[Any], action: Any
) -> HttpResponse | None:
    """before_bulk_action: members with a page tree are withdrawn, not deleted (no 500)."""
    if action_type != "delete":
        return None
    for member in objects:
        refusal = isinstance(member, Member) and lifecycle.deletion_refusal(member)
        if refusal:
            messages.error(request, refusal)
            return redirect(member_snippets().get_url_name("list"))
    return None


def pages_for_chooser(pages: Any, request: HttpRequest) -> Any:
    """construct_page_chooser_queryset: only pages the user may see and use."""
    return access.pages_choosable_by(request.user, pages)


def hide_site_reports(request: HttpRequest, items: list[Any]) -> None:
    """construct_reports_menu: no site-wide report links for member editors."""
    if not access.can_see_site_reports(request.user):
        items[:] = [item for item in items if item.name != "page-types-usage"]
