"""Every reason of every result says what the constraint used: the fitting session, the origin.

Issue 14: a user who chose 午後 read 「土曜の午前に開催」, choosing only 夜 brought 「水曜の朝」,
and 「約1.1km」 appeared with no starting point. Here the reasons are parsed back and checked
against the profile's own windows and point (not against the code that wrote them), over a few
hundred random profiles and candidates.
"""

import random
import re
from datetime import date, timedelta

import pytest

from core.geo import haversine_km
from matching.candidates import vocabulary_from_fixture
from matching.pool import CandidatePool
from matching.profile import WEEKDAY_NAMES, parse_profile
from matching.scoring import match
from tests.factories.matching import ORIGIN, candidate, slot

TODAY = date(2026, 12, 1)
AREAS = {
    "112345-01": ("ひだまり小学校区", ORIGIN),
    "112345-02": ("いずみ小学校区", (35.95, 139.45)),
}
# The times of day a reason may name, as minutes [start, end): the /match/ form's periods.
PERIODS = {
    "朝": (0, 540),
    "午前": (540, 720),
    "午後": (720, 900),
    "夕方": (900, 1080),
    "夜": (1080, 1440),
}
SESSION = re.compile(
    r"^(?P<weekday>.)曜(?:の(?P<period>朝|午前|午後|夕方|夜))? "
    r"(?P<start>\d+):(?P<start_m>\d\d)〜(?P<end>\d+):(?P<end_m>\d\d)に開催"
    r"（次回 (?P<month>\d+)月(?P<day>\d+)日）$"
)
ALL_DAY = re.compile(r"^(?P<weekday>.)曜に終日開催（次回 (?P<month>\d+)月(?P<day>\d+)日）$")
DISTANCE = re.compile(r"^(?P<origin>.+)から約(?P<km>\d+\.\d)km$")


@pytest.fixture(scope="module")
def vocabulary():
    return vocabulary_from_fixture(AREAS)


def minutes(hours: str, mins: str) -> int:
    return int(hours) * 60 + int(mins)


def random_candidates(rng: random.Random, count: int):
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
            slots.append(
                slot(
                    weekday,
                    f"{start // 60}:{start % 60:02d}",
                    f"{end // 60}:{end % 60:02d}",
                    next_day,
                )
            )
        items.append(
            candidate(
                point=(35.90 + rng.uniform(-0.05, 0.05), 139.40 + rng.uniform(-0.05, 0.05)),
                slots=slots,
                scheduled=bool(slots) or rng.random() < 0.3,
            )
        )
    return items


def random_profile(rng: random.Random) -> dict:
    data: dict = {"limit": 50}
    if rng.random() < 0.8:
        days = rng.sample(range(7), rng.randint(1, 4))
        if rng.random() < 0.5:  # the form's periods
            chosen = rng.sample(
                [("09:00", "12:00"), ("12:00", "15:00"), ("15:00", "18:00"), ("18:00", "21:00")],
                rng.randint(1, 2),
            )
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
    return data


def check_session(reason: str, result, profile) -> bool:
    """Whether the reason is a session; asserts it is one the profile's windows accept."""
    found = SESSION.match(reason) or ALL_DAY.match(reason)
    if not found:
        return False
    weekday = WEEKDAY_NAMES.index(found["weekday"])
    next_day = date(
        TODAY.year + (int(found["month"]) < TODAY.month), int(found["month"]), int(found["day"])
    )
    assert next_day.weekday() == weekday, reason
    if "start" in found.groupdict():
        start, end = (
            minutes(found["start"], found["start_m"]),
            minutes(found["end"], found["end_m"]),
        )
    else:
        start, end = 0, 24 * 60
    assert any(
        (s.weekday, s.start, s.end, s.next_day) == (weekday, start, end, next_day)
        for s in result.candidate.slots
    ), reason
    windows = [w for w in profile.times if w.weekday == weekday]
    if profile.times:
        assert any(w.start < end and start < w.end for w in windows), (reason, profile.times)
    period = found.groupdict().get("period")
    if period:
        first, last = PERIODS[period]
        assert first <= start < last, reason  # the session begins in the named time of day
        if profile.times:  # ... and so does a part of it inside a chosen window
            assert any(
                first <= max(start, w.start) < last and w.start < end and start < w.end
                for w in windows
            ), (
                reason,
                profile.times,
            )
    return True


def check_distance(reason: str, result, profile, vocabulary) -> bool:
    found = DISTANCE.match(reason)
    if not found:
        return False
    assert profile.near or profile.area, reason
    if profile.near:
        assert found["origin"] == "指定した地点"
        origin = (profile.near.lat, profile.near.lng)
    else:
        assert found["origin"] == f"{vocabulary.areas[profile.area]}の中心"
        origin = vocabulary.area_points[profile.area]
    assert not result.candidate.confidential
    exact = haversine_km(*origin, *result.candidate.point)
    assert abs(float(found["km"]) - exact) <= 0.051, (reason, exact)
    return True


def test_every_reason_agrees_with_the_profiles_times_and_point(vocabulary):
    rng = random.Random(14)
    pool = CandidatePool(random_candidates(rng, 250))
    told_sessions = told_distances = 0
    for _ in range(300):
        profile = parse_profile(random_profile(rng), vocabulary)
        for result in match(profile, pool, vocabulary, TODAY):
            kinds = [
                check_session(reason, result, profile)
                or (check_distance(reason, result, profile, vocabulary) and 2)
                for reason in result.reasons
            ]
            told_sessions += kinds.count(True)
            told_distances += kinds.count(2)
            if profile.near or profile.area:
                assert 2 in kinds, result.reasons  # a public point and an origin: say how far
            else:
                assert not any("km" in reason for reason in result.reasons)
    assert told_sessions > 500 and told_distances > 500


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
