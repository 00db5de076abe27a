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
from directory.listings.ages import AGE_LIMIT
from matching.candidates import Candidate, Slot
from matching.profile import ANYONE, NeedsProfile, Vocabulary

GIVEN_POINT = "指定した地点"
FAMILY_OK = "family-ok"
# A condition a listing meets because it has another: 無料 is also 低額（500円以下）, so a
# coordinator asking for 低額 is offered the free places too.
IMPLIED_CONDITIONS: dict[str, frozenset[str]] = {"free": frozenset({"low-cost"})}


def conditions_met(conditions: frozenset[str]) -> frozenset[str]:
    """The conditions a listing meets: its own plus those they imply (IMPLIED_CONDITIONS)."""
    implied = [IMPLIED_CONDITIONS[c] for c in conditions if c in IMPLIED_CONDITIONS]
    return conditions.union(*implied) if implied else conditions


@dataclass(frozen=True, slots=True)
class Context:
    """What scoring derives once per request from the profile and the vocabulary."""

    profile: NeedsProfile
    groups: frozenset[str]
    origin: tuple[float, float] | None
    origin_name: str  # what the distance is measured from, as the reasons say it
    today: date
    keyword_words: tuple[str, ...]
    others: frozenset[str] = frozenset()  # NeedsProfile.others, derived once
    companions: frozenset[str] = frozenset()  # NeedsProfile.companions
    own: frozenset[str] = frozenset()  # with two people: the targets chosen for the person

    @classmethod
    def build(
        cls, profile: NeedsProfile, vocabulary: Vocabulary, today: date, origin_name: str = ""
    ) -> Context:
        """`origin_name` names `profile.near` when the caller knows it (a place the form
        resolved, 現在地); otherwise 「指定した地点」, or the chosen area's centre."""
        origin: tuple[float, float] | None = None
        if profile.near:
            origin = (profile.near.lat, profile.near.lng)
            origin_name = origin_name or GIVEN_POINT
        elif profile.area and profile.area in vocabulary.area_points:
            origin = vocabulary.area_points[profile.area]
            origin_name = vocabulary.centre_name(profile.area)
        text = fold(profile.keywords)  # as the candidates' text is folded
        return cls(
            profile=profile,
            groups=profile.groups,
            origin=origin,
            origin_name=origin_name if origin else "",
            today=today,
            keyword_words=tuple(text.split()),
            others=profile.others,
            companions=profile.companions,
            own=frozenset(profile.targets) - profile.others,
        )


def exclusion(candidate: Candidate, context: Context) -> str | None:
    """Why a candidate is ruled out (a short code), or None when every hard constraint holds."""
    profile = context.profile
    if ANYONE not in candidate.targets and not candidate.targets & context.groups:
        return "targets"
    if not age_range_fits(candidate, profile):
        return "age"
    if not conditions_met(candidate.conditions).issuperset(profile.required):
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


def age_range_fits(candidate: Candidate, profile: NeedsProfile) -> bool:
    """A listing's own 対象年齢 (when set) must overlap the age of someone the profile is about.

    A listing's targets are alternatives (「ひきこもり・若者」 welcomes a 40〜64歳 ひきこもり
    person); only a stated age range limits ages.
    """
    if (candidate.age_min is None and candidate.age_max is None) or not profile.age_years:
        return True
    low = candidate.age_min or 0
    high = AGE_LIMIT if candidate.age_max is None else candidate.age_max
    return any(first <= high and low <= last for first, last in profile.age_years)


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


def welcomes_both(candidate: Candidate, context: Context) -> bool:
    """With a two-person profile: a listing for the other person that welcomes the one who
    comes along too (names them, or 親子で参加可), or one for a group chosen for the person
    that is 親子で参加可 (外国にルーツのある方 + 子ども: a mothers' salon where children come)."""
    family_ok = FAMILY_OK in candidate.conditions
    for_them = bool(candidate.targets & context.others)
    return (for_them and (bool(candidate.targets & context.companions) or family_ok)) or (
        family_ok and bool(candidate.targets & context.own)
    )


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
