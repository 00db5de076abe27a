"""The lifecycle: one transition table, checked and logged on every path that changes status."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from directory.membership import lifecycle
from directory.membership.forms import MembershipApplicationForm
from directory.models import Member, MemberStatus
from tests.factories.directory import MemberFactory
from tests.factories.membership import SecretariatUserFactory

pytestmark = pytest.mark.django_db
KODOMO = Path(__file__).resolve().parents[2] / "data" / "kodomo_shokudo_cp932.csv"


def log_actions(member: Member) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(member).order_by("pk").values_list("action", flat=True)
    )


STEPS = [name for name, step in lifecycle.TRANSITIONS.items() if step.decision]


@pytest.mark.parametrize("name", STEPS)
@pytest.mark.parametrize("status", list(MemberStatus))
def test_each_step_runs_only_from_its_allowed_statuses(name, status):
    member = MemberFactory(status=status)
    step = lifecycle.TRANSITIONS[name]
    if status in step.allowed_from:
        lifecycle.transition(member, name, SecretariatUserFactory(), reason="事務局の判断")
        assert log_actions(member) == [f"tsunagari.member.{name}"]
    else:
        with pytest.raises(lifecycle.TransitionRefused, match="はできません"):
            lifecycle.transition(member, name)
        member.refresh_from_db()
        assert member.status == status
        assert log_actions(member) == []


def test_transition_table_names_every_step_of_the_issue():
    assert set(lifecycle.TRANSITIONS) == {
        "apply",
        "approve",
        "ask_for_changes",
        "decline",
        "suspend",
        "reinstate",
        "withdraw",
    }


def test_log_entry_records_who_and_the_statuses_only():
    member = MemberFactory(status=MemberStatus.APPLIED)
    user = SecretariatUserFactory()
    lifecycle.transition(member, "approve", user)
    entry = ModelLogEntry.objects.for_instance(member).get()
    assert entry.user == user
    assert entry.data == {"from": "applied", "to": "approved", "source": ""}
    assert entry.message == "会員団体: 承認する"


def test_ask_for_changes_keeps_the_application_and_mails_a_request(mailoutbox):
    member = MemberFactory(status=MemberStatus.APPLIED, email="info@example.org")
    lifecycle.transition(member, "ask_for_changes")
    step = lifecycle.TRANSITIONS["ask_for_changes"]
    assert lifecycle.notify_member(member, step)
    member.refresh_from_db()
    assert member.status == MemberStatus.APPLIED
    assert "確認" in mailoutbox[0].subject


def test_application_form_goes_through_apply():
    form = MembershipApplicationForm(
        {
            "name": "みどりの会",
            "kana": "みどりのかい",
            "member_type": "npo",
            "email": "info@midori.example.org",
        }
    )
    assert form.is_valid(), form.errors
    member = form.save()
    assert member.status == MemberStatus.APPLIED
    assert log_actions(member) == ["tsunagari.member.apply"]


def test_open_data_import_registers_its_members_through_the_lifecycle():
    """The importers used to approve new organisations themselves: no check by the 事務局."""
    call_command("import_opendata", "--format", "kodomo-shokudo", str(KODOMO), stdout=io.StringIO())
    entries = ModelLogEntry.objects.filter(action__startswith="tsunagari.member.")
    assert {entry.action for entry in entries} == {"tsunagari.member.apply"}
    assert {entry.data["source"] for entry in entries} == {"オープンデータ取込"}


def test_an_import_does_not_undo_a_suspension():
    member = MemberFactory()
    lifecycle.transition(member, "suspend", reason="確認のため")
    with pytest.raises(lifecycle.TransitionRefused):
        lifecycle.admit_imported(member)
    member.refresh_from_db()
    assert member.status == MemberStatus.SUSPENDED


def test_reinstating_sends_its_own_notice_not_the_new_member_welcome(mailoutbox):
    member = MemberFactory(email="dantai@example.jp")
    lifecycle.transition(member, "suspend", SecretariatUserFactory(), reason="確認のため")
    mailoutbox.clear()
    lifecycle.transition(member, "reinstate", SecretariatUserFactory(), reason="確認済み")
    assert lifecycle.notify_member(member, lifecycle.TRANSITIONS["reinstate"])
    [notice] = mailoutbox
    assert "再開しました" in notice.subject
    assert "入会を承認" not in notice.subject + notice.body
    assert "下書きのまま" in notice.body
