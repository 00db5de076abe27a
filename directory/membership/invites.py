"""The 事務局 invites editors for an admitted member, without Wagtail's user admin.

Wagtail's user form lets anyone who may create users create superusers, so the 事務局 has no
user-management permission. This narrow path can only put a person into one member's editor
group: never another group, never a flag. The person chooses their own password through
Django's password-reset token and Wagtail's reset-confirm page, so no password is ever set,
shown or e-mailed here. Nothing is recorded beyond the account itself (no invitation log).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.admin.utils import get_admin_base_url

from directory.membership import access
from directory.membership.access import invitation_refusal
from directory.membership.lifecycle import send_templated_mail
from directory.models import Member

INVITATION_TEMPLATE = "directory/membership/email/editor_invitation.txt"


class InvitationRefused(Exception):
    """Why the invitation cannot be made, worded in Japanese for the 事務局."""


@dataclass(frozen=True)
class Invitation:
    """What invite_editor() did; `mailed` is None when there was nothing new to e-mail."""

    user: User
    created: bool
    already_editor: bool
    mailed: bool | None

    @property
    def with_link(self) -> bool:
        """Whether the e-mail carried a set-password link (the account has no password yet)."""
        return not self.user.has_usable_password()


def member_editors(member: Member) -> QuerySet:
    """The accounts in the member's editor group, by name."""
    group = member.group
    if group is None:
        return get_user_model().objects.none()
    return group.user_set.order_by("first_name", "last_name", "email")


def invite_editor(member: Member, name: str, email: str) -> Invitation:
    """Create an editor account for `member`, or add an existing account to its group.

    An existing account keeps its name, password, flags and groups. What an invitation may
    not take (superusers, the 事務局, another member's editors) is access.account_refusal.
    """
    refusal = invitation_refusal(member)
    group = member.group
    if refusal or group is None:
        raise InvitationRefused(refusal or "この団体には編集者のグループがありません。")
    email = get_user_model().objects.normalize_email(email.strip())
    try:
        with transaction.atomic():
            user = _existing_account(member, email)
            created = user is None
            if user is None:
                user = _create_editor(name, email)
            already_editor = not created and user.groups.filter(pk=group.pk).exists()
            if not already_editor:
                user.groups.add(group)
    except IntegrityError as error:  # the same address invited twice at once (double click)
        raise InvitationRefused(
            "同じメールアドレスの招待が同時に行われました。編集者の一覧を確認してください。"
        ) from error
    # Nothing new to say to an editor who already has a password and this member.
    mailed = None if already_editor and user.has_usable_password() else _send(user, member)
    return Invitation(user=user, created=created, already_editor=already_editor, mailed=mailed)


def _existing_account(member: Member, email: str) -> User | None:
    """The one account with this e-mail, None if there is none; refuses what must not change."""
    user_model = get_user_model()
    matches = list(user_model.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise InvitationRefused(
            "このメールアドレスのアカウントが複数あります。どのアカウントか決められないため、"
            "管理者（superuser）に整理を依頼してください。"
        )
    if not matches:
        if user_model.objects.filter(username__iexact=email).exists():
            raise InvitationRefused(
                "このメールアドレスは別のアカウントのログイン名として使われています。"
                "管理者（superuser）に確認を依頼してください。"
            )
        return None
    refusal = access.account_refusal(member, matches[0])
    if refusal:
        raise InvitationRefused(refusal)
    return matches[0]


def _create_editor(name: str, email: str) -> User:
    """An active, non-staff account with no usable password; its e-mail is its login name."""
    user = get_user_model()(username=email, email=email, first_name=name.strip(), is_active=True)
    user.set_unusable_password()
    user.save()
    return user


def remove_editor(member: Member, user: User) -> None:
    """Take `user` out of the member's editor group; the account and its other groups stay."""
    if member.group is not None:
        user.groups.remove(member.group)


def set_password_url(user: User) -> str:
    """Wagtail's password-reset confirm page with Django's one-time token for `user`.

    The token stops working once the password is set (it depends on the password hash) and
    after settings.PASSWORD_RESET_TIMEOUT.
    """
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return get_admin_base_url() + path


def _validity() -> tuple[str, str]:
    """How long the set-password link works (settings.PASSWORD_RESET_TIMEOUT), ja and en."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    if seconds >= 86400:
        return f"{seconds // 86400}日", f"{seconds // 86400} day(s)"
    hours = max(seconds // 3600, 1)
    return f"{hours}時間", f"{hours} hour(s)"


def _send(user: User, member: Member) -> bool:
    """E-mail the invitation; False if the mail server failed (logged without the address).

    The set-password link is included only while the account has no usable password, so a
    second invitation to the same address is also how a lost link is sent again.
    """
    validity, validity_en = _validity()
    context = {
        "user": user,
        "member": member,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "login_url": get_admin_base_url() + reverse("wagtailadmin_login"),
        "set_password_url": None if user.has_usable_password() else set_password_url(user),
        "validity": validity,
        "validity_en": validity_en,
    }
    return send_templated_mail(
        INVITATION_TEMPLATE, context, user.email, "editor invitation", member
    )
