"""「団体の情報」: a member's editors keep their own organisation's profile and editors.

Who may do what is directory.membership.access (can_manage_member, MEMBER_SELF_EDIT_FIELDS,
can_invite_for, editor_removal_refusal); invitations themselves are
directory.membership.invites, the same path the 事務局 uses. Another member's organisation
answers 404 on every URL, so its existence is not confirmed either.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from directory.membership import access
from directory.membership import invites as editor_invites
from directory.models import Member
from directory.wagtail_admin.forms import EditorInvitationForm
from directory.wagtail_admin.panels import member_profile_panels
from website import pf_pages

HOME_URL_NAME = "directory_organisation"
EDIT_URL_NAME = "directory_organisation_edit"
EDITORS_URL_NAME = "directory_organisation_editors"
REMOVE_URL_NAME = "directory_organisation_remove_editor"
WORKING_GROUPS_URL_NAME = "directory_organisation_working_groups"

PROFILE_PANELS = ObjectList(member_profile_panels()).bind_to_model(Member)


def profile_form_class() -> Any:
    """The panels' form, limited to what access lets a member change (never status or slug)."""
    form_class = PROFILE_PANELS.get_form_class()
    if set(form_class.base_fields) != set(access.MEMBER_SELF_EDIT_FIELDS):
        raise ImproperlyConfigured("PROFILE_PANELS must show access.MEMBER_SELF_EDIT_FIELDS.")
    return form_class


def editor_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class OrganisationView(WagtailAdminTemplateMixin, View):
    """One organisation its signed-in editor manages; 404 for any other."""

    header_icon = "group"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.member = get_object_or_404(Member, pk=kwargs["pk"])
        if not access.can_manage_member(request.user, self.member):
            raise Http404("この団体の情報は管理できません。")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            member=self.member,
            edit_url=reverse(EDIT_URL_NAME, args=[self.member.pk]),
            editors_url=reverse(EDITORS_URL_NAME, args=[self.member.pk]),
            working_groups_url=reverse(WORKING_GROUPS_URL_NAME, args=[self.member.pk]),
            **kwargs,
        )


class OrganisationEditView(OrganisationView):
    """The public profile: description, fields, offers and contact details."""

    template_name = "directory/admin/organisation/edit.html"

    def get_page_title(self) -> str:
        return f"団体の情報: {self.member.name}"

    def render_form(self, form: Any) -> HttpResponse:
        panel = PROFILE_PANELS.get_bound_panel(
            instance=self.member, request=self.request, form=form
        )
        return self.render_to_response(self.get_context_data(form=form, panel=panel))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(profile_form_class()(instance=self.member, for_user=request.user))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = profile_form_class()(request.POST, instance=self.member, for_user=request.user)
        if not form.is_valid():
            messages.error(request, "入力内容を確認してください。")
            return self.render_form(form)
        form.save()
        messages.success(request, f"「{self.member.name}」の情報を保存しました。")
        return redirect(EDIT_URL_NAME, self.member.pk)


class OrganisationEditorsView(OrganisationView):
    """The organisation's editors, with 「編集者を招待」 and 「この団体から外す」."""

    template_name = "directory/membership/admin_editors.html"

    def get_page_title(self) -> str:
        return f"編集者: {self.member.name}"

    def render_form(self, form: EditorInvitationForm) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(
                form=form,
                editors=editor_invites.member_editors(self.member),
                refusal=access.invitation_refusal(self.member),
                remove_editor_url_name=REMOVE_URL_NAME,
                back_label="団体の情報に戻る",
            )
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(EditorInvitationForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = EditorInvitationForm(request.POST)
        invitation = form.invite(request.user, self.member)
        if invitation is None:
            return self.render_form(form)
        who = editor_name(invitation.user)
        if invitation.already_editor:
            messages.info(request, f"{who} はすでにこの団体の編集者です。")
        else:
            messages.success(request, f"{who} をこの団体の編集者に招待しました。")
        if invitation.mailed is False:
            messages.warning(
                request, "メールを送れませんでした。しばらくしてから、もう一度招待してください。"
            )
        return redirect(EDITORS_URL_NAME, self.member.pk)


class OrganisationEditorRemoveView(OrganisationView):
    """POST only: take one editor out of this organisation; the account itself stays."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = get_object_or_404(editor_invites.member_editors(self.member), pk=kwargs["user_pk"])
        refusal = access.editor_removal_refusal(request.user, self.member, user)
        if refusal:
            messages.error(request, refusal)
        else:
            editor_invites.remove_editor(self.member, user)
            messages.success(request, f"{editor_name(user)} をこの団体の編集者から外しました。")
        return redirect(EDITORS_URL_NAME, self.member.pk)


class OrganisationWorkingGroupsView(OrganisationView):
    """分科会: the organisation joins or leaves one itself (the 事務局 edits the 分科会 pages)."""

    template_name = "directory/admin/organisation/working_groups.html"

    def get_page_title(self) -> str:
        return f"分科会への参加: {self.member.name}"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        joined = set(self.member.working_groups.values_list("group_id", flat=True))
        groups = [(group, group.pk in joined) for group in pf_pages.working_groups()]
        return self.render_to_response(self.get_context_data(groups=groups))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        group_id = request.POST.get("group", "")
        if not group_id.isdigit():  # a tampered form: no 500 from a non-number
            raise Http404("分科会が見つかりません。")
        group: pf_pages.WorkingGroupPage = get_object_or_404(
            pf_pages.working_groups(), pk=int(group_id)
        )
        if request.POST.get("action") == "leave":
            if pf_pages.leave(group, self.member):
                messages.success(request, f"「{group.title}」から退出しました。")
        elif pf_pages.join(group, self.member):
            messages.success(request, f"「{group.title}」に参加しました。")
        return redirect(WORKING_GROUPS_URL_NAME, self.member.pk)


def admin_urls() -> list[Any]:
    """register_admin_urls: the profile, editors and removal views."""
    return [
        path("organisation/", organisation_home, name=HOME_URL_NAME),
        path("organisation/<int:pk>/", OrganisationEditView.as_view(), name=EDIT_URL_NAME),
        path(
            "organisation/<int:pk>/editors/",
            OrganisationEditorsView.as_view(),
            name=EDITORS_URL_NAME,
        ),
        path(
            "organisation/<int:pk>/editors/<int:user_pk>/remove/",
            OrganisationEditorRemoveView.as_view(),
            name=REMOVE_URL_NAME,
        ),
        path(
            "organisation/<int:pk>/working-groups/",
            OrganisationWorkingGroupsView.as_view(),
            name=WORKING_GROUPS_URL_NAME,
        ),
    ]


def managed_member(request: HttpRequest) -> Member | None:
    """The (first) organisation the signed-in editor manages, or None."""
    user = request.user
    return next((m for m in access.member_of(user) if access.can_manage_member(user, m)), None)


def organisation_home(request: HttpRequest) -> HttpResponse:
    """The menu's one URL: the editor's own organisation (404 for anyone who manages none)."""
    member = managed_member(request)
    if member is None:
        raise Http404("管理できる団体がありません。")
    return redirect(EDIT_URL_NAME, member.pk)


class OrganisationMenuItem(MenuItem):
    """「団体の情報」 for a member's editors (a fixed URL, so the shared item is never mutated)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return managed_member(request) is not None


def organisation_menu_item() -> OrganisationMenuItem:
    """register_admin_menu_item."""
    return OrganisationMenuItem("団体の情報", reverse(HOME_URL_NAME), icon_name="group", order=150)
