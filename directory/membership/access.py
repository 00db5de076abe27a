"""Who may see, choose and change what: every permission rule of the PF, stated once.

Wagtail's own permissions (page permissions on each member's subtree, collection permissions on
its collection, model permissions for the 事務局) decide what a user may *change*. What Wagtail
does not decide — which other members' pages an editor may *see* or *use*, which accounts an
invitation may touch, which addresses an account may take — is decided here, and the admin
views, forms, hooks, invitations and the lifecycle call these predicates instead of restating
them. Two kinds of user exist: the 事務局 (its group, or a superuser) sees everything; a
member editor owns its member's subtree and collection and sees other members' content only
once it is live and public.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser, AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from wagtail.models import GroupPagePermission, Page
from wagtail.permissions import policy_registry

# Imported as a module: the page forms (directory.models.listings) import this module while
# directory.models is still being initialised, so its names are looked up when called.
import directory.models as records

if TYPE_CHECKING:
    from directory.models import Member

SECRETARIAT_GROUP = "事務局"

# Wagtail and Django hand over request.user: a user model instance or AnonymousUser.
User = AbstractBaseUser | AnonymousUser


def is_secretariat(user: User | None) -> bool:
    """The 事務局 group or a superuser: the PF's administrators, who see every record."""
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return isinstance(user, AbstractUser) and user.groups.filter(name=SECRETARIAT_GROUP).exists()


def member_of(user: User | None) -> QuerySet[Member]:
    """The members whose editor group `user` is in (usually one)."""
    if user is None or not user.is_authenticated:
        return records.Member.objects.none()
    return records.Member.objects.filter(group__user=user.pk)


def own_subtree_paths(user: User | None) -> set[str]:
    """Paths of the pages where the user's groups hold page permissions (its member's page)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True)
    )


def _own_subtrees(user: User) -> Q | None:
    """Pages at or below those where the user's groups hold page permissions."""
    paths = own_subtree_paths(user)
    return reduce(or_, (Q(path__startswith=path) for path in paths)) if paths else None


def pages_visible_to(user: User | None, pages: QuerySet[Page]) -> QuerySet[Page]:
    """The pages whose title and content `user` may see in the admin and use on its pages.

    A member editor sees its own subtree, and other pages once they are live and public (no
    view restriction on them or above them): a draft's title is a plan not yet announced and a
    password-protected page is meant for a few people, so neither belongs to other members.
    """
    if is_secretariat(user):
        return pages
    public = Q(pk__in=Page.objects.live().public().values("pk"))
    own = _own_subtrees(user) if user is not None and user.is_authenticated else None
    return pages.filter(public | own if own is not None else public)


def pages_choosable_by(user: User | None, pages: QuerySet[Page]) -> QuerySet[Page]:
    """What the page chooser offers `user`: exactly the pages it may see."""
    return pages_visible_to(user, pages)


def can_see_page(user: User | None, page: Page | int) -> bool:
    pk = page if isinstance(page, int) else page.pk
    return pages_visible_to(user, Page.objects.filter(pk=pk)).exists()


def can_use_as_venue(user: User | None, place: Page) -> bool:
    """An event's venue: a 居場所 the editor may see (its own, or live and public)."""
    return can_see_page(user, place)


def can_delete_page(user: User | None, page: Page) -> bool:
    """Wagtail's rule, except that a member's own page goes only with the member's status.

    An approved member without its page has no public profile and nowhere for its listings;
    suspension and withdrawal (the 事務局's decisions) take pages off the site instead.
    """
    if isinstance(page.specific_deferred, records.MemberPage) and not is_secretariat(user):
        return False
    return user is not None and bool(page.permissions_for_user(user).can_delete())


def can_verify_listing(user: User | None, page: Page) -> bool:
    """「内容を確認しました」: whoever may edit a listing may confirm it is still true."""
    if user is None or not user.is_authenticated:
        return False
    if not isinstance(page.specific_deferred, records.ListingPage):
        return False
    return bool(page.permissions_for_user(user).can_edit())


def can_use_media(user: User | None, obj: models.Model) -> bool:
    """Whether the image or document chooser would offer `obj` (its member's collection)."""
    if user is None or not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(type(obj))
    return bool(policy.instances_user_has_permission_for(user, "choose").filter(pk=obj.pk).exists())


def media_visible_to(user: User | None, media: QuerySet[Any]) -> QuerySet[Any]:
    """Images or documents `user` may choose: what the admin API may list for it."""
    if user is None or not user.is_authenticated:
        return media.none()
    policy = policy_registry.get_by_type(media.model)
    return media.filter(pk__in=policy.instances_user_has_permission_for(user, "choose"))


def members_visible_to(user: User | None, members: QuerySet[Member]) -> QuerySet[Member]:
    """Applicants, declined and closed members are the 事務局's business; others see approved."""
    if is_secretariat(user):
        return members
    return members.filter(status=records.MemberStatus.APPROVED)


def can_be_co_organiser(member: Member) -> bool:
    """Only an approved member's name may appear on another member's public event."""
    return member.status == records.MemberStatus.APPROVED


def reports_visible_to(user: User | None, reports: QuerySet[Any]) -> QuerySet[Any]:
    """The 事務局 sees every resident report; a member's editors those on its own listings."""
    if is_secretariat(user):
        return reports
    own = _own_subtrees(user) if user is not None else None
    return reports.filter(page__in=Page.objects.filter(own)) if own is not None else reports.none()


# What a member's editors may do with the reports on their listings: read them, and keep
# their status and reply note. Recording (a report taken by phone), deleting and forwarding
# are the 事務局's; the 事務局's rights are the Django model permissions its group holds.
MEMBER_REPORT_ACTIONS = frozenset({"view", "change"})


REPORT_ACTIONS = ("view", "change", "add", "delete")


def report_actions(user: User | None) -> frozenset[str]:
    """The actions `user` may take on some reports (on which ones: reports_visible_to)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if is_secretariat(user):
        return frozenset(
            action
            for action in REPORT_ACTIONS
            if isinstance(user, AbstractUser) and user.has_perm(f"directory.{action}_listingreport")
        )
    return MEMBER_REPORT_ACTIONS if member_of(user).exists() else frozenset()


def can_forward_report(user: User | None) -> bool:
    """Forwarding a report to the member again, with a note, is the 事務局's."""
    return is_secretariat(user)


def can_see_site_reports(user: User | None) -> bool:
    """Site-wide admin reports (e.g. page types usage) count every member's pages."""
    return is_secretariat(user)


# What a member's editors may change of their own organisation: its public profile. Name,
# slug, type, role, status and admission fields are the 事務局's (they decide who the member is).
MEMBER_SELF_EDIT_FIELDS = (
    "description",
    "fields",
    "targets",
    "areas",
    "offers",
    "looks_for",
    "contact_point",
    "phone",
    "email",
    "website",
    "address",
)


def can_manage_member(user: User | None, member: Member) -> bool:
    """An editor of an approved member manages its profile and editors; nobody else's."""
    return (
        member.status == records.MemberStatus.APPROVED
        and member_of(user).filter(pk=member.pk).exists()
    )


def can_invite_for(user: User | None, member: Member) -> bool:
    """The 事務局, or the member's own editors, invite editors for an approved member."""
    allowed = is_secretariat(user) or can_manage_member(user, member)
    return allowed and invitation_refusal(member) is None


def editor_removal_refusal(
    user: User | None, member: Member, editor: AbstractBaseUser
) -> str | None:
    """Why `user` may not take `editor` out of `member`, or None.

    A member's editors may not leave it without editors: nobody could then keep its listings
    true or invite again; only the 事務局 may do that (e.g. when a person leaves suddenly).
    """
    if is_secretariat(user):
        return None
    if not can_manage_member(user, member):
        return "この団体の編集者を変更する権限がありません。"
    group = member.group
    if group is None or group.user_set.exclude(pk=editor.pk).count() == 0:
        return "最後の編集者は外せません。先にほかの編集者を招待するか、事務局に連絡してください。"
    return None


def invitation_refusal(member: Member) -> str | None:
    """Why `member` cannot have editors invited now, or None if it can."""
    if member.status != records.MemberStatus.APPROVED or member.group_id is None:
        return (
            f"この団体は「{member.get_status_display()}」のため、編集者を招待できません。"
            "承認済みの団体だけに招待できます。"
        )
    return None


def account_refusal(member: Member, account: AbstractBaseUser) -> str | None:
    """Why an invitation for `member` must not take this existing account, or None.

    A superuser's or the 事務局's rights would blur with a member's. An editor of another
    member must not become this member's editor by invitation: its owner (or someone who set
    that address on it) would silently gain another member's pages.
    """
    if is_secretariat(account):
        return (
            "このメールアドレスは管理者または事務局のアカウントです。"
            "権限を分けるため、団体の編集者には加えられません。別のメールアドレスで招待してください。"
        )
    if member_of(account).exclude(pk=member.pk).exists():
        return (
            "このメールアドレスは、ほかの団体の編集者のアカウントで使われています。"
            "招待では既存のアカウントをほかの団体に加えられません。別のメールアドレスで招待するか、"
            "管理者（superuser）に確認を依頼してください。"
        )
    return None


def email_refusal(user: AbstractBaseUser, email: str) -> str | None:
    """Why `user` may not take this e-mail address for its account, or None.

    Invitations find accounts by address, so an address another account (including an
    invited account that has not set its password yet) or another member's 団体メール uses
    must stay theirs.
    """
    taken = get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if taken.exclude(pk=user.pk).exists():
        return (
            "このメールアドレスはほかのアカウントで使われています。別のアドレスを入力してください。"
        )
    others = records.Member.objects.filter(email__iexact=email).exclude(group__user=user.pk)
    if not is_secretariat(user) and others.exists():
        return (
            "このメールアドレスはほかの団体の団体メールです。ご自身のアドレスを入力してください。"
        )
    return None
