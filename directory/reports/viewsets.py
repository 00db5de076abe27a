"""「情報の誤りの報告」 in the admin: the 事務局 sees all, a member's editors their own listings'.

Who may do what is directory.membership.access (reports_visible_to, report_actions,
can_forward_report); ReportPermissionPolicy hands those rules to Wagtail, and every view that
names one report answers 404 for a report the user may not see. The resident's part (listing,
reason, message) is read-only once received: the edit form carries only the status and the
member's reply note, so a POST cannot change what the resident wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogActionRegistry, log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets

from directory.membership import access
from directory.models import ListingReport
from directory.reports import notify
from directory.wagtail_admin.chooser import ReportChooserViewSet

FORWARD_LABEL = "団体に転送"
FORWARD_ACTION = "directory.report_forwarded"


def register_log_actions(actions: LogActionRegistry) -> None:
    """register_log_actions: a forward appears in the report's history."""
    actions.register_action(FORWARD_ACTION, "団体に転送", "団体の編集者に転送しました")


def visible_reports(user: Any) -> QuerySet[ListingReport]:
    return access.reports_visible_to(user, ListingReport.objects.all())


@dataclass(frozen=True)
class ReportRights:
    """One user's answers from access, asked once: a listing asks again for every row."""

    actions: frozenset[str]
    sees_all: bool
    forwards: bool
    paths: tuple[str, ...]

    def covers(self, report: ListingReport) -> bool:
        """The same rule as access.reports_visible_to, for a report already loaded."""
        return self.sees_all or report.page.path.startswith(self.paths)


def report_rights(user: Any) -> ReportRights:
    """The user's ReportRights, kept on the user object for the request (as Wagtail does)."""
    rights = getattr(user, "_report_rights", None)
    if rights is None:
        rights = ReportRights(
            access.report_actions(user),
            access.is_secretariat(user),
            access.can_forward_report(user),
            tuple(sorted(access.own_subtree_paths(user))),
        )
        if user is not None and user.is_authenticated:
            user._report_rights = rights
    return rights


class ReportPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's permission questions about reports, answered by access."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action in report_rights(user).actions

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        rights = report_rights(user)
        return action in rights.actions and rights.covers(instance)

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet[Any]:
        if self.user_has_any_permission(user, actions):
            return visible_reports(user)
        return ListingReport.objects.none()


class OwnReportMixin:
    """A view naming one report: 404 unless the user may see it."""

    request: HttpRequest

    def get_object(self, *args: Any, **kwargs: Any) -> ListingReport:
        report = super().get_object(*args, **kwargs)  # type: ignore[misc]
        if not visible_reports(self.request.user).filter(pk=report.pk).exists():
            raise Http404("報告が見つかりません。")
        return report


def forward_button(report: ListingReport, user: Any, priority: int) -> list[Button]:
    if not report_rights(user).forwards:
        return []
    url = reverse(report.snippet_viewset.get_url_name("forward"), args=[report.pk])  # type: ignore[attr-defined]
    return [Button(FORWARD_LABEL, url=url, icon_name="mail", priority=priority)]


class ReportIndexView(snippets.IndexView):
    def get_base_queryset(self) -> QuerySet[Any]:
        reports = super().get_base_queryset().select_related("page")
        return access.reports_visible_to(self.request.user, reports)

    @cached_property
    def can_bulk_delete(self) -> bool:
        return "delete" in report_rights(self.request.user).actions

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(can_bulk_delete=self.can_bulk_delete, **kwargs)

    @cached_property
    def columns(self) -> list[Column]:
        columns = list(super().columns)
        if not self.can_bulk_delete:
            columns = [c for c in columns if not isinstance(c, BulkActionsCheckboxColumn)]
        if report_rights(self.request.user).sees_all:
            columns.append(
                Column(
                    "notice_failed",
                    label="団体への通知",
                    accessor=lambda report: "送れませんでした" if report.notice_failed else "",
                )
            )
        return columns

    def get_list_more_buttons(self, instance: ListingReport) -> list[Any]:
        return [
            *super().get_list_more_buttons(instance),
            *forward_button(instance, self.request.user, 15),
        ]


class ReportCreateView(snippets.CreateView):
    """The 事務局 records a report taken by phone; it reaches the member like any other."""

    def save_instance(self) -> ListingReport:
        report = super().save_instance()
        notify.notify_editors(report)
        return report


class ReportEditView(OwnReportMixin, snippets.EditView):
    @cached_property
    def header_more_buttons(self) -> list[Any]:
        return [*super().header_more_buttons, *forward_button(self.object, self.request.user, 5)]


class ReportDeleteView(OwnReportMixin, snippets.DeleteView):
    pass


class ReportUsageView(OwnReportMixin, snippets.UsageView):
    pass


class ReportHistoryView(OwnReportMixin, snippets.HistoryView):
    pass


class ReportInspectView(OwnReportMixin, snippets.InspectView):
    pass


class ForwardForm(forms.Form):
    note = forms.CharField(
        label="事務局からのメモ",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="団体の編集者へのメールに添えます。個人が特定できる情報は書かないでください。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from core.pii import validate_no_personal_information

        self.fields["note"].validators.append(validate_no_personal_information)


class ReportForwardView(WagtailAdminTemplateMixin, FormView):
    """GET asks for a note; POST mails the report to the member's editors again with it."""

    template_name = "directory/reports/admin_forward.html"
    form_class = ForwardForm
    header_icon = "mail"
    page_title = FORWARD_LABEL
    edit_url_name = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not access.can_forward_report(request.user):
            raise PermissionDenied
        self.report = get_object_or_404(visible_reports(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.report)

    def edit_url(self) -> str:
        return reverse(self.edit_url_name, args=[self.report.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            report=self.report,
            member=notify.owning_member(self.report.page),
            edit_url=self.edit_url(),
            **kwargs,
        )

    def form_valid(self, form: ForwardForm) -> HttpResponse:
        reached = notify.notify_editors(self.report, forward_note=form.cleaned_data["note"])
        log(self.report, FORWARD_ACTION, user=self.request.user, data={"reached": reached})
        if reached:
            messages.success(self.request, f"団体の編集者{reached}人に転送しました。")
        else:
            messages.error(
                self.request,
                "団体の編集者にメールを送れませんでした（編集者がいないか、メールの送信に"
                "失敗しました）。電話などで団体に伝えてください。",
            )
        return redirect(self.edit_url())


class ListingReportViewSet(snippets.SnippetViewSet):
    """Residents' reports: members answer their own, the 事務局 sees all and forwards."""

    model = ListingReport
    icon = "warning"
    menu_label = "住民からの報告"
    menu_name = "listing-reports"
    menu_order = 150
    add_to_admin_menu = True
    chooser_viewset_class = ReportChooserViewSet
    index_view_class = ReportIndexView
    add_view_class = ReportCreateView
    edit_view_class = ReportEditView
    delete_view_class = ReportDeleteView
    usage_view_class = ReportUsageView
    history_view_class = ReportHistoryView
    inspect_view_class = ReportInspectView
    index_template_name = "directory/reports/admin_index.html"
    list_display = ["page", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["message"]
    # Recording a report (the 事務局, from a phone call) writes the resident's part.
    panels = [FieldPanel("page"), FieldPanel("reason"), FieldPanel("message"), FieldPanel("status")]

    @cached_property
    def review_edit_handler(self) -> ObjectList:
        """Once received, the resident's part is shown, never a field of the form."""
        return ObjectList(
            [
                FieldPanel("page", read_only=True),
                FieldPanel("reason", read_only=True),
                FieldPanel("message", read_only=True),
                FieldPanel("forward_note", read_only=True),
                FieldPanel("status"),
                FieldPanel("reply_note"),
            ]
        ).bind_to_model(self.model)

    def get_edit_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        panel = self.review_edit_handler
        return super().get_edit_view_kwargs(
            panel=panel, form_class=panel.get_form_class(), **kwargs
        )

    def get_urlpatterns(self) -> list[Any]:
        forward = ReportForwardView.as_view(edit_url_name=self.get_url_name("edit"))
        return [
            *super().get_urlpatterns(),
            path("forward/<int:pk>/", forward, name="forward"),
        ]


def register_policy() -> None:
    """Before the viewset registers: Wagtail would otherwise fall back to model permissions."""
    from wagtail.permissions import register_permission_policy

    register_permission_policy(ListingReport, ReportPermissionPolicy(ListingReport))
