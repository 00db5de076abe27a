"""Every page still works under its Content-Security-Policy: no violation, maps drawn.

A violation shows up two ways in Chromium: a console message naming the "Content Security
Policy", and a `securitypolicyviolation` event on the document (caught by an init script,
which CSP does not govern). Map tiles are aborted offline; only CSP errors count.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories.directory import AreaFactory, EditorFactory, MemberFactory, PlacePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[139.6, 35.6], [139.8, 35.6], [139.8, 35.8], [139.6, 35.8], [139.6, 35.6]]],
}
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.disposition} ${event.violatedDirective}: ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`
  );
});
"""


class Watched:
    """A page plus the CSP complaints seen on it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def assert_no_violation(self, where: str) -> None:
        self.page.wait_for_load_state("load")
        events = self.page.evaluate("() => window.__cspViolations")
        assert not self.console and not events, f"{where}: {self.console} {events}"


@pytest.fixture
def watched(chromium, live_server) -> Iterator[Watched]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    context.add_init_script(RECORD_VIOLATIONS)
    yield Watched(context.new_page())
    context.close()


@pytest.fixture
def listing():
    member = MemberFactory(name="ひだまりネットワーク")
    EditorFactory(member=member, username="csp-editor")
    return PlacePageFactory(
        member=member,
        title="ひだまり食堂",
        area=AreaFactory(name="ひだまり小学校区", outline=OUTLINE),
        categories=["kodomo-shokudo"],
    )


def test_public_pages_and_their_maps_run_under_the_policy(watched, live_server, listing):
    page = watched.page
    for url in ("/", "/search/?q=食堂"):
        page.goto(live_server.url + url)
        watched.assert_no_violation(url)

    page.goto(live_server.url + listing.url)
    expect(page.locator("#listing-map.leaflet-container")).to_be_visible()
    expect(page.locator("#listing-map .leaflet-marker-icon")).to_be_visible()
    watched.assert_no_violation("listing")

    page.goto(live_server.url + "/coverage/")
    expect(page.locator("#coverage-map.leaflet-container")).to_be_visible()
    expect(page.locator("#coverage-map path.leaflet-interactive").first).to_be_attached()
    watched.assert_no_violation("coverage")


def test_match_and_its_print_handout_run_under_the_policy(watched, live_server, listing):
    page = watched.page
    page.goto(live_server.url + reverse("match"))
    watched.assert_no_violation("/match/")
    page.get_by_role("button", name="この内容でさがす").click()
    expect(page.get_by_text("ひだまり食堂").first).to_be_visible()
    watched.assert_no_violation("/match/ after POST")

    page.get_by_label("案内にのせる").first.check()  # the coordinator picks what to hand out
    page.get_by_role("button", name="印刷用の案内（A4）を作る").click()
    expect(page.locator(".handout__qr svg").first).to_be_visible()
    watched.assert_no_violation("/match/print/")
    # The print button's handler came from static/js/print.js.
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    page.get_by_role("button", name="印刷する").click()
    assert page.evaluate("() => window.__printed") == 1
    watched.assert_no_violation("print button")


def test_admin_login_and_listing_editor_run_under_the_admin_policy(watched, live_server, listing):
    page = watched.page
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    watched.assert_no_violation("admin login")
    page.fill('input[name="username"]', "csp-editor")
    page.fill('input[name="password"]', "pw")
    page.click('button[type="submit"]')
    page.wait_for_url(f"{live_server.url}{reverse('wagtailadmin_home')}")
    watched.assert_no_violation("admin dashboard")

    page.goto(f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=[listing.pk])}")
    tabs = page.get_by_role("tab")
    for index in range(tabs.count()):  # every panel: inline panels, date widgets, the map
        tabs.nth(index).click()
    page.get_by_role("tab", name="場所").click()
    expect(page.locator(".tsunagari-map-pin__map.leaflet-container")).to_be_visible()
    watched.assert_no_violation("listing editor")

    # Signed in, the public page carries Wagtail's user bar: still under the strict policy.
    page.goto(live_server.url + listing.url)
    expect(page.locator("wagtail-userbar")).to_be_attached()
    expect(page.locator("#listing-map.leaflet-container")).to_be_visible()
    watched.assert_no_violation("listing with the user bar")
