"""What every part of the demo loader shares: stable UUIDs, the result, errors and lookups."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from directory.models import (
    Area,
    Member,
    VocabularyTerm,
)

# Fixed forever: tests, benchmarks and links refer to demo records through these UUIDs.
DEMO_NAMESPACE = uuid.UUID("5d0c8e4e-3f7a-4c55-9a51-7a6b1d0e2f10")
SECRETARIAT_USERNAME = "jimukyoku"
COORDINATE = Decimal("0.000001")


class DemoDataError(Exception):
    """A demo YAML record that cannot be loaded; the message names the file and record."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


@dataclass
class DemoResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)


def demo_directory() -> Path:
    return Path(settings.FIXTURES_DIR) / "demo"


def listing_uuid(slug: str) -> uuid.UUID:
    """The stable UUID of the demo listing with this slug."""
    return uuid.uuid5(DEMO_NAMESPACE, f"listing:{slug}")


def member_uuid(slug: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"member:{slug}")


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# -- vocabulary and areas ----------------------------------------------------------------------
class Lookup:
    """Vocabulary terms, areas and members by their YAML keys, with clear errors."""

    def __init__(self, municipality: Area) -> None:
        self.municipality = municipality
        self.terms = {(t.scheme, t.slug): t for t in VocabularyTerm.objects.all()}
        self.areas = {a.code: a for a in Area.objects.filter(parent=municipality)}
        self.members: dict[str, Member] = {}

    def vocabulary(self, scheme: str, slugs: list[str] | None) -> list[VocabularyTerm]:
        unknown = [s for s in slugs or [] if (scheme, s) not in self.terms]
        if unknown:
            raise DemoDataError(f"語彙（{scheme}）にないスラッグ: {', '.join(unknown)}")
        return [self.terms[(scheme, s)] for s in slugs or []]

    def area(self, key: str | None) -> Area:
        """'01' → the district <municipality code>-01; 'city' (or nothing) → the municipality."""
        if key in (None, "city"):
            return self.municipality
        code = f"{self.municipality.code}-{key}"
        if code not in self.areas:
            raise DemoDataError(f"学区 {code} がありません。")
        return self.areas[code]

    def member(self, slug: str) -> Member:
        if slug not in self.members:
            raise DemoDataError(f"団体 {slug} が members.yaml にありません。")
        return self.members[slug]


def to_coordinate(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(COORDINATE)
