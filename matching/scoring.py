"""Scoring with reasons: hard constraints first, then a transparent weighted score.

Why this shape (docs/matching.md has the full table): a coordinator must be able to say *why*
a place is suggested, so every component is a plain number between 0 and 1 times a published
weight, and every result carries Japanese reasons that can be read aloud. Hard constraints are
never traded against score: a place that cannot be reached in time, is too far, or is for
another age group is not suggested at all.
"""

from __future__ import annotations

import heapq
import math
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from directory.geo import bounding_box, haversine_km
from directory.schedules import JST
from matching.candidates import ALL_WEEK, Candidate, CandidatePool, Slot, hours_mask
from matching.profile import ANYONE, TARGET_AGE_BANDS, WEEKDAY_NAMES, NeedsProfile, Vocabulary

# A scored candidate: (-score, distance for sorting, name, id, candidate, components, distance).
Row = tuple[float, float, str, str, Candidate, dict[str, float], float | None]

# Published weights (points out of 100); each component is a number between 0 and 1.
WEIGHTS: dict[str, int] = {
    "interests": 20,  # a category the person is interested in
    "wants": 20,  # a category that serves what the person wants (WANT_CATEGORIES)
    "preferred": 15,  # share of the preferred conditions the listing meets
    "distance": 15,  # 1 at the origin, 0 at the distance limit (or 10 km without one)
    "time": 10,  # a fitting session within two weeks (1) or later (0.5)
    "groups": 5,  # the listing names one of the person's groups (not only どなたでも)
    "languages": 5,  # the listing supports one of the person's languages
    "keywords": 5,  # share of the keyword's words found in name, summary or keywords
    "freshness": 5,  # information confirmed within 6 months (1) or a year (0.5)
}
# What each "want" means in categories: the bridge between a person's words and listings.
WANT_CATEGORIES: dict[str, frozenset[str]] = {
    "ibasho": frozenset(
        {
            "youth-space",
            "free-school",
            "community-cafe",
            "salon",
            "kayoinoba",
            "kodomo-shokudo",
            "multigenerational",
            "kosodate-hiroba",
        }
    ),
    "companions": frozenset(
        {"salon", "peer-group", "community-cafe", "kayoinoba", "hobby-sports", "multigenerational"}
    ),
    "role": frozenset({"volunteering", "multigenerational"}),
    "work": frozenset({"work-experience"}),
    "learning": frozenset({"study-support", "free-school", "training"}),
    "consultation": frozenset({"consultation", "peer-group"}),
    "food": frozenset({"kodomo-shokudo", "food-support", "daily-life-support"}),
    "outing": frozenset({"hobby-sports", "play-park", "kayoinoba", "salon", "community-cafe"}),
}
DEFAULT_DISTANCE_SCALE_KM = 10.0
SOON_DAYS = 14
TOP_DIVERSITY = 10  # positions where diversity applies
PER_MEMBER_IN_TOP = 2
# Conditions always worth telling when a listing has them, even if not asked for.
ALWAYS_TOLD = ("anonymous-ok", "no-reservation", "free")
CONDITION_PHRASES: dict[str, str] = {
    "anonymous-ok": "匿名で参加できます",
    "no-reservation": "予約不要",
    "reservation-required": "予約が必要です",
    "free": "無料",
    "low-cost": "参加費は500円以下です",
    "solo-ok": "一人でも参加できます",
    "small-group": "少人数の集まりです",
    "drop-in": "出入り自由です",
    "visit-only-ok": "見学だけでも大丈夫です",
    "family-ok": "親子で参加できます",
    "wheelchair": "車いすで利用できます",
    "online": "オンラインで参加できます",
    "phone-sns": "電話やSNSでも相談できます",
    "evening-weekend": "夜間や休日も利用できます",
    "meal": "食事があります",
    "takeout": "テイクアウト・配食があります",
    "multilingual": "多言語・やさしい日本語に対応しています",
    "open-area": "地域外からも参加できます",
}


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


@dataclass(frozen=True, slots=True)
class Context:
    """What scoring derives once per request from the profile and the vocabulary."""

    profile: NeedsProfile
    groups: frozenset[str]
    origin: tuple[float, float] | None
    today: date
    keyword_words: tuple[str, ...]
    want_categories: frozenset[str]

    @classmethod
    def build(cls, profile: NeedsProfile, vocabulary: Vocabulary, today: date) -> Context:
        origin = (profile.near.lat, profile.near.lng) if profile.near else None
        if origin is None and profile.area:
            origin = vocabulary.area_points.get(profile.area)
        text = unicodedata.normalize("NFKC", profile.keywords).lower()
        return cls(
            profile=profile,
            groups=profile.groups,
            origin=origin,
            today=today,
            keyword_words=tuple(text.split()),
            want_categories=frozenset().union(*(WANT_CATEGORIES.get(w, ()) for w in profile.wants)),
        )


# --- hard constraints ------------------------------------------------------------------


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
    for slot in candidate.slots:  # slots are in date order
        for window in profile.times:
            if (
                window.weekday == slot.weekday
                and window.start < slot.end
                and slot.start < window.end
            ):
                return slot
    return None


def distance_km(candidate: Candidate, context: Context) -> float | None:
    """Distance to the public point; confidential listings only get their area's centre."""
    if context.origin is None:
        return None
    point = candidate.point or (candidate.area_point if candidate.confidential else None)
    return haversine_km(*context.origin, *point) if point else None


def within_reach(candidate: Candidate, context: Context) -> bool:
    profile = context.profile
    if candidate.online and profile.online_ok:
        return True
    if candidate.confidential and profile.area and profile.area in candidate.area_codes:
        return True
    distance = distance_km(candidate, context)
    return distance is not None and profile.max_km is not None and distance <= profile.max_km


# --- the coarse prefilter (bit masks) --------------------------------------------------


def prefiltered(pool: CandidatePool, context: Context) -> Iterator[int]:
    """Indices that may pass the hard constraints, using integer masks only.

    Necessary, not sufficient: `exclusion` still decides (exact minutes, exact distance,
    confidential areas). It is what makes 100k listings fast; bench/match.py compares.
    """
    profile = context.profile
    required = pool.mask("condition", profile.required)
    if required is None:
        return
    group_mask = pool.mask("target", [g for g in context.groups if g in pool.bits["target"]]) or 0
    anyone = pool.mask("target", [ANYONE] if ANYONE in pool.bits["target"] else []) or 0
    week = 0
    for window in profile.times:
        week |= hours_mask(window.weekday, window.start, window.end)
    box = None
    if profile.max_km is not None and context.origin is not None:
        box = bounding_box(*context.origin, profile.max_km)
    candidates = pool.candidates
    week_masks = pool.week_masks
    for (target_mask, condition_mask), indices in pool.groups.items():
        if condition_mask & required != required:
            continue
        if not target_mask & anyone and not target_mask & group_mask:
            continue
        for index in indices:
            week_mask = week_masks[index]
            if week_mask == 0 or (week and week_mask != ALL_WEEK and not week_mask & week):
                continue
            if box is not None and not _may_be_in_box(candidates[index], box, profile.online_ok):
                continue
            yield index


def _may_be_in_box(
    candidate: Candidate, box: tuple[float, float, float, float], online_ok: bool
) -> bool:
    point = candidate.point
    if point is None or (candidate.online and online_ok):
        return True  # confidential, online or unplaced: `exclusion` decides
    return box[0] <= point[0] <= box[1] and box[2] <= point[1] <= box[3]


# --- scoring ---------------------------------------------------------------------------


def components(candidate: Candidate, context: Context, distance: float | None) -> dict[str, float]:
    """Each weighted component as a number between 0 and 1 (see WEIGHTS)."""
    profile = context.profile
    values = dict.fromkeys(WEIGHTS, 0.0)
    if candidate.categories & set(profile.interests):
        values["interests"] = 1.0
    if candidate.categories & context.want_categories:
        values["wants"] = 1.0
    if profile.preferred:
        values["preferred"] = len(candidate.conditions.intersection(profile.preferred)) / len(
            profile.preferred
        )
    if distance is not None:
        scale = profile.max_km or DEFAULT_DISTANCE_SCALE_KM
        values["distance"] = max(0.0, 1.0 - distance / scale)
    elif candidate.online and profile.online_ok:
        values["distance"] = 0.5
    if profile.times:
        slot = fitting_slot(candidate, profile)
        if slot is not None:
            values["time"] = 1.0 if (slot.next_day - context.today).days <= SOON_DAYS else 0.5
    if candidate.targets & context.groups:
        values["groups"] = 1.0
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
    prefilter: bool = True,
) -> list[MatchResult]:
    """The best listings for a profile, with reasons; deterministic for equal scores.

    `prefilter=False` runs the exact checks on every candidate (the naive alternative that
    bench/match.py measures against); results are identical.
    """
    context = Context.build(profile, vocabulary, today)
    indices = prefiltered(pool, context) if prefilter else range(len(pool))
    scored: list[Row] = []
    for index in indices:
        candidate = pool.candidates[index]
        if exclusion(candidate, context) is not None:
            continue
        distance = distance_km(candidate, context)
        values = components(candidate, context, distance)
        score = round(sum(WEIGHTS[name] * value for name, value in values.items()), 1)
        sort_distance = distance if distance is not None else math.inf
        scored.append(
            (-score, sort_distance, candidate.name, candidate.id, candidate, values, distance)
        )
    best = _ranked(scored, profile.limit)
    chosen = _diverse(best, profile.limit, exhaustive=len(best) == len(scored))
    if chosen is None:
        chosen = _diverse(sorted(scored, key=_sort_key), profile.limit, exhaustive=True) or []
    return [
        MatchResult(
            candidate=candidate,
            score=-negative_score,
            components=values,
            distance_km=None if candidate.confidential else _rounded(distance),
            slot=_shown_slot(candidate, profile),
            reasons=tuple(reasons(candidate, context, vocabulary, distance)),
        )
        for negative_score, _, _, _, candidate, values, distance in chosen
    ]


def _sort_key(row: Row) -> tuple[float, float, str, str]:
    return row[0], row[1], row[2], row[3]


def _ranked(scored: list[Row], limit: int) -> list[Row]:
    """The best rows without sorting them all: enough for the limit and for diversity."""
    return heapq.nsmallest(max(limit, TOP_DIVERSITY) * 4, scored, key=_sort_key)


def _rounded(distance: float | None) -> float | None:
    return None if distance is None else round(distance, 1)


def _diverse(rows: list[Row], limit: int, *, exhaustive: bool) -> list[Row] | None:
    """At most two listings of one member in the top ten; the others move down, not out.

    None when `rows` is only the best part of the ranking and too short to fill the top ten.
    """
    top: list[Row] = []
    deferred: list[Row] = []
    per_member: dict[str, int] = {}
    for position, row in enumerate(rows):
        if len(top) >= TOP_DIVERSITY:
            return (top + deferred + rows[position:])[:limit]
        member_id = row[4].member_id
        seen = per_member.get(member_id, 0)
        if member_id and seen >= PER_MEMBER_IN_TOP:
            deferred.append(row)
            continue
        per_member[member_id] = seen + 1
        top.append(row)
    if not exhaustive:
        return None
    return (top + deferred)[:limit]


# --- reasons ---------------------------------------------------------------------------


def _shown_slot(candidate: Candidate, profile: NeedsProfile) -> Slot | None:
    """The session to tell about: the first that fits the person's times, else the next one."""
    slot = fitting_slot(candidate, profile) if profile.times else None
    return slot or (candidate.slots[0] if candidate.slots else None)


def time_of_day(minutes: int) -> str:
    if minutes < 10 * 60:
        return "朝"
    if minutes < 12 * 60:
        return "午前"
    if minutes < 15 * 60:
        return "午後"
    if minutes < 18 * 60:
        return "夕方"
    return "夜"


def describe_slot(slot: Slot) -> str:
    """「水曜の夕方に開催（次回 12月10日）」."""
    weekday = f"{WEEKDAY_NAMES[slot.weekday]}曜"
    when = weekday if slot.all_day else f"{weekday}の{time_of_day(slot.start)}"
    return f"{when}に開催（次回 {slot.next_day.month}月{slot.next_day.day}日）"


def reasons(
    candidate: Candidate, context: Context, vocabulary: Vocabulary, distance: float | None
) -> list[str]:
    """Japanese sentences a coordinator can read aloud, most decisive first."""
    profile = context.profile
    told: list[str] = []
    slot = _shown_slot(candidate, profile)
    if slot is not None:
        told.append(describe_slot(slot))
    elif not candidate.scheduled:
        told.append("日時は団体にお問い合わせください")
    if candidate.online_only:
        told.append("オンラインで参加できます")
    elif candidate.confidential:
        told.append(f"{candidate.area_name}で開催（場所は申し込み後に案内）")
    elif distance is not None:
        told.append(f"約{distance:.1f}km")
    interests = [s for s in profile.interests if s in candidate.categories]
    if interests:
        told.append(f"関心のある「{_labels(interests, vocabulary.categories)}」の活動です")
    wants = [w for w in profile.wants if WANT_CATEGORIES.get(w, frozenset()) & candidate.categories]
    if wants:
        told.append(f"「{_labels(wants, vocabulary.wants)}」に合います")
    groups = sorted(candidate.targets & context.groups, key=list(vocabulary.targets).index)
    if groups:
        told.append(f"対象: {_labels(groups, vocabulary.targets)}")
    asked = [*profile.required, *profile.preferred, *ALWAYS_TOLD]
    for condition in dict.fromkeys(asked):
        if condition in candidate.conditions and not (
            condition == "online" and candidate.online_only
        ):
            told.append(CONDITION_PHRASES.get(condition, vocabulary.conditions.get(condition, "")))
    languages = [code for code in profile.languages if code in candidate.languages]
    if languages:
        told.append(f"{_labels(languages, vocabulary.languages)}で対応できます")
    if candidate.last_verified and (context.today - candidate.last_verified).days <= 366:
        told.append(
            f"{candidate.last_verified.year}年{candidate.last_verified.month}月に情報を確認済み"
        )
    return [reason for reason in told if reason]


def _labels(slugs: list[str], labels: Mapping[str, str]) -> str:
    return "・".join(labels.get(slug, slug) for slug in slugs)
