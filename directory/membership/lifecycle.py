"""Membership lifecycle: admitting a member gives it a page, an editor group and a collection.

Every member's editors get the same rights over their own subtree, whatever their role
(幹事団体 or 一般団体): 水平的連携 means no member can touch another's content.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from directory.models import Member, MemberIndexPage, MemberPage, MemberStatus

# Everything an editor needs on its own subtree; not bulk_delete, so the MemberPage itself
# (which always has children once listings exist) cannot be deleted wholesale.
MEMBER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
MEMBER_COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image", "delete_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document", "delete_document"),
}
SECRETARIAT_GROUP = "事務局"
logger = logging.getLogger(__name__)


def member_group_name(member: Member) -> str:
    return f"会員: {member.name} ({member.slug})"


def _permissions(app_label: str, codenames: tuple[str, ...]) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


@transaction.atomic
def provision_member(member: Member) -> MemberPage:
    """Create (or repair) the member's page, group, collection and permissions. Idempotent."""
    page = MemberPage.objects.filter(member=member).first()
    if page is None:
        index = MemberIndexPage.objects.get()
        page = index.add_child(
            instance=MemberPage(title=member.name, slug=member.slug, member=member)
        )
        page.save_revision().publish()

    group = member.group or Group.objects.create(name=member_group_name(member))
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.add(access_admin)
    for permission in _permissions("wagtailcore", MEMBER_PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)

    collection = member.collection
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=member_group_name(member))
    for app_label, codenames in MEMBER_COLLECTION_PERMISSIONS.items():
        for permission in _permissions(app_label, codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )

    if member.group_id != group.pk or member.collection_id != collection.pk:
        member.group, member.collection = group, collection
        member.save(update_fields=["group", "collection"])
    return page


@transaction.atomic
def approve_member(member: Member) -> MemberPage:
    """The 事務局 admits (or reinstates) a member: its page, editor group and rights return.

    A reinstated member's profile page is published again; its listings stay drafts until its
    own editors have checked and republished them (they may have gone stale meanwhile).
    """
    member.status = MemberStatus.APPROVED
    member.approved_at = member.approved_at or timezone.now()
    member.save(update_fields=["status", "approved_at"])
    page = provision_member(member)
    if not page.live:
        (page.get_latest_revision() or page.save_revision()).publish()
        page.refresh_from_db()
    return page


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


NOTICE_TEMPLATES = {
    MemberStatus.APPROVED: "directory/membership/email/approved.txt",
    MemberStatus.DECLINED: "directory/membership/email/declined.txt",
    MemberStatus.SUSPENDED: "directory/membership/email/suspended.txt",
    MemberStatus.WITHDRAWN: "directory/membership/email/withdrawn.txt",
}


def send_templated_mail(
    template: str, context: dict, address: str, what: str, member: Member
) -> bool:
    """Send a mail whose template's first line is the subject; False if the server failed.

    A failing mail server must not undo what the 事務局 just did, so the error is logged
    (as `what` and the member's id, never the address) and reported instead of raised.
    """
    subject, _, body = render_to_string(template, context).partition("\n")
    try:
        send_mail(subject.strip(), body.lstrip("\n"), None, [address])
    except OSError:
        logger.warning("%s for member %s could not be sent", what, member.pk)
        return False
    return True


def notify_member(member: Member) -> bool:
    """E-mail the member's 団体メール about its current status; False if none was sent."""
    template = NOTICE_TEMPLATES.get(member.status)
    if not member.email or template is None:
        return False
    context = {"member": member, "site_name": settings.WAGTAIL_SITE_NAME}
    return send_templated_mail(template, context, member.email, "membership notice", member)


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
