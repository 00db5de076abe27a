"""Content-Security-Policy and Permissions-Policy on every kind of response (issue 11, item 5).

The public site runs no inline script and no inline style; the Wagtail admin has its own,
relaxed policy (core/csp.py explains why). The browser check is tests/browser/test_csp.py.
"""

import json
import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.factories.directory import AreaFactory, PlacePageFactory
from tests.website.test_production_settings import REQUIRED, ROOT

pytestmark = pytest.mark.django_db

GSI = "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png"


def directives(header: str) -> dict[str, list[str]]:
    """A policy header as {directive: [sources]}."""
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} appears twice"
        parsed[name] = sources
    return parsed


@pytest.fixture
def listing():
    return PlacePageFactory(area=AreaFactory())


def public_urls(listing) -> dict[str, str]:
    return {
        "home": "/",
        "search": "/search/?q=食堂",
        "listing": listing.url,
        "match": reverse("match"),
        "coverage": "/coverage/",
        "api": "/api/v1/resources",
    }


@pytest.mark.parametrize("which", ["home", "search", "listing", "match", "coverage", "api"])
def test_public_responses_carry_the_strict_policy(client, listing, which):
    response = client.get(public_urls(listing)[which])
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "https://cyberjapandata.gsi.go.jp"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "Content-Security-Policy-Report-Only" not in response


def test_a_rendered_public_page_has_no_inline_script_or_handler(client, listing):
    """What the policy would block: <script> without src (data blocks aside), on*= handlers,
    style= attributes and <style> elements."""
    post = client.post(reverse("match-print"), {"id": [str(listing.uuid)]})
    assert post.status_code == 200
    for html in [client.get(url).content.decode() for url in public_urls(listing).values()] + [
        post.content.decode()
    ]:
        scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        assert all(
            re.search(r'type="application/(ld\+)?json"', attributes) for attributes in scripts
        ), scripts
        assert not re.search(r"<[^>]+\son[a-z]+=", html)
        assert not re.search(r"<[^>]+\sstyle=", html)
        assert "<style" not in html


def test_the_print_button_works_from_a_static_script(client, listing):
    page = client.post(reverse("match-print"), {"id": [str(listing.uuid)]}).content.decode()
    assert "onclick" not in page
    assert "data-print" in page and "/static/js/print.js" in page


def test_admin_has_its_own_policy(client):
    response = client.get(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    # Wagtail 8 still writes inline <script> and style= in some panels and widgets.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "https://cyberjapandata.gsi.go.jp" in policy["img-src"]  # the map-pin panel
    assert policy["frame-ancestors"] == ["'self'"]  # Wagtail's preview panel
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_permissions_policy_allows_only_geolocation_on_self(client, listing):
    for url in [*public_urls(listing).values(), reverse("wagtailadmin_login")]:
        header = client.get(url)["Permissions-Policy"]
        features = dict(item.split("=", 1) for item in header.split(", "))
        assert features.pop("geolocation") == "(self)"
        assert {"camera", "microphone", "payment", "usb", "interest-cohort"} <= set(features)
        assert set(features.values()) == {"()"}, features


@pytest.mark.parametrize(
    ("url", "sources"),
    [
        (GSI, ["https://cyberjapandata.gsi.go.jp"]),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://tile.openstreetmap.org"]),
        (
            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
            ["https://*.tile.openstreetmap.org"],
        ),
        ("https://tiles.example.jp:8443/{z}/{x}/{y}.png", ["https://tiles.example.jp:8443"]),
        ("/static/tiles/{z}/{x}/{y}.png", []),  # our own host: 'self' covers it
        ("", []),
    ],
)
def test_tile_sources_come_from_the_tile_url(url, sources):
    from core.csp import tile_sources

    assert tile_sources(url) == sources


def test_production_builds_both_headers_with_an_openstreetmap_tile_url():
    """Production settings (own process, own environment): OSM tiles and an extra image host
    end up in img-src, and both middlewares are installed."""
    program = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from csp.utils import build_policy; "
        "print(json.dumps({'csp': build_policy(), 'middleware': settings.MIDDLEWARE}))"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        REQUIRED,
        DJANGO_SETTINGS_MODULE="website.settings.production",
        MAP_TILE_URL="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
        CSP_EXTRA_IMG_SOURCES="https://tiles2.example.jp",
    )
    done = subprocess.run(  # noqa: S603 - our fixed program, our own interpreter
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    policy = directives(loaded["csp"])
    assert policy["img-src"] == [
        "'self'",
        "data:",
        "https://*.tile.openstreetmap.org",
        "https://tiles2.example.jp",
    ]
    assert policy["script-src"] == ["'self'"]
    assert "core.csp.SiteCSPMiddleware" in loaded["middleware"]
    assert "django_permissions_policy.PermissionsPolicyMiddleware" in loaded["middleware"]
