"""The starting point a distance is measured from, chosen on /match/ without leaving the PF.

Why here and not a geocoder: a typed place must never travel to an outside service during a
match request (the PF rule: nothing about the person leaves or stays), nor into a database
query or its log. So it is resolved in memory from public data the process already holds: the
platform's areas (their centres) and the public points of the ready pool's listings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from core.text import fold
from matching.pool import CandidatePool
from matching.profile import Vocabulary

HERE = "現在地"
PLACE_MIN_LENGTH = 2  # one character names nothing in particular


@dataclass(frozen=True, slots=True)
class Origin:
    """A named point: the name is what the reasons say distances are from."""

    name: str
    lat: float
    lng: float


@dataclass(frozen=True, slots=True)
class _Named:
    folded: str
    origin: Origin


def area_origin(code: str, vocabulary: Vocabulary) -> Origin | None:
    """The centre of an area, named as the reasons name it, or None without a centre."""
    point = vocabulary.area_points.get(code)
    if point is None:
        return None
    return Origin(vocabulary.centre_name(code), *point)


def resolve_place(text: str, vocabulary: Vocabulary, pool: CandidatePool) -> Origin | None:
    """An area's centre or a public listing point that the text names, else None.

    Areas first, then listing names (a 公民館 used as a venue is a listing too). Each is tried
    as an exact name, then a name containing the text, then a name contained in it; the
    shortest such name wins (then the first in name order). Confidential and online-only
    listings have no public point and are never a starting point.
    """
    wanted = fold(text).strip()
    if len(wanted) < PLACE_MIN_LENGTH:
        return None
    areas = [
        _Named(fold(name), origin)
        for code, name in vocabulary.areas.items()
        if (origin := area_origin(code, vocabulary)) is not None
    ]
    return _best(wanted, areas) or _best(wanted, _listing_places(pool))


def _best(wanted: str, named: list[_Named]) -> Origin | None:
    tests: tuple[Callable[[str], bool], ...] = (
        lambda folded: folded == wanted,
        lambda folded: wanted in folded,
        lambda folded: folded in wanted,
    )
    for test in tests:
        fitting = [item for item in named if item.folded and test(item.folded)]
        if fitting:
            return min(fitting, key=lambda item: (len(item.folded), item.folded)).origin
    return None


@lru_cache(maxsize=1)
def _listing_places(pool: CandidatePool) -> list[_Named]:
    """The listings with a public point, names folded once per pool.

    Kept beside the ready pool for as long as it is the current one: public data only.
    """
    return [
        _Named(fold(candidate.name), Origin(candidate.name, *candidate.point))
        for candidate in pool.candidates
        if candidate.point is not None and not candidate.confidential
    ]
