"""Reasons and notices: the 事務局's suspend / reinstate / withdraw / unpublish carry a reason
that the member's editors get by mail and see on their dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.membership import lifecycle
from directory.models import MemberNotice, MemberStatus, PlacePage
from tests.factories.directory import EditorFactory, MemberFactory, PlacePageFactory
from tests.factories.membership import SecretariatUserFactory, logged_in

pytestmark = pytest.mark.django_db

REASON = "掲載内容に規約違反のおそれがあるため、確認が終わるまで停止します。"


def decision_url(member, name):
    return reverse("wagtailsnippets_directory_member:decision", args=[member.pk, name])


def unpublish_url(page):
    return reverse("wagtailadmin_pages:unpublish", args=[page.pk])


@pytest.fixture
def organisation():
    member = MemberFactory(email="info@org.example.org")
    editor = EditorFactory(member=member, email="henshu@org.example.org")
    return member, editor


@pytest.mark.parametrize("name", ["suspend", "withdraw"])
def test_closing_a_member_asks_for_a_reason(secretariat, organisation, name):
    member, _ = organisation
    page = secretariat.get(decision_url(member, name)).content.decode()
    assert 'name="reason"' in page
    response = secretariat.post(decision_url(member, name), {"reason": "  "})
    assert response.status_code == 200
    assert "理由を書いてください" in response.content.decode()
    member.refresh_from_db()
    assert member.status == MemberStatus.APPROVED
    assert not MemberNotice.objects.exists()


def test_approving_asks_no_reason(secretariat):
    applicant = MemberFactory(status=MemberStatus.APPLIED)
    assert (
        'name="reason"' not in secretariat.get(decision_url(applicant, "approve")).content.decode()
    )


def test_lifecycle_refuses_a_reasoned_step_without_a_reason(organisation):
    member, _ = organisation
    with pytest.raises(lifecycle.TransitionRefused, match="理由"):
        lifecycle.transition(member, "suspend", SecretariatUserFactory())
    member.refresh_from_db()
    assert member.status == MemberStatus.APPROVED


@pytest.mark.parametrize("name", ["suspend", "withdraw"])
def test_the_reason_is_mailed_to_the_member_and_its_editors(
    secretariat, organisation, mailoutbox, name
):
    member, editor = organisation
    assert secretariat.post(decision_url(member, name), {"reason": REASON}).status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == [editor.email, member.email]
    assert all(REASON in m.body for m in mailoutbox)
    notice = MemberNotice.objects.get(member=member)
    assert (notice.kind, notice.reason) == (name, REASON)


def test_reinstating_mails_its_reason_and_the_dashboard_lists_the_notices(
    secretariat, organisation, mailoutbox
):
    member, editor = organisation
    secretariat.post(decision_url(member, "suspend"), {"reason": REASON})
    mailoutbox.clear()
    back = "確認が終わり、問題がないことがわかりました。"
    secretariat.post(decision_url(member, "reinstate"), {"reason": back})
    assert all(back in m.body and "再開" in m.subject for m in mailoutbox)
    assert len(mailoutbox) == 2

    home = logged_in(editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "事務局からのお知らせ" in home
    assert back in home and REASON in home
    assert home.index(back) < home.index(REASON)  # newest first


def test_a_member_never_sees_another_members_notices(secretariat, organisation):
    _, editor = organisation
    other = MemberFactory()
    other.refresh_from_db()
    lifecycle.transition(other, "suspend", reason="ほかの団体への理由です。")
    home = logged_in(editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "ほかの団体への理由です。" not in home


def test_a_reason_with_personal_information_is_refused(secretariat, organisation):
    member, _ = organisation
    response = secretariat.post(
        decision_url(member, "suspend"), {"reason": "担当の090-1234-5678に連絡しました。"}
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.status == MemberStatus.APPROVED


def test_secretariat_unpublishing_a_listing_needs_a_reason(secretariat, organisation, mailoutbox):
    member, editor = organisation
    listing = PlacePageFactory(member=member, title="みどり食堂")
    listing.save_revision().publish()
    assert 'name="reason"' in secretariat.get(unpublish_url(listing)).content.decode()

    secretariat.post(unpublish_url(listing), {"reason": ""})
    assert PlacePage.objects.get(pk=listing.pk).live
    assert mailoutbox == []

    secretariat.post(unpublish_url(listing), {"reason": "住所が実在しないと報告がありました。"})
    assert not PlacePage.objects.get(pk=listing.pk).live
    assert sorted(m.to[0] for m in mailoutbox) == [editor.email, member.email]
    assert "みどり食堂" in mailoutbox[0].subject
    assert "住所が実在しないと報告がありました。" in mailoutbox[0].body
    home = logged_in(editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "掲載の非公開" in home and "みどり食堂" in home


def test_a_member_unpublishes_its_own_listing_without_a_reason(organisation, mailoutbox):
    member, editor = organisation
    listing = PlacePageFactory(member=member)
    listing.save_revision().publish()
    client = logged_in(editor)
    assert 'name="reason"' not in client.get(unpublish_url(listing)).content.decode()
    client.post(unpublish_url(listing))
    assert not PlacePage.objects.get(pk=listing.pk).live
    assert not MemberNotice.objects.exists()
    assert mailoutbox == []


def test_bulk_unpublish_of_member_pages_is_refused_for_the_secretariat(secretariat, organisation):
    member, _ = organisation
    listing = PlacePageFactory(member=member)
    listing.save_revision().publish()
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
        + f"?id={listing.pk}"
    )
    response = secretariat.post(url, {"include_descendants": ""}, follow=True)
    assert PlacePage.objects.get(pk=listing.pk).live
    assert "1件ずつ" in response.content.decode()
