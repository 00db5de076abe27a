"""The 事務局's 「PF の管理」: areas, members (decisions and editors), vocabulary.

Resident reports, which members answer too, are directory.reports.viewsets.

Snippet views are guarded by Django model permissions, which only the 事務局 group
(ensure_secretariat_group) and superusers hold; a member's editor group has none of them, so
member editors never see or change member records, areas, vocabulary or reports. Their
choosers (which Wagtail does not permission-check) list only what
directory.membership.access lets the user see.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from directory.membership import lifecycle
from directory.models import Area, Member, VocabularyTerm
from directory.wagtail_admin.chooser import AreaChooserViewSet, MemberChooserViewSet
from directory.wagtail_admin.forms import MemberForm, OptionalJSONTextarea, VocabularyTermForm
from directory.wagtail_admin.notices import MemberDecisionView
from directory.wagtail_admin.panels import member_profile_panels
from directory.wagtail_admin.views import MemberEditorRemoveView, MemberEditorsView


def member_snippets() -> SnippetViewSet:
    """The registered member viewset: Wagtail sets it on the model when it registers it."""
    return cast(SnippetViewSet, Member.snippet_viewset)  # type: ignore[attr-defined]


class AreaViewSet(SnippetViewSet):
    model = Area
    chooser_viewset_class = AreaChooserViewSet
    icon = "site"
    menu_label = "地域"
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level", "parent"]
    search_fields = ["name", "kana", "code"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kana")]),
        FieldRowPanel([FieldPanel("level"), FieldPanel("code")]),
        FieldPanel("parent"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("centroid_lat"), FieldPanel("centroid_lng")])],
            heading="中心の位置",
        ),
        FieldPanel("outline", widget=OptionalJSONTextarea),
        FieldPanel("sort_order"),
    ]


def member_buttons(member: Member, priority: int) -> list[Button]:
    """The decisions the 事務局 can take from the member's current status, and its editors."""
    viewset = member_snippets()
    buttons = [
        Button(
            decision.label,
            url=reverse(viewset.get_url_name("decision"), args=[member.pk, decision.name]),
            icon_name="group",
            priority=priority,
        )
        for decision in lifecycle.decisions_for(member)
    ]
    if member.group_id is not None:
        buttons.append(
            Button(
                "編集者",
                url=reverse(viewset.get_url_name("editors"), args=[member.pk]),
                icon_name="user",
                priority=priority + 1,
            )
        )
    return buttons


class MemberIndexView(IndexView):
    def get_list_more_buttons(self, instance: Member) -> list[Any]:
        return [*super().get_list_more_buttons(instance), *member_buttons(instance, 15)]


class MemberEditView(EditView):
    @cached_property
    def header_more_buttons(self) -> list[Any]:
        return [*super().header_more_buttons, *member_buttons(self.object, 5)]


class MemberDeleteView(DeleteView):
    """A member with a page tree is refused with the reason (退会 instead), never a 500."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = lifecycle.deletion_refusal(self.get_object())
        if refusal:
            messages.error(request, refusal)
            return redirect(member_snippets().get_url_name("edit"), self.get_object().pk)
        return super().dispatch(request, *args, **kwargs)


class MemberViewSet(SnippetViewSet):
    """Members: the 事務局 edits organisational data and decides admission and status.

    Status is read-only in the form because each change has effects (page, group, rights,
    notice) that only the decision buttons carry out.
    """

    model = Member
    icon = "group"
    menu_label = "会員団体"
    chooser_viewset_class = MemberChooserViewSet
    index_view_class = MemberIndexView
    edit_view_class = MemberEditView
    delete_view_class = MemberDeleteView
    list_display = ["name", "member_type", "role", "status", "applied_at"]
    list_filter = ["status", "member_type", "role"]
    search_fields = ["name", "kana", "corporate_number"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("kana")]),
            FieldPanel("slug"),
            FieldRowPanel([FieldPanel("member_type"), FieldPanel("corporate_number")]),
            FieldRowPanel([FieldPanel("role"), FieldPanel("status", read_only=True)]),
            *member_profile_panels(),
            FieldPanel("application_note", read_only=True),
        ],
        base_form_class=MemberForm,
    )

    def get_urlpatterns(self) -> list[Any]:
        urls = {
            "edit_url_name": self.get_url_name("edit"),
            "editors_url_name": self.get_url_name("editors"),
        }
        return [
            *super().get_urlpatterns(),
            path(
                "decision/<int:pk>/<slug:decision>/",
                MemberDecisionView.as_view(edit_url_name=urls["edit_url_name"]),
                name="decision",
            ),
            path(
                "editors/<int:pk>/",
                MemberEditorsView.as_view(
                    **urls, remove_editor_url_name=self.get_url_name("remove_editor")
                ),
                name="editors",
            ),
            path(
                "editors/<int:pk>/remove/<int:user_pk>/",
                MemberEditorRemoveView.as_view(**urls),
                name="remove_editor",
            ),
        ]


class VocabularyTermViewSet(SnippetViewSet):
    model = VocabularyTerm
    icon = "tag"
    menu_label = "語彙"
    list_display = ["label", "slug", "scheme", "sort_order"]
    list_filter = ["scheme"]
    search_fields = ["label", "label_en", "slug"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("scheme"), FieldPanel("slug")]),
            FieldRowPanel([FieldPanel("label"), FieldPanel("label_en")]),
            FieldPanel("description"),
            FieldPanel("sort_order"),
        ],
        base_form_class=VocabularyTermForm,
    )


class PlatformAdminGroup(SnippetViewSetGroup):
    menu_label = "PF の管理"
    menu_name = "pf-admin"
    menu_icon = "cogs"
    menu_order = 200
    items = (MemberViewSet, AreaViewSet, VocabularyTermViewSet)
