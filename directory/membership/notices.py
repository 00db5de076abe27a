"""The 事務局's reasoned notices to a member: recorded, mailed, shown on its dashboard.

Suspending, reinstating or withdrawing a member (lifecycle.transition) and the 事務局
unpublishing one of its pages (directory.wagtail_admin.notices) each need a reason. The reason
is stored as a MemberNotice (about the organisation, never a person), mailed to the 団体メール
and to the member's editors, and listed on the member's admin dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from wagtail.models import Page

from directory.listings.freshness import editor_addresses
from directory.models import Member, MemberNotice

REASON_MISSING = (
    "理由を書いてください。団体の編集者にメールで届き、団体のダッシュボードにも表示されます。"
)
LATEST = 5  # how many notices the member's dashboard shows
EMAIL = "directory/membership/email/"


def notice_addresses(member: Member) -> list[str]:
    """Who hears of the 事務局's action: the 団体メール and every editor, each once."""
    return list(dict.fromkeys(a for a in (member.email, *editor_addresses(member)) if a))


def record(member: Member, kind: str, reason: str, page: Page | None = None) -> MemberNotice:
    """Store one notice; an empty reason or one holding personal information is refused."""
    notice = MemberNotice(
        member=member,
        kind=kind,
        reason=reason.strip(),
        page=page,
        page_title=page.title if page is not None else "",
    )
    notice.full_clean()
    notice.save()
    return notice


def mail(member: Member, template: str, context: dict) -> bool | None:
    """Send `template` to notice_addresses(); None if there is nobody to tell, False on failure."""
    from directory.membership.lifecycle import send_templated_mail

    addresses = notice_addresses(member)
    if not addresses:
        return None
    context = {"member": member, "site_name": settings.WAGTAIL_SITE_NAME, **context}
    sent = [
        send_templated_mail(template, context, address, "membership notice", member)
        for address in addresses
    ]
    return all(sent)


def mail_unpublished(notice: MemberNotice) -> bool | None:
    return mail(notice.member, EMAIL + "unpublished.txt", {"notice": notice})


def latest_for(members: Iterable[Member]) -> QuerySet[MemberNotice]:
    """The newest notices of these members (a member's editors see their own only)."""
    return MemberNotice.objects.filter(member__in=list(members))[:LATEST]
