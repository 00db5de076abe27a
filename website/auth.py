"""Admin sign-in: django-axes' lockout page, the limited password reset, the login form.

Both keep the answer the same whether or not an account exists, so neither tells an attacker
which addresses or user names are real.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpRequest, HttpResponse
from django.template import loader
from wagtail.admin.forms.auth import LoginForm, PasswordResetForm

from core.limits import exceeded, private_key


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a Japanese 429 page that says how long the lock lasts."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    response = HttpResponse(loader.render_to_string("website/lockout.html", context), status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    response["Cache-Control"] = "no-store"
    return response


class LimitedPasswordResetForm(PasswordResetForm):
    """WAGTAILADMIN_USER_PASSWORD_RESET_FORM: no more mails past the per-IP or per-address limit.

    The view shows the same "sent" page either way (as Django does for unknown addresses).
    """

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        if request is not None:
            address = self.cleaned_data["email"].strip().lower()
            over_ip = exceeded(request, "password_reset_ip") is not None
            over_address = (
                exceeded(request, "password_reset_address", key=private_key("address", address))
                is not None
            )
            if over_ip or over_address:
                return
        super().save(*args, request=request, **kwargs)


class JapaneseLoginForm(LoginForm):
    """WAGTAILADMIN_USER_LOGIN_FORM: Wagtail's form with a label on its password field.

    Wagtail's LoginForm declares `password` without a label, so Django shows the field name
    「Password」, which no catalogue translates.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "パスワード"
