"""Telling the owning member's editors about a resident report (on arrival, or forwarded).

The mail names the listing, the reason and where to answer in the admin; the resident's own
words stay in the admin (they are read there, next to the status and the reply note). A mail
that cannot be delivered — no editor, or the mail server failing — never loses the report: it
is saved first, the failure is logged without its text, and `notice_failed` tells the 事務局
to pass it on by other means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from directory.listings.freshness import editor_addresses
from directory.membership.lifecycle import send_templated_mail

if TYPE_CHECKING:
    from directory.models import ListingReport, Member

RECEIVED_TEMPLATE = "directory/reports/email/report_received.txt"
FORWARDED_TEMPLATE = "directory/reports/email/report_forwarded.txt"


def owning_member(page: Page) -> Member | None:
    """The member whose page the listing sits under (listings are children of a MemberPage)."""
    from directory.models import MemberPage

    owner = MemberPage.objects.filter(path=page.path[: -Page.steplen]).select_related("member")
    found = owner.first()
    return found.member if found is not None else None


def report_edit_url(report: ListingReport) -> str:
    viewset = report.snippet_viewset  # type: ignore[attr-defined]
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base_url + reverse(viewset.get_url_name("edit"), args=[report.pk])


def notify_editors(report: ListingReport, *, forward_note: str | None = None) -> int:
    """Mail the report to its member's editors; the number of editors reached.

    `forward_note` given means the 事務局 is forwarding it: the note is kept on the report
    and goes with the mail. `notice_failed` records whether nobody could be reached.
    """
    member = owning_member(report.page)
    context = {
        "report": report,
        "member": member,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "url": report_edit_url(report),
        "forward_note": forward_note or "",
    }
    template = RECEIVED_TEMPLATE if forward_note is None else FORWARDED_TEMPLATE
    reached = 0
    if member is not None:
        reached = sum(
            send_templated_mail(template, context, address, "report notice", member)
            for address in editor_addresses(member)
        )
    report.notice_failed = reached == 0
    fields = ["notice_failed"]
    if forward_note is not None:
        report.forward_note, report.forwarded_at = forward_note, timezone.now()
        fields += ["forward_note", "forwarded_at"]
    report.save(update_fields=fields)
    return reached
