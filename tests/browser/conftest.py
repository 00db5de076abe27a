"""Playwright (sync API) driving the system Chromium against pytest-django's live_server.

Never downloads a browser. External requests (map tiles) are aborted: tests call no outside
service. axe-core comes from npm into var/npm (git-ignored); see `axe_source`.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that by default.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def restore_wagtail_roots(app_config, **kwargs) -> None:
    """Put back what Wagtail's data migrations made, once flush has emptied the database.

    live_server forces transactional tests, whose teardown flushes every table. Flush emits
    post_migrate, which re-runs directory.bootstrap, but the root page, root collection and
    default locale come from Wagtail's data migrations, so without this every later test
    (and the next browser test) would run on a platform without a page tree.
    """
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is not with_models[-1]:
        return  # post_migrate goes app by app: wait until all content types and permissions exist
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    from directory.bootstrap import ensure_platform

    if Page.get_first_root_node() is not None:
        return
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    Page.add_root(
        instance=Page(
            title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
        )
    )
    ensure_platform()


post_migrate.connect(restore_wagtail_roots, dispatch_uid="tests-browser-restore-wagtail-roots")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
AXE_PREFIX = REPO / "var" / "npm"
AXE_FILE = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}


# One Playwright per process: its sync API cannot start twice in a thread, and other test
# modules import `chromium` from here (each import is a separate session fixture).
_RUNNING: dict[str, Any] = {}


def shared_chromium() -> Any:
    if "browser" not in _RUNNING:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _RUNNING["playwright"] = playwright
        _RUNNING["browser"] = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
    return _RUNNING["browser"]


def stop_chromium() -> None:
    browser = _RUNNING.pop("browser", None)
    if browser is not None:
        browser.close()
        _RUNNING.pop("playwright").stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} がありません（Debian の chromium パッケージが必要です）")
    yield shared_chromium()
    stop_chromium()


@pytest.fixture
def phone(chromium, live_server) -> Iterator:
    """A page at 375px wide that can only reach the live server."""
    context = chromium.new_context(viewport=PHONE, locale="ja-JP", device_scale_factor=2)

    def only_live_server(route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_live_server)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script; installed with npm into var/npm when missing, skipped without npm."""
    if not AXE_FILE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm がないため axe-core を用意できません（アクセシビリティ検査を省略）")
        subprocess.run(  # noqa: S603
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_PREFIX),
                "axe-core@4",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE_FILE.read_text(encoding="utf-8")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
