"""The 事務局's views on one member: the shared base and the member's editors.

The lifecycle decisions (with the reason some of them need) are
directory.wagtail_admin.notices.MemberDecisionView, on this base.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import View
from django.views.generic.edit import FormMixin
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from directory.membership import invites as editor_invites
from directory.models import Member
from directory.wagtail_admin.forms import EditorInvitationForm


def _user(request: HttpRequest) -> User | None:
    """The signed-in user (these views are behind Wagtail's admin login)."""
    user = request.user
    return user if isinstance(user, User) else None


class MemberAdminView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """A 事務局 view on one member: only holders of the member change permission get in."""

    model = Member
    permission_required = "change"
    header_icon = "group"
    edit_url_name = ""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.member = get_object_or_404(Member, pk=kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            member=self.member,
            edit_url=reverse(self.edit_url_name, args=[self.member.pk]),
            **kwargs,
        )


class MemberEditorsView(FormMixin, MemberAdminView):
    """The member's editors, with 「編集者を招待」 and 「この団体から外す」.

    The form asks for a name and an address only: the account can never get another group,
    a flag or a password from here (see directory.membership.invites).
    """

    template_name = "directory/membership/admin_editors.html"
    form_class = EditorInvitationForm
    editors_url_name = ""
    remove_editor_url_name = ""

    def get_page_title(self) -> str:
        return f"編集者: {self.member.name}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            editors=editor_invites.member_editors(self.member),
            refusal=editor_invites.invitation_refusal(self.member),
            remove_editor_url_name=self.remove_editor_url_name,
            back_label="団体の編集に戻る",
            **kwargs,
        )

    def get_success_url(self) -> str:
        return reverse(self.editors_url_name, args=[self.member.pk])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        invitation = form.invite(request.user, self.member)
        if invitation is None:
            return self.form_invalid(form)
        self.report(invitation)
        return redirect(self.get_success_url())

    def report(self, invitation: editor_invites.Invitation) -> None:
        """Tell the 事務局 what happened to the account and whether the e-mail went out."""
        user, request, name = invitation.user, self.request, self.member.name
        who = f"{user.get_full_name() or user.get_username()}（{user.email}）"
        if invitation.created:
            messages.success(request, f"{who} のアカウントを作り、「{name}」の編集者にしました。")
        elif invitation.already_editor:
            messages.info(request, f"{who} はすでに「{name}」の編集者です。")
        else:
            messages.success(
                request,
                f"既存のアカウント {who} を「{name}」の編集者に加えました。"
                "ほかの団体・権限・パスワードは変えていません。",
            )
        if not user.is_active:
            messages.warning(request, "このアカウントは無効になっているため、ログインできません。")
        if invitation.mailed:
            messages.success(
                request,
                "パスワード設定用のリンクをメールで送りました。"
                if invitation.with_link
                else "お知らせのメールを送りました。",
            )
        elif invitation.mailed is False:
            messages.warning(
                request,
                "メールを送れませんでした。しばらくしてから、もう一度同じ内容で招待してください。",
            )


class MemberEditorRemoveView(MemberAdminView):
    """POST only: take one editor out of this member's group; the account itself stays."""

    http_method_names = ["post"]
    editors_url_name = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = get_object_or_404(editor_invites.member_editors(self.member), pk=kwargs["user_pk"])
        editor_invites.remove_editor(self.member, user)
        messages.success(
            request,
            f"{user.get_full_name() or user.get_username()} を「{self.member.name}」の編集者から"
            "外しました（アカウントは残っています）。",
        )
        return redirect(self.editors_url_name, self.member.pk)
