"""Issue 15 item 4: a member's editors manage their own organisation, never another's."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from directory.membership import access
from directory.membership.lifecycle import ensure_secretariat_group
from directory.models import Member, MemberStatus
from directory.wagtail_admin import organisation
from tests.factories.directory import EditorFactory, MemberFactory
from tests.factories.membership import SecretariatUserFactory, logged_in

pytestmark = pytest.mark.django_db

MENU_LABEL = json.dumps("団体の情報")  # the sidebar is rendered as JSON


@pytest.fixture
def two_members():
    a, b = MemberFactory(), MemberFactory()
    return a, b, EditorFactory(member=a), EditorFactory(member=b)


def test_editor_edits_own_public_fields_but_not_status_or_slug(two_members):
    a, _, editor_a, _ = two_members
    client = logged_in(editor_a)
    url = reverse(organisation.EDIT_URL_NAME, args=[a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "phone": "03-1111-2222",
            "email": "info@a.example.org",
            "website": "https://a.example.org/",
            "contact_point": "事務室",
            "description": "紹介文",
            "status": MemberStatus.WITHDRAWN,
            "slug": "hijacked",
            "name": "別の名前",
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.phone, a.email, a.contact_point) == ("03-1111-2222", "info@a.example.org", "事務室")
    assert a.status == MemberStatus.APPROVED
    assert a.slug != "hijacked" and a.name != "別の名前"


def test_bad_input_gets_japanese_message(two_members):
    a, _, editor_a, _ = two_members
    response = logged_in(editor_a).post(
        reverse(organisation.EDIT_URL_NAME, args=[a.pk]), {"website": "not a url", "email": "x"}
    )
    assert response.status_code == 200
    assert "入力内容を確認してください" in response.content.decode()


def test_editor_cannot_reach_another_members_organisation(two_members):
    _a, b, editor_a, editor_b = two_members
    client = logged_in(editor_a)
    before = Member.objects.filter(pk=b.pk).values().get()
    urls = [
        reverse(organisation.EDIT_URL_NAME, args=[b.pk]),
        reverse(organisation.EDITORS_URL_NAME, args=[b.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"phone": "0", "name": "x", "email": "x@example.org"}).status_code
            == 404
        )
    remove = reverse(organisation.REMOVE_URL_NAME, args=[b.pk, editor_b.pk])
    assert client.post(remove).status_code == 404
    assert Member.objects.filter(pk=b.pk).values().get() == before
    assert editor_b.groups.filter(pk=b.group_id).exists()
    assert not b.group.user_set.exclude(pk=editor_b.pk).exists()


def test_editor_invites_into_own_member_only_with_no_elevated_groups(two_members):
    a, _b, editor_a, _ = two_members
    client = logged_in(editor_a)
    response = client.post(
        reverse(organisation.EDITORS_URL_NAME, args=[a.pk]),
        {"name": "新しい人", "email": "new@example.org", "groups": [ensure_secretariat_group().pk]},
    )
    assert response.status_code == 302
    new = a.group.user_set.get(email="new@example.org")
    assert list(new.groups.all()) == [a.group]
    assert not new.is_staff and not new.is_superuser
    assert len(mail.outbox) == 1


def test_invite_of_another_members_editor_is_refused_without_naming_it(two_members):
    a, b, editor_a, editor_b = two_members
    response = logged_in(editor_a).post(
        reverse(organisation.EDITORS_URL_NAME, args=[a.pk]),
        {"name": "誰か", "email": editor_b.email},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "ほかの団体の編集者" in body and b.name not in body
    assert not editor_b.groups.filter(pk=a.group_id).exists()


def test_removing_an_editor_removes_only_that_membership(two_members):
    a, b, editor_a, _ = two_members
    second = EditorFactory(member=a)
    second.groups.add(b.group)
    response = logged_in(editor_a).post(
        reverse(organisation.REMOVE_URL_NAME, args=[a.pk, second.pk])
    )
    assert response.status_code == 302
    assert not second.groups.filter(pk=a.group_id).exists()
    assert second.groups.filter(pk=b.group_id).exists()
    assert editor_a.groups.filter(pk=a.group_id).exists()


def test_last_editor_cannot_remove_themselves(two_members):
    a, _, editor_a, _ = two_members
    response = logged_in(editor_a).post(
        reverse(organisation.REMOVE_URL_NAME, args=[a.pk, editor_a.pk]), follow=True
    )
    assert "最後の編集者は外せません" in response.content.decode()
    assert editor_a.groups.filter(pk=a.group_id).exists()


def test_suspended_member_editors_cannot_manage(two_members):
    a, _, editor_a, _ = two_members
    Member.objects.filter(pk=a.pk).update(status=MemberStatus.SUSPENDED)
    assert (
        logged_in(editor_a).get(reverse(organisation.EDIT_URL_NAME, args=[a.pk])).status_code == 404
    )


def test_menu_item_points_members_to_their_organisation(two_members):
    a, _, editor_a, _ = two_members
    client = logged_in(editor_a)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert MENU_LABEL in body and reverse(organisation.HOME_URL_NAME) in body
    landing = client.get(reverse(organisation.HOME_URL_NAME))
    assert landing.status_code == 302
    assert landing["Location"] == reverse(organisation.EDIT_URL_NAME, args=[a.pk])


def test_the_secretariat_manages_no_organisation_of_its_own(two_members):
    client = logged_in(SecretariatUserFactory())
    assert MENU_LABEL not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(reverse(organisation.HOME_URL_NAME)).status_code == 404


def test_profile_panels_show_only_what_a_member_may_change(monkeypatch):
    monkeypatch.setattr(access, "MEMBER_SELF_EDIT_FIELDS", ("phone",))
    with pytest.raises(ImproperlyConfigured):
        organisation.profile_form_class()
