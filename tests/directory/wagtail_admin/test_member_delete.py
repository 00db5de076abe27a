"""Issue 15 item 6: deleting a member with a page is refused with a message, never a 500."""

import pytest
from django.urls import reverse

from directory.models import Member, MemberStatus
from tests.factories.directory import MemberFactory, member_page_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_with_page():
    member = MemberFactory()  # approved: it has its page tree
    assert member_page_for(member)
    return member


def delete_url(member: Member) -> str:
    return reverse("wagtailsnippets_directory_member:delete", args=[member.pk])


@pytest.fixture
def client(admin_client):
    """Deleting is an administrator's right (the 事務局 withdraws instead)."""
    return admin_client


def test_deleting_a_member_with_a_page_is_refused_in_japanese(client, member_with_page):
    page = client.get(delete_url(member_with_page), follow=True)
    assert page.status_code == 200
    assert "退会" in page.content.decode() and "削除できません" in page.content.decode()
    answer = client.post(delete_url(member_with_page), follow=True)
    assert answer.status_code == 200
    assert "削除できません" in answer.content.decode()
    assert Member.objects.filter(pk=member_with_page.pk).exists()


def test_bulk_delete_of_members_with_pages_is_refused(client, member_with_page):
    url = reverse("wagtail_bulk_action", args=["directory", "member", "delete"])
    answer = client.post(f"{url}?id={member_with_page.pk}", follow=True)
    assert answer.status_code == 200
    assert "削除できません" in answer.content.decode()
    assert Member.objects.filter(pk=member_with_page.pk).exists()


def test_a_declined_applicant_without_a_page_can_still_be_deleted(client):
    member = MemberFactory(status=MemberStatus.DECLINED)
    answer = client.post(delete_url(member))
    assert answer.status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()
