"""Shared pytest fixtures. Test data comes from factories (tests/factories/)."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that by
# default. Only browser tests (live_server, one thread per request) are affected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


# Fixtures through which a test reaches the database (pytest-django's; `fixturenames` holds
# every fixture a test uses, directly or through others).
DATABASE_FIXTURES = frozenset({"db", "transactional_db"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database (CI's PostgreSQL run: the rest never open "
        "a connection, so they cannot differ by engine, and make test has run them)",
    )


def uses_database(item: pytest.Item) -> bool:
    """Whether the test can touch the database: pytest-django refuses any other test access."""
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & fixtures)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-tests-only"):
        return
    elsewhere = [item for item in items if not uses_database(item)]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if uses_database(item)]


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings) -> None:
    """Each test counts its requests from zero, also against a shared Redis (no flush needed)."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def japanese_after_each_test() -> Iterator[None]:
    """An English request leaves English active in the test thread: later tests start Japanese."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_public_cache(settings) -> None:
    """Each test starts with no cached public answers (core.public_cache), Redis or not."""
    settings.PUBLIC_CACHE_PREFIX = f"public:{uuid.uuid4().hex}:"


@pytest.fixture
def member(db):
    from tests.factories.directory import MemberFactory

    return MemberFactory()


@pytest.fixture
def editor_client(member) -> Client:
    """A client logged in as an editor of `member`."""
    from tests.factories.directory import EditorFactory
    from tests.factories.membership import logged_in

    return logged_in(EditorFactory(member=member))


@pytest.fixture
def secretariat(db) -> Client:
    """A client logged in as a 事務局 user."""
    from tests.factories.membership import SecretariatUserFactory, logged_in

    return logged_in(SecretariatUserFactory())


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} がありません（Debian の chromium パッケージが必要です）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
