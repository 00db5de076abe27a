"""The e-mail address in 「アカウント設定」, checked against directory.membership.access.

Wagtail's own name-and-e-mail form accepts any address. Invitations find accounts by address,
so a member editor could take the address the 事務局 was about to invite for another member
and be given that member's pages. settings.WAGTAIL_EMAIL_MANAGEMENT_ENABLED is False, which
removes the address from Wagtail's form; this panel offers it again, checked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from wagtail.admin.views.account import BaseSettingsPanel

from directory.membership import access


class AccountEmailForm(forms.ModelForm):
    email = forms.EmailField(
        label="メールアドレス",
        max_length=254,
        error_messages={
            "required": "メールアドレスを入力してください。",
            "invalid": "メールアドレスの形式が正しくありません。",
        },
    )

    class Meta:
        model = get_user_model()
        fields = ["email"]

    def clean_email(self) -> str:
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())
        refusal = access.email_refusal(self.instance, email)
        if refusal:
            raise forms.ValidationError(refusal)
        return email


class AccountEmailSettingsPanel(BaseSettingsPanel):
    name = "account_email"
    title = "メールアドレス"
    order = 110
    form_class = AccountEmailForm


def account_email_panel(request: HttpRequest, user: Any, profile: Any) -> AccountEmailSettingsPanel:
    """register_account_settings_panel: the checked e-mail field."""
    return AccountEmailSettingsPanel(request, user, profile)
