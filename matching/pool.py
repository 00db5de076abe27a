"""The candidate pool as columns, so hard constraints and scores run over all listings at once.

Why columns: checking and scoring listings one by one in Python costs ~20 µs each, i.e. about
a second at 100k listings. As numpy columns (vocabulary as bit masks, points as floats, the
upcoming sessions as a small matrix) the same rules take a few milliseconds. The per-listing
functions in matching.constraints and matching.scoring stay the readable reference: they explain exclusions, compute
the components shown with each result, and must agree with these columns exactly (tests and
bench/match.py compare both paths on every profile).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from directory.listings.ages import AGE_LIMIT
from matching.candidates import Candidate
from matching.constraints import conditions_met
from matching.profile import ANYONE

EARTH_RADIUS_KM = 6371.0088  # as core.geo.haversine_km
NO_DAY = np.iinfo(np.int32).max


@dataclass(frozen=True)
class Columns:
    """What scoring.Context needs from the pool for one request (masks of the profile)."""

    keep: np.ndarray  # bool: passes every hard constraint
    distance: np.ndarray  # float km, NaN when unknown
    score: np.ndarray  # float, unrounded weighted sum


class CandidatePool:
    """Candidates plus their columns, built when listings change and kept ready (matching.ready)."""

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.candidates = list(candidates)
        self.bits: dict[str, dict[str, int]] = {
            "target": {},
            "condition": {},
            "category": {},
            "language": {},
        }
        size = len(self.candidates)
        self.targets = self._masks("target", (c.targets for c in self.candidates))
        self.conditions = self._masks(
            "condition", (conditions_met(c.conditions) for c in self.candidates)
        )
        self.categories = self._masks("category", (c.categories for c in self.candidates))
        self.languages = self._masks("language", (c.languages for c in self.candidates))
        nan_pair = (np.nan, np.nan)
        points = np.array([c.point or nan_pair for c in self.candidates], dtype=float).reshape(
            -1, 2
        )
        area_points = np.array(
            [
                (c.area_point if c.confidential and c.area_point else nan_pair)
                for c in self.candidates
            ],
            dtype=float,
        ).reshape(-1, 2)
        # The point a distance is measured to: public point, or the area's centre if confidential.
        self.lat = np.where(np.isnan(points[:, 0]), area_points[:, 0], points[:, 0])
        self.lng = np.where(np.isnan(points[:, 1]), area_points[:, 1], points[:, 1])
        self.confidential = np.array([c.confidential for c in self.candidates], dtype=bool)
        self.online = np.array([c.online for c in self.candidates], dtype=bool)
        self.online_only = np.array([c.online_only for c in self.candidates], dtype=bool)
        self.scheduled = np.array([c.scheduled for c in self.candidates], dtype=bool)
        self.has_slots = np.array([bool(c.slots) for c in self.candidates], dtype=bool)
        width = max((len(c.slots) for c in self.candidates), default=0) or 1
        self.slot_weekday = np.full((size, width), -1, dtype=np.int16)
        self.slot_start = np.zeros((size, width), dtype=np.int16)
        self.slot_end = np.zeros((size, width), dtype=np.int16)
        self.slot_day = np.full((size, width), NO_DAY, dtype=np.int32)
        for row, candidate in enumerate(self.candidates):
            for column, slot in enumerate(candidate.slots):
                self.slot_weekday[row, column] = slot.weekday
                self.slot_start[row, column] = slot.start
                self.slot_end[row, column] = slot.end
                self.slot_day[row, column] = slot.next_day.toordinal()
        # 対象年齢 (constraints.age_range_fits): a missing bound is 0 or AGE_LIMIT.
        self.age_ranged = np.array(
            [c.age_min is not None or c.age_max is not None for c in self.candidates], dtype=bool
        )
        self.age_low = np.array([c.age_min or 0 for c in self.candidates], dtype=np.int16)
        self.age_high = np.array(
            [AGE_LIMIT if c.age_max is None else c.age_max for c in self.candidates], dtype=np.int16
        )
        self.verified = np.array(
            [c.last_verified.toordinal() if c.last_verified else -1 for c in self.candidates],
            dtype=np.int64,
        )
        # All texts in one string, so a keyword is found by one C-level scan, not 100k `in`s.
        texts = [c.text.replace("\n", " ") for c in self.candidates]
        self.text = "\n".join(texts)
        self.text_starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]], dtype=np.int64)
        self.by_area: dict[str, list[int]] = {}
        for row, candidate in enumerate(self.candidates):
            for code in candidate.area_codes:
                self.by_area.setdefault(code, []).append(row)
        # Rank of (name, id): the last tie-breaker, precomputed so sorting stays in numpy.
        order = sorted(range(size), key=lambda i: (self.candidates[i].name, self.candidates[i].id))
        self.name_rank = np.empty(size, dtype=np.int64)
        self.name_rank[order] = np.arange(size)

    def __len__(self) -> int:
        return len(self.candidates)

    def _masks(self, scheme: str, sets: Iterable[Iterable[str]]) -> np.ndarray:
        bits = self.bits[scheme]
        values = []
        for slugs in sets:
            mask = 0
            for slug in slugs:
                mask |= 1 << bits.setdefault(slug, len(bits))
            values.append(mask)
        if len(bits) > 64:
            raise ValueError(f"more than 64 {scheme} terms: widen the masks")
        return np.array(values, dtype=np.uint64)

    def mask(self, scheme: str, slugs: Iterable[str]) -> np.uint64:
        """The mask of the slugs this pool knows (unknown slugs match nothing)."""
        bits = self.bits[scheme]
        mask = 0
        for slug in slugs:
            if slug in bits:
                mask |= 1 << bits[slug]
        return np.uint64(mask)

    def knows_all(self, scheme: str, slugs: Iterable[str]) -> bool:
        return all(slug in self.bits[scheme] for slug in slugs)

    def containing(self, word: str) -> np.ndarray:
        """Which candidates' text contains `word` (as `word in candidate.text`)."""
        flags = np.zeros(len(self), dtype=bool)
        if word and "\n" not in word:
            found = [m.start() for m in re.finditer(re.escape(word), self.text)]
            flags[np.searchsorted(self.text_starts, found, side="right") - 1] = True
        return flags

    def in_area(self, code: str) -> np.ndarray:
        flags = np.zeros(len(self), dtype=bool)
        flags[self.by_area.get(code, [])] = True
        return flags

    def anyone(self) -> np.uint64:
        return self.mask("target", [ANYONE])


def haversine_columns(lat: float, lng: float, lats: np.ndarray, lngs: np.ndarray) -> np.ndarray:
    """core.geo.haversine_km over columns (NaN where a listing has no point)."""
    p1, p2 = np.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lngs - lng)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def nonzero(values: np.ndarray) -> np.ndarray:
    return values != 0
