"""The demo PF: a fictional municipality, its members and their listings, from fixtures/demo/.

The demo is readable YAML (not a database dump) so it can be reviewed and edited like content.
Loading is idempotent: members are keyed by slug, listings by a UUID derived from their slug
(`listing_uuid`), and a record is written — as a new, published revision — only when the YAML
says something different from what is stored. Dates of events and "last verified" are stored as
offsets in days and resolved against the day of loading, so the demo always looks current.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from directory.demo.areas import load_areas
from directory.demo.base import (
    SECRETARIAT_USERNAME,
    DemoDataError,
    DemoLogin,
    DemoResult,
    Lookup,
    demo_directory,
    listing_uuid,
    read_yaml,
)
from directory.demo.listings import load_listings
from directory.demo.members import load_members
from directory.demo.pf_pages import load_pf_pages
from directory.membership.lifecycle import ensure_secretariat_group
from directory.models import (
    Member,
)

__all__ = [
    "SECRETARIAT_USERNAME",
    "DemoDataError",
    "DemoResult",
    "demo_directory",
    "listing_uuid",
    "load_demo",
]


# -- platform settings and logins --------------------------------------------------------------
def load_platform_settings(data: dict[str, Any]) -> None:
    from website.models import PlatformSettings

    site = Site.objects.get(is_default_site=True)
    platform = PlatformSettings.for_site(site)
    values = {key: str(value).strip() for key, value in data.items()}
    if any(getattr(platform, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(platform, key, value)
        platform.full_clean()
        platform.save()


def ensure_demo_logins(members: list[Member]) -> list[DemoLogin]:
    """The 事務局 login and one editor per member — only where settings.DEMO_LOGINS_ENABLED.

    Every demo login shares one documented password (settings.DEMO_PASSWORD); it is hashed once
    so that 30+ logins do not cost 30+ slow hashes. Existing users keep their password.
    """
    if not getattr(settings, "DEMO_LOGINS_ENABLED", False):
        return []
    password = settings.DEMO_PASSWORD
    hashed = make_password(password)
    user_model = get_user_model()

    def ensure(username: str, display_name: str, group: Any) -> None:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": display_name, "password": hashed}
        )
        if created or not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)

    logins = [DemoLogin(SECRETARIAT_USERNAME, password, "事務局")]
    ensure(SECRETARIAT_USERNAME, "事務局", ensure_secretariat_group())
    for member in members:
        ensure(member.slug, f"{member.name} 編集担当", member.group)
        logins.append(DemoLogin(member.slug, password, member.name))
    return logins


# -- entry point -----------------------------------------------------------------------------
@transaction.atomic
def load_demo(directory: Path | None = None, today: date | None = None) -> DemoResult:
    """Load (or bring up to date) the whole demo PF. All or nothing: one transaction."""
    directory = directory or demo_directory()
    today = today or timezone.localdate()  # the PF's day (Asia/Tokyo), not the server's
    result = DemoResult()
    municipality_data = read_yaml(directory / "municipality.yaml")
    try:
        municipality = load_areas(municipality_data, result)
    except (ValidationError, KeyError) as error:
        raise DemoDataError(f"municipality.yaml: {error}") from error
    lookup = Lookup(municipality)
    load_members(read_yaml(directory / "members.yaml"), lookup, result)
    load_listings(directory, lookup, today, result)
    load_platform_settings(municipality_data.get("platform_settings") or {})
    load_pf_pages(read_yaml(directory / "pf_pages.yaml"), lookup, today, result)
    result.logins = ensure_demo_logins(list(lookup.members.values()))
    return result
