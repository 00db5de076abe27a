"""Resident reports reach the owning member's editors, who answer them; the 事務局 sees all."""

from __future__ import annotations

import json
import logging
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import ListingReport
from tests.factories.directory import EditorFactory, MemberFactory, PlacePageFactory
from tests.factories.membership import SecretariatUserFactory, logged_in

pytestmark = pytest.mark.django_db

RESIDENT_TEXT = "第3水曜は休みになりました"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("down")


def url(name: str, *args: Any) -> str:
    return reverse(f"wagtailsnippets_directory_listingreport:{name}", args=args)


@pytest.fixture
def two_members():
    """Members A and B, each with an editor, a listing and a report on it."""
    a, b = MemberFactory(), MemberFactory()
    editors = {"a": EditorFactory(member=a), "b": EditorFactory(member=b)}
    listings = {"a": PlacePageFactory(member=a), "b": PlacePageFactory(member=b)}
    reports = {
        key: ListingReport.objects.create(page=page, reason="schedule", message=RESIDENT_TEXT)
        for key, page in listings.items()
    }
    return {"editors": editors, "listings": listings, "reports": reports}


def refused(response) -> bool:
    """403/404, or Wagtail's 「アクセス権がありません」 redirect to the admin home."""
    if response.status_code == 302:
        return response.url == reverse("wagtailadmin_home")
    return response.status_code in (403, 404)


def post_report(client, listing) -> ListingReport:
    response = client.post(
        reverse("listing-report", kwargs={"uuid": listing.uuid}),
        {"reason": "schedule", "message": RESIDENT_TEXT},
    )
    assert response.status_code == 302
    return ListingReport.objects.latest("pk")


def test_a_resident_report_is_mailed_to_the_owning_members_editors_only(client):
    a, b = MemberFactory(), MemberFactory()
    a_editors = [EditorFactory(member=a), EditorFactory(member=a)]
    EditorFactory(member=b)
    SecretariatUserFactory()
    report = post_report(client, PlacePageFactory(member=a, title="ふれあいサロン"))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.email for e in a_editors)
    message = mail.outbox[0]
    assert "ふれあいサロン" in message.subject and "住民から報告" in message.subject
    assert "日時が違う" in message.body
    assert url("edit", report.pk) in message.body
    assert not report.notice_failed


def test_a_report_for_a_member_without_editors_is_kept_and_flagged(client):
    report = post_report(client, PlacePageFactory(member=MemberFactory()))
    assert not mail.outbox
    assert report.message == RESIDENT_TEXT and report.notice_failed


def test_a_mail_failure_keeps_the_report_and_logs_without_the_residents_text(
    client, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    member = MemberFactory()
    EditorFactory(member=member)
    with caplog.at_level(logging.WARNING):
        report = post_report(client, PlacePageFactory(member=member))
    assert report.message == RESIDENT_TEXT and report.notice_failed
    assert "report notice" in caplog.text
    assert RESIDENT_TEXT not in caplog.text


def test_a_member_lists_its_own_reports_only(two_members):
    client = logged_in(two_members["editors"]["a"])
    response = client.get(url("list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert two_members["listings"]["a"].title in html
    assert two_members["listings"]["b"].title not in html
    assert "アクセス権がありません" not in html
    assert "data-bulk-action-button" not in html  # bulk delete is the 事務局's
    chooser = client.get(reverse("wagtailsnippetchoosers_directory_listingreport:choose"))
    assert chooser.status_code == 200
    assert two_members["listings"]["b"].title not in chooser.content.decode()


@pytest.mark.parametrize("view", ["edit", "history", "usage", "delete", "forward"])
def test_a_member_cannot_open_another_members_report(two_members, view):
    client = logged_in(two_members["editors"]["a"])
    response = client.get(url(view, two_members["reports"]["b"].pk))
    assert refused(response)
    assert RESIDENT_TEXT not in response.content.decode()


def test_a_member_cannot_change_another_members_report(two_members):
    client = logged_in(two_members["editors"]["a"])
    other = two_members["reports"]["b"]
    client.post(url("edit", other.pk), {"status": "resolved", "reply_note": "直しました"})
    other.refresh_from_db()
    assert (other.status, other.reply_note) == ("open", "")


def test_a_member_cannot_record_delete_or_forward_reports(two_members):
    client = logged_in(two_members["editors"]["a"])
    own = two_members["reports"]["a"]
    assert refused(client.get(url("add")))
    assert refused(client.post(url("delete", own.pk)))
    assert refused(client.post(url("forward", own.pk), {"note": "x"}))
    assert ListingReport.objects.filter(pk=own.pk).exists()
    assert not mail.outbox


def test_a_member_sets_status_and_reply_note_but_not_the_residents_text(two_members):
    client = logged_in(two_members["editors"]["a"])
    own = two_members["reports"]["a"]
    page = client.get(url("edit", own.pk)).content.decode()
    assert RESIDENT_TEXT in page
    for label in ("未対応", "対応中", "対応済み", "対応不要", "団体の対応メモ"):
        assert label in page
    response = client.post(
        url("edit", own.pk),
        {
            "status": "resolved",
            "reply_note": "休みの日を掲載に書き足しました",
            "message": "書き換えた文",
            "reason": "other",
            "page": two_members["listings"]["b"].pk,
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.reply_note) == ("resolved", "休みの日を掲載に書き足しました")
    assert (own.message, own.reason, own.page_id) == (
        RESIDENT_TEXT,
        "schedule",
        two_members["listings"]["a"].pk,
    )


def test_a_reply_note_with_personal_information_is_refused_in_japanese(two_members):
    client = logged_in(two_members["editors"]["a"])
    own = two_members["reports"]["a"]
    response = client.post(
        url("edit", own.pk), {"status": "resolved", "reply_note": "連絡は090-1234-5678まで"}
    )
    assert response.status_code == 200
    assert "電話番号" in response.content.decode()
    own.refresh_from_db()
    assert own.reply_note == ""


def test_the_secretariat_sees_all_reports_and_cannot_alter_the_residents_text(two_members):
    client = logged_in(SecretariatUserFactory())
    html = client.get(url("list")).content.decode()
    assert two_members["listings"]["a"].title in html
    assert two_members["listings"]["b"].title in html
    assert "data-bulk-action-button" in html
    report = two_members["reports"]["b"]
    client.post(url("edit", report.pk), {"status": "in_progress", "message": "事務局が書き換え"})
    report.refresh_from_db()
    assert (report.status, report.message) == ("in_progress", RESIDENT_TEXT)


def test_the_secretariat_forwards_with_a_note_to_the_owning_members_editors(two_members):
    secretariat = SecretariatUserFactory()
    client = logged_in(secretariat)
    report = two_members["reports"]["a"]
    assert "団体に転送" in client.get(url("edit", report.pk)).content.decode()
    form = client.get(url("forward", report.pk))
    assert form.status_code == 200 and "事務局からのメモ" in form.content.decode()
    response = client.post(url("forward", report.pk), {"note": "今週中に確認をお願いします"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[two_members["editors"]["a"].email]]
    assert "今週中に確認をお願いします" in mail.outbox[0].body
    report.refresh_from_db()
    assert report.forward_note == "今週中に確認をお願いします" and report.forwarded_at
    assert not report.notice_failed
    followed = client.get(response.url).content.decode()
    assert "1人に転送しました" in followed
    history = client.get(url("history", report.pk)).content.decode()
    assert "団体の編集者に転送しました" in history


def test_forwarding_to_a_member_without_editors_says_so_and_flags_it():
    report = ListingReport.objects.create(
        page=PlacePageFactory(member=MemberFactory()), reason="closed"
    )
    client = logged_in(SecretariatUserFactory())
    response = client.post(url("forward", report.pk), {"note": ""}, follow=True)
    assert "送れませんでした" in response.content.decode()
    report.refresh_from_db()
    assert report.notice_failed
    assert "送れませんでした" in client.get(url("list")).content.decode()


def test_a_report_the_secretariat_records_by_phone_reaches_the_member(two_members):
    client = logged_in(SecretariatUserFactory())
    response = client.post(
        url("add"),
        {"page": two_members["listings"]["b"].pk, "reason": "closed", "status": "open"},
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[two_members["editors"]["b"].email]]


def test_a_members_search_and_bulk_actions_stay_within_its_own_reports(two_members):
    client = logged_in(two_members["editors"]["a"])
    found = client.get(url("list"), {"q": "第3水曜"}).content.decode()
    assert two_members["listings"]["a"].title in found
    assert two_members["listings"]["b"].title not in found
    other = two_members["reports"]["b"]
    bulk = reverse("wagtail_bulk_action", args=["directory", "listingreport", "delete"])
    response = client.post(f"{bulk}?id={other.pk}", {})
    assert ListingReport.objects.filter(pk=other.pk).exists()
    assert two_members["listings"]["b"].title not in response.content.decode()


def test_members_find_the_report_list_in_the_menu(two_members):
    label = json.dumps("住民からの報告")  # the sidebar is rendered as JSON
    html = logged_in(two_members["editors"]["a"]).get(reverse("wagtailadmin_home"))
    assert label in html.content.decode()


@pytest.mark.parametrize("who", ["editor", "secretariat"])
def test_the_report_list_costs_the_same_queries_for_more_reports(who):
    member = MemberFactory()
    user = EditorFactory(member=member) if who == "editor" else SecretariatUserFactory()
    client = logged_in(user)

    def add_reports(n: int) -> None:
        for _ in range(n):
            ListingReport.objects.create(page=PlacePageFactory(member=member), reason="other")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("list")).status_code == 200
        return len(queries)

    add_reports(2)
    count()
    before = count()
    add_reports(5)
    assert count() == before
