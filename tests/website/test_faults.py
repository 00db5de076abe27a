"""Faults (issue 17): the database unreachable gives a friendly Japanese 503, never a traceback;
a failing mail server loses nothing that was submitted and the 事務局 is told."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.test import Client

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
