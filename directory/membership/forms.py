"""The public membership application: organisational fields only, checked for personal data."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.pii import validate_no_personal_information
from directory.membership.lifecycle import transition
from directory.models import Area, Member, MemberStatus, VocabularyTerm

FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
FREE_TEXT_FIELDS = ("name", "kana", "contact_point", "description", "application_note")
VOCABULARY_FIELDS = ("fields", "targets", "offers", "looks_for")


def display_label(term: VocabularyTerm) -> str:
    return term.display_label


class MembershipApplicationForm(forms.ModelForm):
    """What an organisation tells the 事務局 when it applies; the 事務局 checks it before approval."""

    class Meta:
        model = Member
        fields = [
            "name",
            "kana",
            "member_type",
            "corporate_number",
            "fields",
            "targets",
            "areas",
            "offers",
            "looks_for",
            "phone",
            "email",
            "contact_point",
            "website",
            "address",
            "description",
            "application_note",
        ]
        widgets = dict.fromkeys(
            ("fields", "targets", "areas", "offers", "looks_for"), forms.CheckboxSelectMultiple
        )
        # The model's verbose names, translatable here: /join/ is read in the visitor's language.
        labels = {
            "name": _("団体名"),
            "kana": _("団体名よみがな"),
            "member_type": _("団体の種類"),
            "corporate_number": _("法人番号"),
            "fields": _("活動分野"),
            "targets": _("主な対象"),
            "areas": _("活動地域"),
            "offers": _("提供できること"),
            "looks_for": _("求めていること"),
            "phone": _("代表電話"),
            "email": _("団体メール"),
            "contact_point": _("窓口名"),
            "website": _("ウェブサイト"),
            "address": _("所在地（団体）"),
            "description": _("団体の紹介"),
            "application_note": _("申請時のメッセージ"),
        }
        help_texts = {
            "corporate_number": _("13桁（法人のみ・任意）。国税庁の検査用数字で確認します。"),
            "contact_point": _(
                "部署名・窓口の名前（例: 地域福祉課 相談係）。個人のお名前は書かないでください。"
            ),
            "email": _("団体・窓口のメールアドレス。受付のお知らせをお送りします。"),
            "phone": _("団体の代表電話または窓口の電話番号。"),
            "description": _("どんな活動をしているか。個人が特定できる情報は書かないでください。"),
            "application_note": _(
                "事務局へのメッセージ（任意）。個人の相談内容は書かないでください。"
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = cast(forms.ModelMultipleChoiceField, self.fields["areas"])  # the model's M2M
        areas.queryset = Area.objects.for_platform()
        for name in VOCABULARY_FIELDS:  # labels as the applicant reads them
            terms = cast(forms.ModelMultipleChoiceField, self.fields[name])
            terms.label_from_instance = display_label  # type: ignore[method-assign,assignment]
        self.fields["kana"].required = True
        self.fields["email"].required = True
        for name in FREE_TEXT_FIELDS:
            self.fields[name].validators.append(validate_no_personal_information)
        self.fields["corporate_number"].widget.attrs.update(
            inputmode="numeric", autocomplete="off", pattern="[0-9]{13}"
        )
        # The widget's own input_type, not an attr: an attr "type" is written a second time.
        phone = cast(forms.TextInput, self.fields["phone"].widget)
        phone.input_type = "tel"
        phone.attrs.update(inputmode="tel", autocomplete="tel")

    def clean_corporate_number(self) -> str:
        """Accept full-width digits as people type them; the model checks the check digit."""
        return self.cleaned_data.get("corporate_number", "").translate(FULL_WIDTH_DIGITS)

    def save(self, commit: bool = True) -> Member:
        """An application is always a new member in status 申請中 with a temporary slug.

        Saving goes through the lifecycle's "apply" step, which sets the status and logs it.
        """
        member: Member = super().save(commit=False)
        member.status = MemberStatus.APPLIED
        member.slug = f"applicant-{uuid.uuid4().hex[:12]}"
        if commit:
            transition(member, "apply")
            self.save_m2m()
        return member
