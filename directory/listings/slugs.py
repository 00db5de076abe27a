"""The URL name of a listing whose title gives none (Japanese titles slugify to nothing).

`listing-` and the first 8 hex digits of the listing's own UUID: ASCII, short, stable (the
UUID never changes, so neither does a slug made from it) and unique enough within one
member's page (Wagtail still refuses a clash). Romaji would need a reading dictionary and
would still guess wrong for names; the UUID carries no guess.
"""

from __future__ import annotations

import uuid

PREFIX = "listing-"


def listing_slug(listing_uuid: uuid.UUID | None = None) -> str:
    return PREFIX + (listing_uuid or uuid.uuid4()).hex[:8]
