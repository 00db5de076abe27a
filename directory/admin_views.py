"""The 事務局's decisions on a member: approve, decline, suspend, withdraw (with a notice)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from directory import membership
from directory.models import Member, MemberStatus


@dataclass(frozen=True)
class Decision:
    label: str
    question: str
    done: str
    allowed_from: tuple[str, ...]
    apply: Callable[[Member, AbstractBaseUser], Any]


DECISIONS: dict[str, Decision] = {
    "approve": Decision(
        label="承認する",
        question="この団体を承認し、団体ページ・編集者グループ・画像と文書のコレクションを作成（または再開）しますか？",
        done="「%s」を承認しました。",
        allowed_from=(
            MemberStatus.APPLIED,
            MemberStatus.SUSPENDED,
            MemberStatus.DECLINED,
            MemberStatus.WITHDRAWN,
        ),
        apply=lambda member, user: membership.approve_member(member),
    ),
    "decline": Decision(
        label="承認しない",
        question="この申請を承認しないことにしますか？",
        done="「%s」の申請を不承認にしました。",
        allowed_from=(MemberStatus.APPLIED,),
        apply=lambda member, user: membership.decline_member(member),
    ),
    "suspend": Decision(
        label="一時停止する",
        question="この団体を一時停止しますか？編集者は編集できなくなり、団体ページと掲載は非公開（下書き）になります。",
        done="「%s」を一時停止しました。",
        allowed_from=(MemberStatus.APPROVED,),
        apply=membership.suspend_member,
    ),
    "withdraw": Decision(
        label="退会にする",
        question="この団体を退会にしますか？編集者は編集できなくなり、団体ページと掲載は非公開（下書き）になります。",
        done="「%s」を退会にしました。",
        allowed_from=(MemberStatus.APPROVED, MemberStatus.SUSPENDED),
        apply=membership.withdraw_member,
    ),
}


def decisions_for(member: Member) -> list[tuple[str, Decision]]:
    """The decisions that make sense from the member's current status."""
    return [(key, d) for key, d in DECISIONS.items() if member.status in d.allowed_from]


class MemberDecisionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """GET asks for confirmation, POST applies the decision and e-mails the 団体メール."""

    model = Member
    permission_required = "change"
    template_name = "directory/membership/admin_decision.html"
    header_icon = "group"
    edit_url_name = ""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.member = get_object_or_404(Member, pk=kwargs["pk"])
        self.decision_key = kwargs["decision"]
        decision = DECISIONS.get(self.decision_key)
        if decision is None or self.member.status not in decision.allowed_from:
            raise Http404("この団体の状態では、その操作はできません。")
        self.decision = decision

    def get_page_title(self) -> str:
        return f"{self.decision.label}: {self.member.name}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            member=self.member,
            decision=self.decision,
            edit_url=reverse(self.edit_url_name, args=[self.member.pk]),
            **kwargs,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.decision.apply(self.member, request.user)
        self.member.refresh_from_db()
        messages.success(request, self.decision.done % self.member.name)
        if membership.notify_member(self.member):
            messages.success(request, "団体メールにお知らせを送りました。")
        elif self.member.email:
            messages.warning(
                request, "お知らせのメールを送れませんでした。団体に直接ご連絡ください。"
            )
        return redirect(self.edit_url_name, self.member.pk)
