"""Hard constraints: whether a listing can be suggested at all, before any score.

Never traded against score (docs/matching.md): a place that cannot be reached in time, is too
far, or is for another age group is not suggested. `Context` lives here because it is what the
constraints, the score and the reasons all read, derived once per request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from core.geo import haversine_km
from core.text import fold
from matching.candidates import Candidate, Slot
from matching.profile import ANYONE, TARGET_AGE_BANDS, NeedsProfile, Vocabulary


@dataclass(frozen=True, slots=True)
class Context:
    """What scoring derives once per request from the profile and the vocabulary."""

    profile: NeedsProfile
    groups: frozenset[str]
    origin: tuple[float, float] | None
    today: date
    keyword_words: tuple[str, ...]

    @classmethod
    def build(cls, profile: NeedsProfile, vocabulary: Vocabulary, today: date) -> Context:
        origin = (profile.near.lat, profile.near.lng) if profile.near else None
        if origin is None and profile.area:
            origin = vocabulary.area_points.get(profile.area)
        text = fold(profile.keywords)  # as the candidates' text is folded
        return cls(
            profile=profile,
            groups=profile.groups,
            origin=origin,
            today=today,
            keyword_words=tuple(text.split()),
        )


def exclusion(candidate: Candidate, context: Context) -> str | None:
    """Why a candidate is ruled out (a short code), or None when every hard constraint holds."""
    profile = context.profile
    if ANYONE not in candidate.targets:
        if not candidate.targets & context.groups:
            return "targets"
        if profile.age_band and not age_fits(candidate.targets, profile.age_band):
            return "age"
    if not candidate.conditions.issuperset(profile.required):
        return "required"
    if candidate.online_only and not profile.online_ok:
        return "online"
    if candidate.scheduled and not candidate.slots:
        return "no-upcoming-session"
    if profile.times and candidate.scheduled and fitting_slot(candidate, profile) is None:
        return "time"
    if profile.max_km is not None and not within_reach(candidate, context):
        return "distance"
    return None


def age_fits(targets: frozenset[str], age_band: str) -> bool:
    """Age-specific targets must include one that fits the band (TARGET_AGE_BANDS)."""
    specific = [TARGET_AGE_BANDS[t] for t in targets if t in TARGET_AGE_BANDS]
    return not specific or any(age_band in bands for bands in specific)


def fitting_slot(candidate: Candidate, profile: NeedsProfile) -> Slot | None:
    """The earliest upcoming session overlapping one of the person's windows."""
    fitting = [
        slot
        for slot in candidate.slots
        if any(
            window.weekday == slot.weekday and window.start < slot.end and slot.start < window.end
            for window in profile.times
        )
    ]
    return min(fitting, key=lambda slot: slot.next_day, default=None)


def distance_km(candidate: Candidate, context: Context) -> float | None:
    """Distance to the public point (to the metre); confidential listings: the area's centre."""
    if context.origin is None:
        return None
    point = candidate.point or (candidate.area_point if candidate.confidential else None)
    if not point:
        return None
    return math.floor(haversine_km(*context.origin, *point) * 1e6 + 0.5) / 1e6


def within_reach(candidate: Candidate, context: Context) -> bool:
    profile = context.profile
    if candidate.online and profile.online_ok:
        return True
    if candidate.confidential and profile.area and profile.area in candidate.area_codes:
        return True
    distance = distance_km(candidate, context)
    return distance is not None and profile.max_km is not None and distance <= profile.max_km
