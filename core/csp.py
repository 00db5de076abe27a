"""Content-Security-Policy: one strict policy for the public site, a relaxed one for the admin.

The public pages run only our own static scripts (no inline code, no eval), so a resident's
browser refuses anything injected into a listing. The Wagtail admin (8.0) still writes inline
<script> elements (InlinePanel, date/time widgets) and style= attributes, so under its URL
prefix `ADMIN_CONTENT_SECURITY_POLICY` replaces the public one (docs/deployment.md).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase


def tile_sources(url_template: str) -> list[str]:
    """The CSP source for a Leaflet tile URL template: its scheme, host and port.

    `{s}` (Leaflet's subdomain placeholder) becomes a wildcard; a relative URL is our own host,
    which 'self' already allows, so it needs no source.
    """
    parts = urlsplit(url_template)
    if not parts.scheme or not parts.netloc:
        return []
    host = parts.netloc.rsplit("@", 1)[-1].replace("{s}", "*")
    return [f"{parts.scheme}://{host}"]


@cache
def admin_prefix() -> str:
    """Where Wagtail's admin is mounted (website/urls.py), e.g. "/admin/"."""
    return reverse("wagtailadmin_home")


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy for paths under the admin prefix.

    A view's own @csp / @csp_replace / @csp_update decorators still win over both.
    """

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None and not report_only and request.path.startswith(admin_prefix()):
            admin = getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY", None)
            if admin:
                parts.config = default_config(admin.get("DIRECTIVES", {}))
        return parts
