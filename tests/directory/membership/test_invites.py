"""「編集者を招待」: the 事務局 gives an admitted member editors, and nothing more."""

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from directory.membership.lifecycle import ensure_secretariat_group
from directory.models import MemberStatus, PlacePage
from tests.factories.directory import EditorFactory, MemberFactory, PlacePageFactory
from tests.factories.membership import SecretariatUserFactory, logged_in, page_edit_form_data

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "kawa-no-nagare-2026"


def editors_url(member) -> str:
    return reverse("wagtailsnippets_directory_member:editors", args=[member.pk])


def remove_url(member, user) -> str:
    return reverse("wagtailsnippets_directory_member:remove_editor", args=[member.pk, user.pk])


def invite(client: Client, member, name="山田 花子", email="hanako@example.org", **kwargs):
    return client.post(editors_url(member), {"name": name, "email": email}, **kwargs)


def assert_denied(response) -> None:
    """Wagtail turns a PermissionDenied in its admin into a redirect home; plain Django: 403."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")


def link_in(message) -> str:
    """The path of the set-password link in an invitation e-mail."""
    url = re.search(r"https?://\S+/password_reset/confirm/\S+", message.body).group(0)
    return urlparse(url).path


# -- a new account -------------------------------------------------------------------------


def test_invitation_creates_an_editor_in_exactly_one_group(secretariat):
    member = MemberFactory()
    response = invite(secretariat, member, follow=True)
    assert "のアカウントを作り" in response.content.decode()
    user = User.objects.get(email="hanako@example.org")
    assert list(user.groups.all()) == [member.group]
    assert user.is_active
    assert not user.is_superuser
    assert not user.is_staff
    assert not user.has_usable_password()
    assert not user.user_permissions.exists()
    assert (user.get_username(), user.get_full_name()) == ("hanako@example.org", "山田 花子")


def test_invitation_mail_has_a_link_and_no_password(secretariat):
    member = MemberFactory(name="みどりの会")
    invite(secretariat, member)
    [message] = mail.outbox
    assert message.to == ["hanako@example.org"]
    assert "みどりの会" in message.subject
    assert "パスワードを設定" in message.body
    assert "English:" in message.body
    assert "/admin/password_reset/confirm/" in message.body
    assert "password:" not in message.body.lower()


def test_invited_editor_sets_a_password_logs_in_and_edits_only_their_member(secretariat):
    member = MemberFactory()
    own = PlacePageFactory(member=member, title="自分の居場所")
    other = PlacePageFactory(member=MemberFactory(), title="ほかの居場所")
    invite(secretariat, member)
    link = link_in(mail.outbox[0])

    browser = Client()
    set_password_page = browser.get(link, follow=True)
    assert set_password_page.context["validlink"]
    form_url = set_password_page.redirect_chain[-1][0]
    done = browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302

    login = browser.post(
        reverse("wagtailadmin_login"),
        {"username": "hanako@example.org", "password": NEW_PASSWORD},
    )
    assert login.status_code == 302
    data = page_edit_form_data(browser, own, title="自分の居場所（更新）")
    saved = browser.post(reverse("wagtailadmin_pages:edit", args=[own.pk]), data)
    assert saved.status_code == 302
    assert PlacePage.objects.get(pk=own.pk).get_latest_revision_as_object().title == (
        "自分の居場所（更新）"
    )
    other_edit = reverse("wagtailadmin_pages:edit", args=[other.pk])
    assert browser.get(other_edit).status_code in (302, 403)


def test_the_link_works_only_once(secretariat):
    invite(secretariat, MemberFactory())
    link = link_in(mail.outbox[0])
    first = Client()
    form_url = first.get(link, follow=True).redirect_chain[-1][0]
    first.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not Client().get(link, follow=True).context["validlink"]


def test_inviting_again_resends_the_link_without_a_second_account(secretariat):
    member = MemberFactory()
    invite(secretariat, member)
    response = invite(secretariat, member, follow=True)
    assert "すでに" in response.content.decode()
    assert User.objects.filter(email="hanako@example.org").count() == 1
    assert len(mail.outbox) == 2
    assert "/password_reset/confirm/" in mail.outbox[1].body


def test_failing_mail_server_keeps_the_account_and_says_so(secretariat, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("directory.membership.lifecycle.send_mail", refuse)
    member = MemberFactory()
    response = invite(secretariat, member, follow=True)
    assert "メールを送れませんでした" in response.content.decode()
    assert User.objects.get(email="hanako@example.org").groups.get() == member.group


def test_simultaneous_invitations_of_one_address_do_not_fail(secretariat, monkeypatch):
    member = MemberFactory()
    invite(secretariat, member)
    # The other request checked before this one created the account.
    monkeypatch.setattr(
        "directory.membership.invites._existing_account", lambda member, email: None
    )
    response = invite(secretariat, member)
    assert response.status_code == 200
    assert "同時に行われました" in response.content.decode()
    assert User.objects.filter(email="hanako@example.org").count() == 1


# -- an existing account -------------------------------------------------------------------


def test_existing_account_joins_this_member_and_keeps_everything_else(secretariat):
    """An account in no member's group (e.g. a former editor) joins, keeping its password."""
    member = MemberFactory()
    helper = EditorFactory(email="helper@example.org", first_name="佐藤")
    password_hash = helper.password
    response = invite(secretariat, member, name="別の名前", email="HELPER@example.org", follow=True)
    assert "既存のアカウント" in response.content.decode()
    helper.refresh_from_db()
    assert set(helper.groups.all()) == {member.group}
    assert (helper.password, helper.first_name, helper.is_superuser) == (
        password_hash,
        "佐藤",
        False,
    )
    assert User.objects.filter(email__iexact="helper@example.org").count() == 1
    [message] = mail.outbox
    assert "/password_reset/" not in message.body


def test_invitation_never_attaches_another_members_editor(secretariat):
    """Account takeover: A's editor set B's 団体メール on its account, then B was invited.

    The invitation used to add that account to B's group (B's pages went from 302 to 200).
    """
    a, b = MemberFactory(), MemberFactory(email="info@b.example.org")
    listing = PlacePageFactory(member=b)
    attacker = EditorFactory(member=a, email="info@b.example.org")
    response = invite(secretariat, b, name="B会 窓口", email="info@b.example.org")
    assert response.status_code == 200
    assert "ほかの団体の編集者" in response.content.decode()
    assert list(attacker.groups.all()) == [a.group]
    edit = reverse("wagtailadmin_pages:edit", args=[listing.pk])
    assert logged_in(attacker).get(edit).status_code in (302, 403)
    assert mail.outbox == []


@pytest.mark.parametrize("kind", ["superuser", "secretariat"])
def test_superuser_or_secretariat_account_is_refused(secretariat, kind):
    member = MemberFactory()
    user = EditorFactory(email="boss@example.org", is_superuser=kind == "superuser")
    if kind == "secretariat":
        user.groups.add(ensure_secretariat_group())
    groups_before = set(user.groups.all())
    response = invite(secretariat, member, email="boss@example.org")
    assert response.status_code == 200
    assert "管理者または事務局のアカウントです" in response.content.decode()
    assert set(user.groups.all()) == groups_before
    assert mail.outbox == []


# -- refused input and states --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [
        ("", "a@example.org", "氏名を入力してください"),
        ("山田", "", "メールアドレスを入力してください"),
        ("山田", "not-an-address", "メールアドレスの形式が正しくありません"),
        ("山田", "a" * 140 + "@example.org", "150文字以内"),
    ],
)
def test_bad_input_is_refused_in_japanese(secretariat, name, email, message):
    response = invite(secretariat, MemberFactory(), name=name, email=email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(first_name="山田").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "status",
    [MemberStatus.APPLIED, MemberStatus.SUSPENDED, MemberStatus.WITHDRAWN, MemberStatus.DECLINED],
)
def test_only_an_approved_member_can_invite(secretariat, status):
    member = MemberFactory()
    member.status = status
    member.save(update_fields=["status"])
    assert "編集者を招待できません" in secretariat.get(editors_url(member)).content.decode()
    response = invite(secretariat, member)
    assert response.status_code == 200
    assert "承認済みの団体だけに招待できます" in response.content.decode()
    assert not User.objects.filter(email="hanako@example.org").exists()


def test_applicant_without_a_group_is_refused_too(secretariat):
    applicant = MemberFactory(status=MemberStatus.APPLIED)
    response = invite(secretariat, applicant)
    assert response.status_code == 200
    assert not User.objects.filter(email="hanako@example.org").exists()


def test_csrf_is_checked():
    client = Client(enforce_csrf_checks=True)
    client.force_login(SecretariatUserFactory())
    assert invite(client, MemberFactory()).status_code == 403
    assert not User.objects.filter(email="hanako@example.org").exists()


# -- permissions ---------------------------------------------------------------------------


def test_member_editor_cannot_open_or_use_the_invitation(editor_client, member):
    assert_denied(editor_client.get(editors_url(member)))
    assert_denied(invite(editor_client, member))
    assert not User.objects.filter(email="hanako@example.org").exists()


def test_member_editor_cannot_remove_anyone(editor_client, member):
    colleague = EditorFactory(member=member)
    assert_denied(editor_client.post(remove_url(member, colleague)))
    assert colleague.groups.filter(pk=member.group_id).exists()


def test_secretariat_sees_the_editors_and_the_button(secretariat):
    member = MemberFactory()
    EditorFactory(member=member, email="kimura@example.org", first_name="木村")
    page = secretariat.get(editors_url(member)).content.decode()
    assert "kimura@example.org" in page
    assert "木村" in page
    assert "この団体から外す" in page
    edit = reverse("wagtailsnippets_directory_member:edit", args=[member.pk])
    assert editors_url(member) in secretariat.get(edit).content.decode()
    listing = reverse("wagtailsnippets_directory_member:list")
    assert editors_url(member) in secretariat.get(listing).content.decode()


# -- removal -------------------------------------------------------------------------------


def test_removal_takes_only_this_members_group(secretariat):
    first, second = MemberFactory(), MemberFactory()
    helper = EditorFactory(member=first)
    helper.groups.add(second.group)
    response = secretariat.post(remove_url(first, helper), follow=True)
    assert "外しました" in response.content.decode()
    helper.refresh_from_db()
    assert list(helper.groups.all()) == [second.group]
    assert helper.is_active


def test_removal_is_post_only(secretariat):
    member = MemberFactory()
    editor = EditorFactory(member=member)
    assert secretariat.get(remove_url(member, editor)).status_code == 405
    assert editor.groups.filter(pk=member.group_id).exists()


def test_removing_someone_who_is_not_this_members_editor_is_404(secretariat):
    first, second = MemberFactory(), MemberFactory()
    outsider = EditorFactory(member=second)
    assert secretariat.post(remove_url(first, outsider)).status_code == 404
    assert outsider.groups.filter(pk=second.group_id).exists()


def test_removed_editor_can_no_longer_edit(secretariat):
    member = MemberFactory()
    listing = PlacePageFactory(member=member)
    editor = EditorFactory(member=member)
    browser = logged_in(editor)
    edit = reverse("wagtailadmin_pages:edit", args=[listing.pk])
    assert browser.get(edit).status_code == 200
    secretariat.post(remove_url(member, editor))
    assert browser.get(edit).status_code in (302, 403)
    assert User.objects.filter(pk=editor.pk).exists()
