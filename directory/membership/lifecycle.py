"""Membership lifecycle: one transition table, and the effects of each transition.

Admitting a member gives it a page, an editor group and a collection; suspending or
withdrawing takes them away. Every member's editors get the same rights over their own
subtree, whatever their role (幹事団体 or 一般団体): 水平的連携 means no member can touch
another's content.

The admin's decision buttons, the public application form and both importers go through
`transition()`, which checks TRANSITIONS (what each step is allowed from) and writes a Wagtail
log entry (the member's history in the admin), so no path can skip a check or leave no trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.admin.utils import get_admin_base_url
from wagtail.log_actions import LogActionRegistry
from wagtail.log_actions import log as log_action
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from directory.membership import notices
from directory.membership.access import SECRETARIAT_GROUP
from directory.models import (
    Member,
    MemberIndexPage,
    MemberPage,
    MemberStatus,
    listing_page_models,
)
from directory.page_tree import add_new_page

if TYPE_CHECKING:
    from website.models import PlatformSettings

# Everything an editor needs on its own subtree; not bulk_delete, so the MemberPage itself
# (which always has children once listings exist) cannot be deleted wholesale.
MEMBER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
MEMBER_COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image", "delete_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document", "delete_document"),
}
__all__ = ["SECRETARIAT_GROUP", "TRANSITIONS", "TransitionRefused", "transition"]
logger = logging.getLogger(__name__)


def member_group_name(member: Member) -> str:
    return f"会員: {member.name} ({member.slug})"


def _permissions(app_label: str, codenames: tuple[str, ...]) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def _member_permissions() -> tuple[Permission, list[Permission], list[Permission]]:
    """access_admin, the page and the collection permissions of an editor group, in one query."""
    apps = ("wagtailadmin", "wagtailcore", *MEMBER_COLLECTION_PERMISSIONS)
    codenames = [
        "access_admin",
        *MEMBER_PAGE_PERMISSIONS,
        *(c for names in MEMBER_COLLECTION_PERMISSIONS.values() for c in names),
    ]
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.filter(
            content_type__app_label__in=apps, codename__in=codenames
        ).select_related("content_type")
    }
    page = [found[key] for c in MEMBER_PAGE_PERMISSIONS if (key := ("wagtailcore", c)) in found]
    collection = [
        found[key]
        for app_label, names in MEMBER_COLLECTION_PERMISSIONS.items()
        for c in names
        if (key := (app_label, c)) in found
    ]
    return found[("wagtailadmin", "access_admin")], page, collection


def _append_collection(name: str) -> Collection:
    """A new top-level collection after the last one, in the order members are admitted.

    Collection sorts its children by name (node_order_by), and treebeard keeps that order by
    renumbering every later sibling's path on each insert — one UPDATE per member already
    admitted, so an import of thousands of new organisations grew quadratically. This is
    treebeard's own append for unsorted trees (MP_AddChildHandler), parent row locked alike;
    a collection the 事務局 adds later by hand is still inserted by name.
    """
    root = Collection.objects.select_for_update().get(pk=Collection.get_first_root_node().pk)
    last = root.get_children().order_by("-path").first()  # not by name: by position
    depth = root.depth + 1
    path = last._inc_path() if last else Collection._get_path(root.path, depth, 1)
    collection = Collection(name=name, depth=depth, path=path)
    collection.save()
    Collection.objects.filter(pk=root.pk).update(numchild=F("numchild") + 1)
    return collection


@transaction.atomic
def provision_member(member: Member) -> MemberPage:
    """Create (or repair) the member's page, group, collection and permissions. Idempotent.

    Each kind of permission is read once and only the missing grants are inserted (in bulk),
    so admitting the hundreds of new organisations of one import stays cheap.
    """
    page = MemberPage.objects.filter(member=member).first()
    if page is None:
        page = _add_member_page(member)
        page.latest_revision.publish()

    access_admin, page_permissions, collection_permissions = _member_permissions()
    group = member.group or Group.objects.create(name=member_group_name(member))
    group.permissions.add(access_admin)
    _grant_missing(GroupPagePermission, group, page_permissions, page=page)
    collection = member.collection or _append_collection(member_group_name(member))
    _grant_missing(GroupCollectionPermission, group, collection_permissions, collection=collection)

    if member.group_id != group.pk or member.collection_id != collection.pk:
        member.group, member.collection = group, collection
        member.save(update_fields=["group", "collection"])
    return page


def _add_member_page(member: Member) -> MemberPage:
    """The member's page as a draft (published by provision_member or at approval)."""
    index = MemberIndexPage.objects.get()
    page = add_new_page(
        index, MemberPage(title=member.name, slug=member.slug, member=member, live=False)
    )
    page.save_revision(clean=False)  # add_child has just validated it
    return page


def _grant_missing(
    model: type[GroupPagePermission] | type[GroupCollectionPermission],
    group: Group,
    permissions: Iterable[Permission],
    **target: Any,
) -> None:
    """Add the group's grants on `target` (page= or collection=) it lacks, in one insert."""
    granted = set(
        model.objects.filter(group=group, **target).values_list("permission_id", flat=True)
    )
    model.objects.bulk_create(
        model(group=group, permission=permission, **target)
        for permission in permissions
        if permission.pk not in granted
    )


@transaction.atomic
def approve_member(member: Member) -> MemberPage:
    """The 事務局 admits (or reinstates) a member: its page, editor group and rights return.

    A reinstated member's profile page is published again; its listings stay drafts until its
    own editors have checked and republished them (they may have gone stale meanwhile). An
    applicant an import registered has a draft page already, still under the slug the 事務局
    may have changed since; the listings the import meant to publish are published now.
    """
    member.status = MemberStatus.APPROVED
    member.approved_at = member.approved_at or timezone.now()
    member.save(update_fields=["status", "approved_at"])
    page = provision_member(member)
    if not page.live:
        revision = page.get_latest_revision()
        if revision is None or (page.first_published_at is None and page.slug != member.slug):
            draft = page.get_latest_revision_as_object()
            draft.slug = member.slug  # publishing moves its listings' url_path too
            revision = draft.save_revision(clean=False)
        revision.publish()
        page.refresh_from_db()
    _publish_awaiting_listings(page)
    return page


def _publish_awaiting_listings(page: MemberPage) -> None:
    """Publish what an import saved for this member while it was 申請中 (not its drafts).

    The HSDS ids the import wrote beside its revision (not in it) are kept: publishing
    restores the listing from the revision, which holds them without that revision's id.
    """
    for model in listing_page_models():
        awaiting = model.objects.child_of(page).filter(publish_on_approval=True)
        for listing in awaiting:
            (listing.get_latest_revision() or listing.save_revision()).publish()
            model.objects.filter(pk=listing.pk).update(hsds_source=listing.hsds_source)
        awaiting.update(publish_on_approval=False)


def decline_member(member: Member) -> None:
    """The 事務局 does not admit an applicant; the record stays for the 事務局's history."""
    member.status = MemberStatus.DECLINED
    member.save(update_fields=["status"])


@transaction.atomic
def suspend_member(member: Member, user: AbstractBaseUser | None = None) -> None:
    """Pause a member: its editors lose every right and its pages leave the public site.

    The editor group keeps its users but loses its permissions, so approve_member() can give
    them back; the pages stay in the tree as drafts (nothing is deleted).
    """
    _close_member(member, MemberStatus.SUSPENDED, user)


@transaction.atomic
def withdraw_member(member: Member, user: AbstractBaseUser | None = None) -> None:
    """A member leaves the PF: same effect as a suspension, recorded as 退会."""
    _close_member(member, MemberStatus.WITHDRAWN, user)


def deletion_refusal(member: Member) -> str | None:
    """Why a member cannot be deleted, or None.

    Its page tree holds listings, revisions and history (MemberPage.member is PROTECT): a
    member that stops takes part is 退会 (withdrawn), which keeps the record and hides the pages.
    """
    if not MemberPage.objects.filter(member=member).exists():
        return None
    return (
        f"「{member.name}」には団体ページと掲載があるため削除できません。"
        "活動をやめる団体は「退会」にしてください（ページは非公開になり、記録は残ります）。"
    )


def _close_member(member: Member, status: str, user: AbstractBaseUser | None) -> None:
    member.status = status
    member.save(update_fields=["status"])
    revoke_member_access(member)
    page = MemberPage.objects.filter(member=member).first()
    if page is not None and page.get_descendants(inclusive=True).live().exists():
        UnpublishPageAction(page, user=user, include_descendants=True).execute(
            skip_permission_checks=True
        )


def revoke_member_access(member: Member) -> None:
    """Remove every permission of the member's editor group (its users keep their accounts)."""
    if member.group is None:
        return
    GroupPagePermission.objects.filter(group=member.group).delete()
    GroupCollectionPermission.objects.filter(group=member.group).delete()
    member.group.permissions.clear()


def _apply(member: Member, user: AbstractBaseUser | None) -> None:
    """A new application: always 申請中, whatever was posted."""
    member.status = MemberStatus.APPLIED
    member.save()


def _ask_for_changes(member: Member, user: AbstractBaseUser | None) -> None:
    """The application stays 申請中; the notice asks the applicant to check and correct it."""


NEW = ""  # the status of a member not saved yet (allowed_from of "apply")
EMAIL = "directory/membership/email/"


@dataclass(frozen=True)
class Transition:
    """One step of the lifecycle: what it is allowed from, what it does, how it is worded."""

    name: str
    label: str
    question: str
    done: str
    allowed_from: tuple[str, ...]
    effect: Callable[[Member, AbstractBaseUser | None], Any]
    notice: str | None = None  # e-mail template sent to the 団体メール afterwards
    decision: bool = True  # offered to the 事務局 as a button on the member
    needs_reason: bool = False  # the 事務局 says why; the member is told (notices)

    @property
    def log_action(self) -> str:
        return f"tsunagari.member.{self.name}"


CLOSED = (MemberStatus.SUSPENDED, MemberStatus.WITHDRAWN)
IMPORTABLE = (MemberStatus.APPROVED, MemberStatus.APPLIED)  # what imports may add listings to
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            name="apply",
            label="入会を申請する",
            question="",
            done="入会を申請しました。",
            allowed_from=(NEW,),
            effect=_apply,
            decision=False,
        ),
        Transition(
            name="approve",
            label="承認する",
            question="この団体を承認し、団体ページ・編集者グループ・画像と文書のコレクションを作成しますか？",
            done="「%s」を承認しました。",
            allowed_from=(MemberStatus.APPLIED, MemberStatus.DECLINED),
            effect=lambda member, user: approve_member(member),
            notice=EMAIL + "approved.txt",
        ),
        Transition(
            name="ask_for_changes",
            label="修正を依頼する",
            question="申請内容の確認・修正を団体に依頼しますか？申請は「申請中」のまま残ります。",
            done="「%s」に申請内容の修正を依頼しました。",
            allowed_from=(MemberStatus.APPLIED,),
            effect=_ask_for_changes,
            notice=EMAIL + "changes_requested.txt",
        ),
        Transition(
            name="decline",
            label="承認しない",
            question="この申請を承認しないことにしますか？",
            done="「%s」の申請を不承認にしました。",
            allowed_from=(MemberStatus.APPLIED,),
            effect=lambda member, user: decline_member(member),
            notice=EMAIL + "declined.txt",
        ),
        Transition(
            name="suspend",
            label="一時停止する",
            question="この団体を一時停止しますか？編集者は編集できなくなり、団体ページと掲載は非公開（下書き）になります。",
            done="「%s」を一時停止しました。",
            allowed_from=(MemberStatus.APPROVED,),
            effect=lambda member, user: suspend_member(member, user),
            needs_reason=True,
            notice=EMAIL + "suspended.txt",
        ),
        Transition(
            name="reinstate",
            label="再開する",
            question="この団体の活動を再開し、編集者の権限と団体ページを戻しますか？掲載は団体が確認して公開し直すまで下書きのままです。",
            done="「%s」を再開しました。",
            allowed_from=CLOSED,
            effect=lambda member, user: approve_member(member),
            notice=EMAIL + "reinstated.txt",  # its own text: not a new member's welcome
            needs_reason=True,
        ),
        Transition(
            name="withdraw",
            label="退会にする",
            question="この団体を退会にしますか？編集者は編集できなくなり、団体ページと掲載は非公開（下書き）になります。",
            done="「%s」を退会にしました。",
            allowed_from=(MemberStatus.APPROVED, MemberStatus.SUSPENDED),
            effect=lambda member, user: withdraw_member(member, user),
            needs_reason=True,
            notice=EMAIL + "withdrawn.txt",
        ),
    )
}


class TransitionRefused(ValueError):
    """The member's status does not allow this step (the message is Japanese)."""


def current_status(member: Member) -> str:
    return NEW if member._state.adding else member.status


def decisions_for(member: Member) -> list[Transition]:
    """The 事務局's decisions that make sense from the member's current status."""
    status = current_status(member)
    return [t for t in TRANSITIONS.values() if t.decision and status in t.allowed_from]


@transaction.atomic
def transition(
    member: Member,
    name: str,
    user: AbstractBaseUser | None = None,
    *,
    source: str = "",
    reason: str = "",
) -> Any:
    """Carry out one lifecycle step if the member's status allows it, and log it.

    `source` says which path acted when there is no user (e.g. "HSDS 取込"). The log entry
    holds the statuses and the source only, never what the member wrote. A step that
    needs_reason is refused without one; the reason is kept as the member's notice.
    """
    step = TRANSITIONS.get(name)
    before = current_status(member)
    if step is None or before not in step.allowed_from:
        label = step.label if step else name
        shown = member.get_status_display() if before else "未登録"
        raise TransitionRefused(f"この団体の状態（{shown}）では「{label}」はできません。")
    if step.needs_reason and not reason.strip():
        raise TransitionRefused(notices.REASON_MISSING)
    result = step.effect(member, user)
    if step.needs_reason:
        notices.record(member, step.name, reason)
    data = {"from": before, "to": member.status, "source": source}
    log_action(instance=member, action=step.log_action, user=user, data=data)
    return result


def apply_imported(member: Member, source: str) -> None:
    """An organisation an import registers: a new application (申請中), logged as one.

    It waits on the 事務局's list of applications like one from /join/; approve_member
    admits it and publishes what the import meant to publish.
    """
    transition(member, "apply", source=source)


def admit_imported(member: Member) -> MemberPage:
    """The page the importers put a member's listings under.

    An approved member's page, repaired if missing. An applicant (申請中) gets a draft page
    and no editors or rights: only the 事務局's approval publishes it. A member the 事務局
    declined, suspended or withdrew is refused (TransitionRefused): an import must not undo
    its decision.
    """
    check_importable(member)
    page = MemberPage.objects.filter(member=member).first()
    if member.status == MemberStatus.APPROVED:
        return page or provision_member(member)
    return page or _add_member_page(member)


def check_importable(member: Member) -> None:
    """Refuse (TransitionRefused) a member neither approved nor 申請中 an import's listings."""
    if member.status not in IMPORTABLE:
        raise TransitionRefused(
            f"団体「{member.name}」は{member.get_status_display()}のため、掲載を取り込めません。"
        )


def register_log_actions(actions: LogActionRegistry) -> None:
    """Names and messages for the member history (called from wagtail_hooks)."""
    for step in TRANSITIONS.values():
        actions.register_action(step.log_action, step.label, f"会員団体: {step.label}")


def send_templated_mail(
    template: str, context: dict, address: str, what: str, member: Member
) -> bool:
    """Send a mail whose template's first line is the subject; False if the server failed.

    A failing mail server must not undo what the 事務局 just did, so the error is logged
    (as `what` and the member's id, never the address) and reported instead of raised.
    Every such mail goes to the 事務局 or an organisation's editors, so it is written in the
    site's language even when an English visitor's request (a report, /join/) sent it.
    """
    with translation.override(settings.LANGUAGE_CODE):
        subject, _, body = render_to_string(template, context).partition("\n")
    try:
        send_mail(subject.strip(), body.lstrip("\n"), None, [address])
    except OSError:
        logger.warning("%s for member %s could not be sent", what, member.pk)
        return False
    return True


def notify_member(member: Member, step: Transition, reason: str = "") -> bool:
    """E-mail the 団体メール and the editors about `step` (with the 事務局's reason, if any).

    False if nothing was sent (no template, nobody to tell, or the mail server failed).
    """
    if step.notice is None:
        return False
    return notices.mail(member, step.notice, {"reason": reason.strip()}) is True


APPLICATION_TEMPLATE = EMAIL + "application_received.txt"


def default_platform_settings() -> PlatformSettings | None:
    """The PF settings of the default site (the PF runs one site); None when none is saved."""
    from website.models import PlatformSettings

    return PlatformSettings.objects.filter(site__is_default_site=True).first()


def secretariat_inbox() -> list[str]:
    """Who hears of a new application: the PF's 事務局のメール and the 事務局 accounts, each once."""
    from directory.listings.freshness import secretariat_addresses

    found = default_platform_settings()
    shared = found.secretariat_email if found is not None else ""
    return list(dict.fromkeys(a for a in (shared, *secretariat_addresses()) if a))


def notify_application(member: Member) -> int:
    """Tell the 事務局 an organisation applied; how many addresses were reached.

    The mail names the organisation and links to its record in the admin; what it wrote is
    read there, so the mail carries none of it.
    """
    context = {
        "member": member,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "url": get_admin_base_url()
        + reverse("wagtailsnippets_directory_member:edit", args=[member.pk]),
    }
    return sum(
        send_templated_mail(APPLICATION_TEMPLATE, context, address, "application notice", member)
        for address in secretariat_inbox()
    )


def ensure_secretariat_group() -> Group:
    """The 事務局 group: the whole page tree, members, areas, vocabulary, all media."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    root = Page.get_first_root_node()
    if root is None:
        return group
    page_permissions = _permissions(
        "wagtailcore",
        ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"),
    )
    for permission in page_permissions:
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    collection_root = Collection.get_first_root_node()
    for app_label, codenames in MEMBER_COLLECTION_PERMISSIONS.items():
        for permission in _permissions(app_label, codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection_root, permission=permission
            )
    model_permissions = Permission.objects.filter(
        content_type__app_label__in=("directory", "website", "wagtailredirects")
    ) | Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(*model_permissions)
    return group
