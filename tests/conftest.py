"""Shared pytest fixtures. Test data comes from factories (tests/factories/)."""

import pytest
from django.test import Client


@pytest.fixture
def member(db):
    from tests.factories.directory import MemberFactory

    return MemberFactory()


@pytest.fixture
def editor_client(member) -> Client:
    """A client logged in as an editor of `member`."""
    from tests.factories.directory import EditorFactory

    client = Client()
    client.force_login(EditorFactory(member=member))
    return client
