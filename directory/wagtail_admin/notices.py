"""The 事務局's reasons in the admin: the decision form and the reasoned unpublish.

Suspending, reinstating and withdrawing a member (lifecycle steps that needs_reason) and the
事務局 unpublishing a member's page ask for a reason (ReasonForm). directory.membership.notices
stores it, mails it to the member and lists it on the member's dashboard. A member's editors
unpublishing their own pages are not asked: the rule is `unpublish_reason_needed`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.models import Page

from directory.membership import access, notices
from directory.membership import lifecycle as membership
from directory.models import Member, MemberNotice, MemberPage
from directory.wagtail_admin.views import MemberAdminView, _user

REASON_HELP = "団体の窓口と編集者にメールで届き、団体の管理画面のダッシュボードにも表示されます。個人が特定できる情報は書かないでください。"


class ReasonForm(forms.ModelForm):
    """The 事務局's reason: required, short, checked for personal information (the model)."""

    class Meta:
        model = MemberNotice
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"reason": REASON_HELP}
        error_messages = {"reason": {"required": notices.REASON_MISSING}}


class MemberDecisionView(MemberAdminView):
    """GET asks for confirmation (and a reason where the step needs one); POST applies it."""

    template_name = "directory/membership/admin_decision.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.decision_key = kwargs["decision"]
        decisions = {step.name: step for step in membership.decisions_for(self.member)}
        if self.decision_key not in decisions:
            raise Http404("この団体の状態では、その操作はできません。")
        self.decision = decisions[self.decision_key]

    def get_page_title(self) -> str:
        return f"{self.decision.label}: {self.member.name}"

    def get_form(self) -> ReasonForm | None:
        if not self.decision.needs_reason:
            return None
        return ReasonForm(self.request.POST if self.request.method == "POST" else None)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(decision=self.decision, form=self.get_form())
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if form is not None and not form.is_valid():
            return self.render_to_response(self.get_context_data(decision=self.decision, form=form))
        reason = form.cleaned_data["reason"] if form is not None else ""
        try:
            membership.transition(self.member, self.decision.name, _user(request), reason=reason)
        except membership.TransitionRefused as refusal:  # changed meanwhile (another tab)
            messages.error(request, str(refusal))
            return redirect(self.edit_url_name, self.member.pk)
        self.member.refresh_from_db()
        messages.success(request, self.decision.done % self.member.name)
        if membership.notify_member(self.member, self.decision, reason):
            messages.success(request, "団体の窓口と編集者にお知らせのメールを送りました。")
        elif notices.notice_addresses(self.member):
            messages.warning(
                request, "お知らせのメールを送れませんでした。団体に直接ご連絡ください。"
            )
        return redirect(self.edit_url_name, self.member.pk)


def owning_member(page: Page) -> Member | None:
    """The member whose page this is or sits under (its MemberPage, inclusive)."""
    owner = MemberPage.objects.ancestor_of(page, inclusive=True).select_related("member").first()
    return owner.member if owner is not None else None


def unpublish_reason_needed(user: Any, page: Page) -> Member | None:
    """The member to tell when the 事務局 unpublishes its page; None when no reason is asked.

    A member's own editors unpublishing their own pages, and pages outside every member's
    subtree (the PF's own pages), need no reason.
    """
    if not access.is_secretariat(user):
        return None
    member = owning_member(page)
    if member is None or access.member_of(user).filter(pk=member.pk).exists():
        return None
    return member


def unpublish_url(request: HttpRequest, page: Page) -> str:
    url = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    next_url = request.POST.get("next") or request.GET.get("next")
    return f"{url}?next={next_url}" if next_url else url


def require_unpublish_reason(request: HttpRequest, page: Page) -> HttpResponse | None:
    """before_unpublish_page: the 事務局 unpublishes a member's page only with a reason."""
    if unpublish_reason_needed(request.user, page) is None:
        return None
    form = ReasonForm(request.POST)
    if form.is_valid():
        return None
    for error in form.errors["reason"]:
        messages.error(request, error)
    return redirect(unpublish_url(request, page))


def tell_member_of_unpublish(request: HttpRequest, page: Page) -> None:
    """after_unpublish_page: store the reason as the member's notice and mail it."""
    member = unpublish_reason_needed(request.user, page)
    if member is None:
        return
    notice = notices.record(member, MemberNotice.Kind.UNPUBLISH, request.POST["reason"], page)
    sent = notices.mail_unpublished(notice)
    if sent:
        messages.success(request, "団体の窓口と編集者に理由をメールで送りました。")
    elif sent is False:
        messages.warning(request, "お知らせのメールを送れませんでした。団体に直接ご連絡ください。")


def unpublish_in_bulk_needs_reasons(
    request: HttpRequest, action_type: str, objects: list[Any], action: Any
) -> HttpResponse | None:
    """before_bulk_action: bulk unpublish has no reason field, so member pages go one by one."""
    if action_type != "unpublish":
        return None
    for page in objects:
        if isinstance(page, Page) and unpublish_reason_needed(request.user, page):
            messages.error(
                request,
                f"「{page.title}」は会員団体のページです。理由を書いて1件ずつ非公開にしてください。",
            )
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def reason_form_for(request: HttpRequest, page: Page) -> ReasonForm | None:
    """The reason field of the unpublish confirmation, when the 事務局 must give one."""
    return ReasonForm() if unpublish_reason_needed(request.user, page) else None
