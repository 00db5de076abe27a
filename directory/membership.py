"""Membership lifecycle: admitting a member gives it a page, an editor group and a collection.

Every member's editors get the same rights over their own subtree, whatever their role
(幹事団体 or 一般団体): 水平的連携 means no member can touch another's content.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
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
    """The 事務局 admits a member: it becomes approved and gets its page and editor group."""
    member.status = MemberStatus.APPROVED
    member.approved_at = member.approved_at or timezone.now()
    member.save(update_fields=["status", "approved_at"])
    return provision_member(member)


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
