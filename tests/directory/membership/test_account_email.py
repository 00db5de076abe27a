"""「アカウント設定」: an editor cannot take an address another account or member uses.

Invitations find accounts by address; the first half of the account takeover was a member
editor setting, in /admin/account/, the address the 事務局 would invite for another member.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.directory import EditorFactory, MemberFactory
from tests.factories.membership import logged_in

pytestmark = pytest.mark.django_db
ACCOUNT = "wagtailadmin_account"


def change_email(client, email: str):
    data = {
        "name_email-first_name": "花子",
        "name_email-last_name": "山田",
        "account_email-email": email,
        "name_email-email": email,  # what Wagtail's own form would have taken
        "locale-preferred_language": "ja",
        "locale-current_time_zone": "Asia/Tokyo",
        "theme-theme": "system",
        "theme-contrast": "system",
        "theme-density": "default",
        "theme-keyboard_shortcuts": "true",
    }
    return client.post(reverse(ACCOUNT), data)


@pytest.fixture
def editor():
    return EditorFactory(member=MemberFactory(), email="me@a.example.org")


@pytest.mark.parametrize(
    "taken",
    ["other-account", "pending-invitation", "other-members-email"],
)
def test_editor_cannot_take_an_address_in_use(editor, taken):
    other = MemberFactory(email="info@b.example.org")
    address = "info@b.example.org"
    if taken == "other-account":
        address = EditorFactory(member=other, email="someone@b.example.org").email
    elif taken == "pending-invitation":
        invited = EditorFactory(member=other, email="invited@b.example.org")
        invited.set_unusable_password()
        invited.save()
        address = invited.email
    response = change_email(logged_in(editor), address.upper())
    assert response.status_code == 200
    html = response.content.decode()
    assert "ほかのアカウントで使われています" in html or "ほかの団体の団体メール" in html
    editor.refresh_from_db()
    assert editor.email == "me@a.example.org"


def test_editor_can_change_to_a_free_address(editor):
    response = change_email(logged_in(editor), "new@a.example.org")
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.email == "new@a.example.org"
