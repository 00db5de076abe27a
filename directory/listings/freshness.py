"""情報の最終確認日 (`last_verified`): when a person last confirmed that a listing is still true.

One rule, called from every path: a person publishing a listing, or pressing
「内容を確認しました」, confirms it today (`mark_verified`). Imports publish without a person
(`revision.user` is None), so an imported listing keeps the date its source gives, or none
with a 要確認 note — a file being read again does not mean anyone looked at the place.
Listings not confirmed for `REMIND_AFTER` days are reminded (`manage.py remind_stale`) and
listed for the 事務局; after a year the public page warns (listing_tags.is_stale).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import LogActionRegistry, log
from wagtail.models import ModelLogEntry, Page, Revision

if TYPE_CHECKING:
    from directory.models import ListingPage, Member

logger = logging.getLogger(__name__)

REMIND_AFTER = timedelta(days=180)


def mark_verified(page: ListingPage, day: date | None = None) -> date:
    """Set 最終確認日 to `day` (today) on the page and its latest revision, without a new one.

    Updated in place rather than saved as a revision: confirming changes no content, and a
    revision would count as an edit in the history. The latest revision is updated as well so
    the editor (which opens the latest revision) shows the same date and the next publish does
    not carry the old one back.
    """
    day = day or timezone.localdate()
    type(page).objects.filter(pk=page.pk).update(last_verified=day)
    page.last_verified = day
    revision_id = page.latest_revision_id
    if revision_id is not None:
        revision = Revision.objects.filter(pk=revision_id).first()
        if revision is not None and isinstance(revision.content, dict):
            revision.content["last_verified"] = day.isoformat()
            Revision.objects.filter(pk=revision_id).update(content=revision.content)
    return day


def verify_on_publish(
    sender: Any, instance: Page, revision: Revision | None = None, **kwargs: Any
) -> None:
    """page_published receiver: a person who publishes a listing has just confirmed it."""
    from directory.models import ListingPage

    if isinstance(instance, ListingPage) and revision is not None and revision.user_id:
        mark_verified(instance)


def stale_cutoff(today: date | None = None, after: timedelta = REMIND_AFTER) -> date:
    """Listings last confirmed before this day (or never) are stale."""
    return (today or timezone.localdate()) - after


def stale_filter(today: date | None = None, after: timedelta = REMIND_AFTER) -> Q:
    """The one statement of "not confirmed for `after`" — never confirmed counts too."""
    return Q(last_verified__isnull=True) | Q(last_verified__lt=stale_cutoff(today, after))


def stale_listings(today: date | None = None, after: timedelta = REMIND_AFTER) -> list[ListingPage]:
    """Live listings of every type not confirmed for `after`, oldest (and never) first."""
    from directory.models.listings import listing_page_models

    found: list[ListingPage] = []
    for model in listing_page_models():
        found.extend(model.objects.live().filter(stale_filter(today, after)))
    return sorted(found, key=lambda page: (page.last_verified or date.min, page.title))


def stale_by_member(
    today: date | None = None, after: timedelta = REMIND_AFTER
) -> dict[Member, list[ListingPage]]:
    """The stale listings of each member (listings are children of its MemberPage)."""
    from directory.models import MemberPage

    by_path: dict[str, list[ListingPage]] = defaultdict(list)
    for page in stale_listings(today, after):
        by_path[page.path[: -Page.steplen]].append(page)
    owners = MemberPage.objects.filter(path__in=by_path).select_related("member")
    return {owner.member: by_path[owner.path] for owner in owners}


REMINDER_ACTION = "directory.stale_reminder"
SUMMARY_ACTION = "directory.stale_summary"
REMINDER_TEMPLATE = "directory/membership/email/stale_reminder.txt"
SUMMARY_TEMPLATE = "directory/membership/email/stale_summary.txt"


def register_log_actions(actions: LogActionRegistry) -> None:
    """register_log_actions: the reminders appear in the member's and the group's history."""
    actions.register_action(REMINDER_ACTION, "確認のお願いを送信", "確認のお願いを送信しました")
    actions.register_action(SUMMARY_ACTION, "確認状況の一覧を送信", "確認状況の一覧を送信しました")


@dataclass
class ReminderRun:
    """What one `remind_stale` run did (the command prints it)."""

    reminded: list[Member] = field(default_factory=list)
    already: list[Member] = field(default_factory=list)
    without_editors: list[Member] = field(default_factory=list)
    failed: list[Member] = field(default_factory=list)
    summary_sent: bool = False


def _sent_today(instance: models.Model, action: str, today: date) -> bool:
    """Whether `action` was logged for `instance` today: each mail goes once a day at most."""
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        action=action,
        timestamp__date=today,
    ).exists()


def _addresses(users: QuerySet[Any]) -> list[str]:
    return sorted({u.email for u in users.filter(is_active=True).exclude(email="")})


def editor_addresses(member: Member) -> list[str]:
    """The member's editors' addresses (accounts in its group), never the 事務局's."""
    if member.group_id is None:
        return []
    return _addresses(get_user_model().objects.filter(groups=member.group_id))


def secretariat_addresses() -> list[str]:
    from directory.membership.lifecycle import ensure_secretariat_group

    return _addresses(get_user_model().objects.filter(groups=ensure_secretariat_group()))


def send_reminders(today: date | None = None) -> ReminderRun:
    """Mail each member's editors its stale listings, and the 事務局 a summary; once a day.

    Run daily (docs/deployment.md). A second run on the same day sends nothing again: each
    mail is logged (ModelLogEntry) and skipped when today's entry exists.
    """
    from directory.membership.lifecycle import ensure_secretariat_group, send_templated_mail

    today = today or timezone.localdate()
    run = ReminderRun()
    stale = stale_by_member(today)
    site_name = settings.WAGTAIL_SITE_NAME
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    for member, listings in sorted(stale.items(), key=lambda item: item[0].name):
        if _sent_today(member, REMINDER_ACTION, today):
            run.already.append(member)
            continue
        addresses = editor_addresses(member)
        if not addresses:
            run.without_editors.append(member)
            continue
        context = {
            "member": member,
            "site_name": site_name,
            "listings": [(page, _edit_url(base_url, page)) for page in listings],
            "days": REMIND_AFTER.days,
        }
        sent = [
            send_templated_mail(REMINDER_TEMPLATE, context, address, "stale reminder", member)
            for address in addresses
        ]
        if any(sent):
            log(member, REMINDER_ACTION, data={"listings": len(listings)})
            run.reminded.append(member)
        else:
            run.failed.append(member)
    group = ensure_secretariat_group()
    if stale and not _sent_today(group, SUMMARY_ACTION, today):
        context = {
            "site_name": site_name,
            "rows": [(m, len(pages), m in run.without_editors) for m, pages in stale.items()],
            "total": sum(len(pages) for pages in stale.values()),
            "days": REMIND_AFTER.days,
            "report_url": base_url + reverse("directory_stale_listings"),
        }
        if _send_summary(context, secretariat_addresses()):
            log(group, SUMMARY_ACTION, data={"listings": context["total"]})
            run.summary_sent = True
    return run


def _edit_url(base_url: str, page: Page) -> str:
    return base_url + reverse("wagtailadmin_pages:edit", args=[page.pk])


def _send_summary(context: dict[str, Any], addresses: list[str]) -> bool:
    """The 事務局's summary: one mail to all its accounts; False if the server failed."""
    if not addresses:
        return False
    subject, _, body = render_to_string(SUMMARY_TEMPLATE, context).partition("\n")
    try:
        send_mail(subject.strip(), body.lstrip("\n"), None, addresses)
    except OSError:
        logger.warning("stale summary could not be sent")
        return False
    return True
