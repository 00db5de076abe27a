"""Playwright (sync API) driving the system Chromium against pytest-django's live_server.

Never downloads a browser. External requests (map tiles) are aborted: tests call no outside
service. axe-core comes from npm into var/npm (git-ignored); see `axe_source` and `add_axe`.
"""

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
AXE_PREFIX = REPO / "var" / "npm"
AXE_FILE = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}


def live_server_context(chromium, live_server, viewport: dict[str, int], scale: int = 2):
    """A browser context at `viewport` that can only reach the live server (tiles are aborted).
    `scale` is the device pixel ratio: 2 as on a phone; 1 where many full-page screenshots
    would cost more time than their sharpness is worth (the axe sweep)."""
    context = chromium.new_context(viewport=viewport, locale="ja-JP", device_scale_factor=scale)

    def only_live_server(route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_live_server)
    return context


def admin_log_in(page, base_url: str, username: str, password: str) -> None:
    """Sign in through Wagtail's login form and wait for the dashboard."""
    from django.urls import reverse

    page.goto(base_url + reverse("wagtailadmin_login"))
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    page.locator('button[type="submit"]').click()
    page.wait_for_url(base_url + reverse("wagtailadmin_home"))


@pytest.fixture
def phone(chromium, live_server) -> Iterator:
    """A page at 375px wide that can only reach the live server."""
    context = live_server_context(chromium, live_server, PHONE)
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


def add_axe(page, base_url: str, source: str) -> None:
    """Load axe-core as a same-origin script file: the site's CSP refuses inline scripts, so
    add_script_tag(content=…) would be blocked (and would hide what the policy does)."""
    url = f"{base_url}/__test__/axe.min.js"
    page.route(
        url,
        lambda route: route.fulfill(body=source, content_type="application/javascript"),
    )
    page.add_script_tag(url=url)


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.1 A and AA


def axe_violations(page, base_url: str, source: str, impacts: tuple[str, ...] = ()) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page (only `impacts` when given), one line each."""
    add_axe(page, base_url, source)
    results = page.evaluate(
        # resultTypes: full node lists for violations only (axe's documented speed-up).
        """async (tags) => await axe.run(
            document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}
        )""",
        AXE_TAGS,
    )
    assert results["passes"], "axe ran and checked something"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if not impacts or v["impact"] in impacts
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
