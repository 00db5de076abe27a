"""The shared synonym list (fixtures/synonyms.yaml), read once per process.

Both engines use it: the embedded engine expands a query term into its equivalents, the
Meilisearch engine sends it as the index's `synonyms` setting (the same term → equivalents map).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.conf import settings


def synonyms_path() -> Path:
    return Path(settings.FIXTURES_DIR) / "synonyms.yaml"


@cache
def load_synonyms() -> dict[str, list[str]]:
    """Each term → its equivalents (itself excluded), in the order the file lists them.

    A term in several groups gets the union of their members.
    """
    with synonyms_path().open(encoding="utf-8") as handle:
        groups = (yaml.safe_load(handle) or {}).get("groups") or []
    result: dict[str, list[str]] = {}
    for group in groups:
        words = [str(word).strip() for word in group if str(word).strip()]
        for word in words:
            known = result.setdefault(word, [])
            known.extend(other for other in words if other != word and other not in known)
    return result
