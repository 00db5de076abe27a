"""Faults (issue 17): the database unreachable gives a friendly Japanese 503, never a traceback;
a failing mail server loses nothing that was submitted and the 事務局 is told."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator, Sequence
from typing import Any
from unittest import mock

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from directory.models import ListingReport, Member, MemberStatus
from tests.directory.membership.test_apply import application
from tests.factories.directory import AreaFactory, MemberFactory, PlacePageFactory

UNREACHABLE = 'connection to server at "db" (10.0.0.5), port 5432 failed: Connection refused'


@pytest.fixture
def database_down() -> Iterator[None]:
    """Every new cursor fails as when PostgreSQL (or the SQLite file's disk) is gone."""
    with mock.patch.object(
        connection, "ensure_connection", side_effect=OperationalError(UNREACHABLE)
    ):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/search/?q=将棋", "/members/"])
def test_database_down_gives_a_japanese_503_page(
    database_down: None, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = Client().get(path)  # raises (a traceback) when nothing answers it
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    assert "ただいまサービスを一時停止しています" in body
    assert "Traceback" not in body and "5432" not in body and "10.0.0.5" not in body
    assert "将棋" not in caplog.text  # a search word never reaches the log


@pytest.mark.django_db
def test_database_down_under_the_api_is_json(database_down: None) -> None:
    response = Client().get("/api/v1/members")
    assert response.status_code == 503
    assert response.json()["errors"]["__all__"][0].startswith("ただいまサービスを一時停止")


@pytest.mark.django_db
def test_an_interface_error_is_a_503_too() -> None:
    with mock.patch.object(
        connection, "ensure_connection", side_effect=InterfaceError("connection already closed")
    ):
        assert Client().get("/").status_code == 503


@pytest.mark.django_db
def test_other_database_errors_stay_a_500() -> None:
    """A bug (an integrity or programming error) is not an outage: the normal 500 page."""
    client = Client(raise_request_exception=False)
    with mock.patch.object(connection, "ensure_connection", side_effect=DatabaseError("bug")):
        assert client.get("/").status_code == 500


# -- the mail server failing ---------------------------------------------------------------


class FailingSMTPBackend(BaseEmailBackend):
    """What Django's SMTP backend raises when the server drops the connection."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def mail_server_down(settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.FailingSMTPBackend"


@pytest.mark.django_db
def test_join_application_is_saved_while_mail_fails(mail_server_down: None) -> None:
    data = application(areas=[AreaFactory().pk])
    response = Client().post(reverse("membership-apply"), data)
    assert response.status_code == 302
    assert Member.objects.get(name=data["name"]).status == MemberStatus.APPLIED


@pytest.mark.django_db
def test_resident_report_is_saved_while_mail_fails(mail_server_down: None) -> None:
    listing = PlacePageFactory()
    url = reverse("listing-report", kwargs={"uuid": listing.uuid})
    assert Client().post(url, {"reason": "closed", "message": ""}).status_code == 302
    assert ListingReport.objects.get().page_id == listing.pk


@pytest.mark.django_db
def test_secretariat_sees_a_failed_notice_and_the_log_names_no_address(
    mail_server_down: None, secretariat: Client, caplog: pytest.LogCaptureFixture
) -> None:
    applicant = MemberFactory(status=MemberStatus.APPLIED, email="info@hidden.example.org")
    decision = reverse("wagtailsnippets_directory_member:decision", args=[applicant.pk, "approve"])
    with caplog.at_level(logging.WARNING, logger="tsunagari"):
        response = secretariat.post(decision, follow=True)
    applicant.refresh_from_db()
    assert applicant.status == MemberStatus.APPROVED
    assert "お知らせのメールを送れませんでした" in response.content.decode()
    assert f"member {applicant.pk} could not be sent" in caplog.text
    assert "hidden.example.org" not in caplog.text
