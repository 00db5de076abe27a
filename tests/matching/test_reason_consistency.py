"""Every reason of every result says what the constraint used: the fitting session, the origin.

Issue 14: a user who chose 午後 read 「土曜の午前に開催」, choosing only 夜 brought 「水曜の朝」,
and 「約1.1km」 appeared with no starting point. Here the reasons are parsed back and checked
against the profile's own windows and point (not against the code that wrote them), over a few
hundred random profiles and candidates.
"""

import random
from datetime import date, timedelta

import pytest

from matching.candidates import Slot, vocabulary_from_fixture
from matching.pool import CandidatePool
from matching.profile import parse_profile
from matching.scoring import match
from tests.factories.matching import ORIGIN, candidate, slot
from tests.matching.reason_checks import FORM_PERIODS, check_every_reason

TODAY = date(2026, 12, 1)
AREAS = {
    "112345-01": ("ひだまり小学校区", ORIGIN),
    "112345-02": ("いずみ小学校区", (35.95, 139.45)),
}


@pytest.fixture(scope="module")
def vocabulary():
    return vocabulary_from_fixture(AREAS)


def random_candidates(rng: random.Random, vocabulary, count: int):
    """Listings of every shape a reason speaks of: public points, confidential places (area
    only), online-only services, no point at all, all-day and unscheduled ones."""
    targets, conditions = list(vocabulary.targets), list(vocabulary.conditions)
    categories = list(vocabulary.categories)
    items = []
    for _ in range(count):
        slots = []
        for _ in range(rng.randint(0, 3)):
            start = rng.randrange(6 * 60, 21 * 60, 30)
            end = min(start + rng.choice([60, 90, 150, 240, 660]), 24 * 60)
            weekday = rng.randint(0, 6)
            next_day = TODAY + timedelta(
                days=(weekday - TODAY.weekday()) % 7 + 7 * rng.randint(0, 3)
            )
            if rng.random() < 0.1:
                slots.append(Slot(weekday, 0, 24 * 60, next_day, all_day=True))
                continue
            slots.append(
                slot(
                    weekday,
                    f"{start // 60}:{start % 60:02d}",
                    f"{end // 60}:{end % 60:02d}",
                    next_day,
                )
            )
        area = rng.choice(list(AREAS))
        shape = rng.random()
        confidential, online_only, no_point = shape < 0.15, 0.15 <= shape < 0.25, shape >= 0.9
        public_point = (35.90 + rng.uniform(-0.05, 0.05), 139.40 + rng.uniform(-0.05, 0.05))
        low = rng.choice([None, None, 6, 12, 19, 40, 65])
        items.append(
            candidate(
                point=None if confidential or online_only or no_point else public_point,
                area_codes=(area, "112345"),
                area_name=AREAS[area][0],
                area_point=AREAS[area][1],
                confidential=confidential,
                online=online_only or rng.random() < 0.1,
                online_only=online_only,
                slots=slots,
                scheduled=bool(slots) or rng.random() < 0.3,
                targets=["anyone"] if rng.random() < 0.4 else rng.sample(targets, 2),
                conditions=rng.sample(conditions, rng.randint(0, 4)),
                categories=rng.sample(categories, rng.randint(1, 2)),
                languages=["ja", *rng.sample(["en", "vi", "pt", "zh"], rng.randint(0, 2))],
                age_min=low,
                age_max=None if low is None or rng.random() < 0.3 else low + 20,
                last_verified=TODAY - timedelta(days=rng.randint(0, 800)),
            )
        )
    return items


def random_profile(rng: random.Random, vocabulary) -> dict:
    data: dict = {"limit": 50}
    if rng.random() < 0.8:
        days = rng.sample(range(7), rng.randint(1, 4))
        if rng.random() < 0.5:  # the form's periods
            chosen = rng.sample(list(FORM_PERIODS.values()), rng.randint(1, 2))
        else:
            start = rng.randrange(6, 22)
            chosen = [(f"{start:02d}:00", f"{min(start + rng.randint(1, 4), 24):02d}:00")]
        data["times"] = [{"weekday": d, "from": a, "to": b} for d in days for a, b in chosen]
    where = rng.random()
    if where < 0.35:
        data["near"] = {
            "lat": 35.9 + rng.uniform(-0.03, 0.03),
            "lng": 139.4 + rng.uniform(-0.03, 0.03),
        }
    elif where < 0.7:
        data["area"] = rng.choice(list(AREAS))
    if ("near" in data or "area" in data) and rng.random() < 0.5:
        data["max_km"] = rng.choice([1, 3, 5, 10])
    data["age_band"] = rng.choice(["", *vocabulary.age_bands])
    data["targets"] = rng.sample(
        [t for t in vocabulary.targets if t != "anyone"], rng.randint(0, 2)
    )
    data["wants"] = rng.sample(list(vocabulary.wants), rng.randint(0, 2))
    data["interests"] = rng.sample(list(vocabulary.categories), rng.randint(0, 2))
    data["preferred"] = rng.sample(
        ["solo-ok", "small-group", "wheelchair", "meal"], rng.randint(0, 2)
    )
    data["languages"] = rng.sample(["en", "vi", "pt"], rng.randint(0, 1))
    data["online_ok"] = rng.random() < 0.4
    return data


def test_every_reason_agrees_with_the_profile(vocabulary):
    rng = random.Random(14)
    pool = CandidatePool(random_candidates(rng, vocabulary, 300))
    told: list[str] = []
    for _ in range(300):
        profile = parse_profile(random_profile(rng, vocabulary), vocabulary)
        for result in match(profile, pool, vocabulary, TODAY):
            told += check_every_reason(result, profile, vocabulary, TODAY)
    # Every kind of reason was met and checked often, not only a few.
    counts = {kind: told.count(kind) for kind in set(told)}
    assert counts.keys() >= {
        "session",
        "distance",
        "ask",
        "online",
        "area only",
        "interest",
        "want",
        "target",
        "ages",
        "language",
        "verified",
        "condition",
    }, counts
    assert counts["session"] > 500 and counts["distance"] > 500, counts


WEEKDAY_SETS = {"月": [0], "水": [2], "土": [5], "日": [6], "平日": [0, 1, 2, 3, 4], "週末": [5, 6]}
ORIGINS = {
    "出発点なし": {},
    "指定した地点": {"near": {"lat": 35.91, "lng": 139.41}},
    "指定した地点から3km": {"near": {"lat": 35.91, "lng": 139.41}, "max_km": 3},
    "学区の中心": {"area": "112345-02"},
    "学区の中心から3km": {"area": "112345-02", "max_km": 3},
}


@pytest.fixture(scope="module")
def sweep_pool(vocabulary):
    return CandidatePool(random_candidates(random.Random(1400), vocabulary, 400))


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("days", WEEKDAY_SETS)
@pytest.mark.parametrize("period", [*FORM_PERIODS, "午前と夜"])
def test_reasons_for_each_time_window_weekday_and_origin(
    vocabulary, sweep_pool, period, days, origin
):
    """The form's periods × weekdays × with and without a starting point: every reason of
    every result names a session inside the chosen window and day, and a distance only from
    a given point or area, by its name."""
    chosen = (
        [FORM_PERIODS["午前"], FORM_PERIODS["夜"]]
        if period == "午前と夜"
        else [FORM_PERIODS[period]]
    )
    data = {
        "limit": 50,
        "online_ok": True,
        "times": [
            {"weekday": day, "from": start, "to": end}
            for day in WEEKDAY_SETS[days]
            for start, end in chosen
        ],
        **ORIGINS[origin],
    }
    profile = parse_profile(data, vocabulary)
    results = match(profile, sweep_pool, vocabulary, TODAY)
    assert results
    for result in results:
        check_every_reason(result, profile, vocabulary, TODAY)
        assert result.slot is None or any(
            w.weekday == result.slot.weekday
            and w.start < result.slot.end
            and result.slot.start < w.end
            for w in profile.times
        )


def run(vocabulary, items, **data):
    return match(parse_profile(data, vocabulary), CandidatePool(items), vocabulary, TODAY)


def test_afternoon_never_reads_as_the_morning(vocabulary):
    """午後 (12〜15時) found a Saturday 10:00〜12:30 session: it was told as 「土曜の午前」."""
    item = candidate(slots=[slot(5, "10:00", "12:30", date(2026, 12, 5))])
    [result] = run(vocabulary, [item], times=[{"weekday": 5, "from": "12:00", "to": "15:00"}])
    assert result.reasons[0] == "土曜 10:00〜12:30に開催（次回 12月5日）"
    assert not any("午前" in reason for reason in result.reasons)


def test_night_never_reads_as_the_morning(vocabulary):
    """夜 only found a Wednesday 9:00〜20:00 opening: it was told as 「水曜の朝」."""
    item = candidate(slots=[slot(2, "09:00", "20:00", date(2026, 12, 2))])
    [result] = run(vocabulary, [item], times=[{"weekday": 2, "from": "18:00", "to": "21:00"}])
    assert result.reasons[0] == "水曜 9:00〜20:00に開催（次回 12月2日）"


def test_the_session_told_is_the_one_that_fits(vocabulary):
    item = candidate(
        slots=[
            slot(1, "10:00", "12:00", date(2026, 12, 1)),
            slot(3, "18:30", "20:00", date(2026, 12, 3)),
        ]
    )
    [result] = run(vocabulary, [item], times=[{"weekday": 3, "from": "18:00", "to": "21:00"}])
    assert result.reasons[0] == "木曜の夜 18:30〜20:00に開催（次回 12月3日）"


def test_no_distance_without_a_starting_point(vocabulary):
    [result] = run(vocabulary, [candidate(point=(35.91, 139.40))])
    assert not any("km" in reason for reason in result.reasons)
    assert result.distance_km is None


def test_distance_names_its_origin(vocabulary):
    item = candidate(point=(35.91, 139.40))
    [near] = run(vocabulary, [item], near={"lat": 35.90, "lng": 139.40})
    [area] = run(vocabulary, [item], area="112345-01")
    assert "指定した地点から約1.1km" in near.reasons
    assert "ひだまり小学校区の中心から約1.1km" in area.reasons
