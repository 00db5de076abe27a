"""Matching: hard constraints first (constraints.py), then a transparent weighted score.

Why this shape (docs/matching.md has the full table): a coordinator must be able to say *why*
a place is suggested, so every component is a plain number between 0 and 1 times a published
weight, and every result carries Japanese reasons that can be read aloud. Hard constraints are
never traded against score: a place that cannot be reached in time, is too far, or is for
another age group is not suggested at all. The wording of the reasons is reasons.py.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np

from directory.listings.schedules import JST
from matching.candidates import Candidate, Slot
from matching.constraints import (
    FAMILY_OK,
    Context,
    conditions_met,
    distance_km,
    exclusion,
    fitting_slot,
    welcomes_both,
)
from matching.pool import NO_DAY, CandidatePool, haversine_columns
from matching.profile import WANT_CATEGORIES, NeedsProfile, Vocabulary
from matching.reasons import reasons, shown_slot

# Published weights (points out of 100); each component is a number between 0 and 1.
WEIGHTS: dict[str, int] = {
    "interests": 15,  # a category the person is interested in
    "wants": 20,  # share of the person's wants its categories serve (WANT_CATEGORIES)
    "groups": 15,  # made for one of the person's chosen groups (1) or age groups only (0.5)
    "preferred": 10,  # share of the preferred conditions the listing meets
    "distance": 15,  # 1 at the origin, 0 at the distance limit (or 10 km without one)
    "time": 10,  # a fitting session within two weeks (1) or later (0.5)
    "languages": 5,  # the listing supports one of the person's languages
    "keywords": 5,  # share of the keyword's words found in name, summary or keywords
    "freshness": 5,  # information confirmed within 6 months (1) or a year (0.5)
}
DEFAULT_DISTANCE_SCALE_KM = 10.0
SOON_DAYS = 14
TOP_DIVERSITY = 10  # positions where diversity applies
PER_MEMBER_IN_TOP = 2


@dataclass(frozen=True, slots=True)
class MatchResult:
    """One suggested listing: its score, the components behind it, and reasons to read aloud."""

    candidate: Candidate
    score: float
    components: Mapping[str, float]
    distance_km: float | None  # never for confidential listings (ranked by their area's centre)
    slot: Slot | None  # the session that fits (or the next one)
    reasons: tuple[str, ...]

    @property
    def next_occurrence(self) -> datetime | None:
        if self.slot is None:
            return None
        start = time(0) if self.slot.all_day else time(*divmod(self.slot.start, 60))
        return datetime.combine(self.slot.next_day, start, JST)


# --- scoring ---------------------------------------------------------------------------


def components(candidate: Candidate, context: Context, distance: float | None) -> dict[str, float]:
    """Each weighted component as a number between 0 and 1 (see WEIGHTS)."""
    profile = context.profile
    values = dict.fromkeys(WEIGHTS, 0.0)
    if candidate.categories & set(profile.interests):
        values["interests"] = 1.0
    if profile.wants:
        served = sum(bool(candidate.categories & WANT_CATEGORIES[w]) for w in profile.wants)
        values["wants"] = served / len(profile.wants)
    if profile.preferred:
        met = conditions_met(candidate.conditions).intersection(profile.preferred)
        values["preferred"] = len(met) / len(profile.preferred)
    if distance is not None:
        scale = profile.max_km or DEFAULT_DISTANCE_SCALE_KM
        values["distance"] = max(0.0, 1.0 - distance / scale)
    elif candidate.online and profile.online_ok:
        values["distance"] = 0.5
    if profile.times:
        slot = fitting_slot(candidate, profile)
        if slot is not None:
            values["time"] = 1.0 if (slot.next_day - context.today).days <= SOON_DAYS else 0.5
    if context.others:
        if welcomes_both(candidate, context):
            values["groups"] = 1.0
        elif candidate.targets & context.groups:
            values["groups"] = 0.5
    elif candidate.targets.intersection(profile.targets):
        values["groups"] = 1.0
    elif candidate.targets & context.groups:
        values["groups"] = 0.5
    if profile.languages and (
        candidate.languages.intersection(profile.languages)
        or "multilingual" in candidate.conditions
    ):
        values["languages"] = 1.0
    if context.keyword_words:
        found = sum(word in candidate.text for word in context.keyword_words)
        values["keywords"] = found / len(context.keyword_words)
    if candidate.last_verified:
        age_days = (context.today - candidate.last_verified).days
        values["freshness"] = 1.0 if age_days <= 183 else 0.5 if age_days <= 366 else 0.0
    return values


def match(
    profile: NeedsProfile,
    pool: CandidatePool,
    vocabulary: Vocabulary,
    today: date,
    *,
    vectorised: bool = True,
    origin_name: str = "",
) -> list[MatchResult]:
    """The best listings for a profile, with reasons; deterministic for equal scores.

    Ranking: score (high first), then distance (near first), then name and id.
    `vectorised=False` checks and scores every candidate one by one with the reference
    functions above: the naive alternative bench/match.py measures; results are identical.
    `origin_name` names the point `profile.near` (see Context.build).
    """
    context = Context.build(profile, vocabulary, today, origin_name)
    ranked = _ranked_columns(pool, context) if vectorised else _ranked_one_by_one(pool, context)
    results = []
    for index in _diverse(ranked, pool, profile.limit):
        candidate = pool.candidates[index]
        distance = distance_km(candidate, context)
        values = components(candidate, context, distance)
        results.append(
            MatchResult(
                candidate=candidate,
                score=round(weighted(values), 1),
                components=values,
                distance_km=None if candidate.confidential else _rounded(distance),
                slot=shown_slot(candidate, profile),
                reasons=tuple(reasons(candidate, context, vocabulary, distance)),
            )
        )
    return results


def weighted(values: Mapping[str, float]) -> float:
    """The score: the weighted sum of the components, added in WEIGHTS order."""
    total = 0.0
    for name, weight in WEIGHTS.items():
        total = total + weight * values[name]
    return total


def _ranked_one_by_one(pool: CandidatePool, context: Context) -> Iterator[int]:
    rows = []
    for index, candidate in enumerate(pool.candidates):
        if exclusion(candidate, context) is not None:
            continue
        distance = distance_km(candidate, context)
        score = weighted(components(candidate, context, distance))
        sort_distance = math.inf if distance is None else distance
        rows.append((-score, sort_distance, candidate.name, candidate.id, index))
    rows.sort()
    return (row[4] for row in rows)


def _ranked_columns(pool: CandidatePool, context: Context) -> Iterator[int]:
    """The same rules and score as `exclusion` and `components`, over numpy columns."""
    profile = context.profile
    if not pool.knows_all("condition", profile.required):
        return iter(())
    keep, fits, distance = _hard_constraints(pool, context)
    rows = np.flatnonzero(keep)
    columns = dict(_component_columns(pool, context, rows, fits, distance))
    score = np.zeros(len(rows))
    for name, weight in WEIGHTS.items():  # the order `weighted` adds in: identical floats
        score = score + weight * columns[name]
    near = np.nan_to_num(distance[rows], nan=np.inf)
    order = np.lexsort((pool.name_rank[rows], near, -score))
    return iter(rows[order].tolist())


def _hard_constraints(
    pool: CandidatePool, context: Context
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(passes every constraint, session × window fits, distance or NaN) per candidate."""
    profile = context.profile
    zero = np.uint64(0)
    targets = pool.targets
    group_ok = (targets & pool.mask("target", context.groups)) != zero
    keep = ((targets & pool.anyone()) != zero) | group_ok
    if pool.age_ranged.any() and profile.age_years:
        overlaps = np.zeros(len(pool), dtype=bool)
        for first, last in profile.age_years:
            overlaps |= (pool.age_low <= last) & (pool.age_high >= first)
        keep &= ~pool.age_ranged | overlaps
    required = pool.mask("condition", profile.required)
    keep &= (pool.conditions & required) == required
    if not profile.online_ok:
        keep &= ~pool.online_only
    keep &= ~pool.scheduled | pool.has_slots
    fits = np.zeros(pool.slot_weekday.shape, dtype=bool)
    for window in profile.times:
        fits |= (
            (pool.slot_weekday == window.weekday)
            & (pool.slot_start < window.end)
            & (pool.slot_end > window.start)
        )
    if profile.times:
        keep &= ~pool.scheduled | fits.any(axis=1)
    distance = np.full(len(pool), np.nan)
    if context.origin is not None:
        # Only where every other constraint holds: trigonometry is the costly column.
        near = np.flatnonzero(keep)
        exact = haversine_columns(*context.origin, pool.lat[near], pool.lng[near])
        distance[near] = np.floor(exact * 1e6 + 0.5) / 1e6  # to the metre, as distance_km
    if profile.max_km is not None:
        reach = (pool.online & profile.online_ok) | (distance <= profile.max_km)
        if profile.area:
            reach |= pool.confidential & pool.in_area(profile.area)
        keep &= reach
    return keep, fits, distance


def _component_columns(
    pool: CandidatePool, context: Context, rows: np.ndarray, fits: np.ndarray, distance: np.ndarray
) -> Iterator[tuple[str, np.ndarray]]:
    """Each component of `components` for the kept rows."""
    profile = context.profile
    zero = np.uint64(0)
    nothing = np.zeros(len(rows))
    categories, conditions = pool.categories[rows], pool.conditions[rows]
    yield "interests", _flag(categories & pool.mask("category", profile.interests))
    served = np.zeros(len(rows))
    for want in profile.wants:
        served = served + _flag(categories & pool.mask("category", WANT_CATEGORIES[want]))
    yield "wants", served / len(profile.wants) if profile.wants else served
    if profile.preferred:
        met = np.bitwise_count(conditions & pool.mask("condition", profile.preferred))
        yield "preferred", met / len(profile.preferred)
    else:
        yield "preferred", nothing
    near = distance[rows]
    online_here = pool.online[rows] & profile.online_ok
    scale = profile.max_km or DEFAULT_DISTANCE_SCALE_KM
    yield (
        "distance",
        np.where(
            np.isnan(near), np.where(online_here, 0.5, 0.0), np.maximum(0.0, 1.0 - near / scale)
        ),
    )
    if profile.times:
        kept_fits = fits[rows]
        first_fit = np.where(kept_fits, pool.slot_day[rows], NO_DAY).min(axis=1)
        soon = (first_fit.astype(np.int64) - context.today.toordinal()) <= SOON_DAYS
        yield "time", np.where(kept_fits.any(axis=1), np.where(soon, 1.0, 0.5), 0.0)
    else:
        yield "time", nothing
    targets = pool.targets[rows]
    chosen = _flag(targets & pool.mask("target", profile.targets))
    if context.others:  # two people: made for the other one and welcoming both (welcomes_both)
        with_them = _flag(targets & pool.mask("target", context.others))
        family_ok = conditions & pool.mask("condition", [FAMILY_OK])
        with_both = np.maximum(
            _flag(targets & pool.mask("target", context.companions)), _flag(family_ok)
        )
        for_own = _flag(targets & pool.mask("target", context.own)) * _flag(family_ok)
        chosen = np.maximum(with_them * with_both, for_own)
    yield (
        "groups",
        np.where(chosen > 0, 1.0, _flag(targets & pool.mask("target", context.groups)) / 2),
    )
    if profile.languages:
        speaks = (pool.languages[rows] & pool.mask("language", profile.languages)) != zero
        speaks |= (conditions & pool.mask("condition", ["multilingual"])) != zero
        yield "languages", speaks.astype(float)
    else:
        yield "languages", nothing
    words = context.keyword_words
    if words:
        found = sum(pool.containing(word)[rows].astype(float) for word in words)
        yield "keywords", found / len(words)
    else:
        yield "keywords", nothing
    verified = pool.verified[rows]
    age_days = context.today.toordinal() - verified
    fresh = np.where(age_days <= 183, 1.0, np.where(age_days <= 366, 0.5, 0.0))
    yield "freshness", np.where(verified < 0, 0.0, fresh)


def _flag(masked: np.ndarray) -> np.ndarray:
    return (masked != np.uint64(0)).astype(float)


def _rounded(distance: float | None) -> float | None:
    return None if distance is None else round(distance, 1)


def _diverse(ranked: Iterator[int], pool: CandidatePool, limit: int) -> list[int]:
    """At most two listings of one member in the top ten; the others move down, not out."""
    top: list[int] = []
    deferred: list[int] = []
    per_member: dict[str, int] = {}
    for index in ranked:
        if len(top) >= TOP_DIVERSITY:
            rest = [index, *itertools.islice(ranked, limit)]
            return (top + deferred + rest)[:limit]
        member_id = pool.candidates[index].member_id
        seen = per_member.get(member_id, 0)
        if member_id and seen >= PER_MEMBER_IN_TOP:
            deferred.append(index)
            continue
        per_member[member_id] = seen + 1
        top.append(index)
    return (top + deferred)[:limit]
