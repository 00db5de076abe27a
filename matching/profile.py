"""The needs profile of a match request: a typed value and its validation, no database.

Why a separate, pure module: the profile is the only thing a coordinator or resident tells
the platform, so it must hold non-identifying choices only (an age band, never an age; an area
or a point rounded to ~1 km; vocabulary slugs) and it is validated the same way for the JSON
API and the form. Nothing here is stored: a profile lives for one request.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from core.pii import validate_no_personal_information
from directory.listings.ages import AGE_LIMIT

KEYWORDS_MAX_LENGTH = 50
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_KM = 100.0
POINT_DECIMALS = 2  # ~1.1 km: coarse enough not to point at a home
WEEKDAY_NAMES = ("月", "火", "水", "木", "金", "土", "日")
# 月曜…日曜 in the visitor's language, indexed like WEEKDAY_NAMES (Monday first).
WEEKDAY_LABELS: tuple[StrOrPromise, ...] = (
    gettext_lazy("月曜"),
    gettext_lazy("火曜"),
    gettext_lazy("水曜"),
    gettext_lazy("木曜"),
    gettext_lazy("金曜"),
    gettext_lazy("土曜"),
    gettext_lazy("日曜"),
)

# The one table relating age bands to age-specific targets: the ages the people a target
# names can have. The targets marked automatic are the person's groups just by the age band.
# A chosen target whose ages do not include the chosen band names *another* person (30代 +
# 子ども: a parent and a child); see NeedsProfile.others.
ADULT_BANDS = frozenset({"19-29", "30-39", "40-64", "65-74", "75-plus"})
CHILD_BANDS = frozenset({"under-12", "13-18"})
TARGET_AGE_BANDS: dict[str, frozenset[str]] = {
    "children": CHILD_BANDS,
    "youth": frozenset({"13-18", "19-29", "30-39"}),
    "older-people": frozenset({"65-74", "75-plus"}),
    "futoko": CHILD_BANDS,
    "young-carers": frozenset({"under-12", "13-18", "19-29"}),
    "parents": frozenset({"19-29", "30-39", "40-64"}),
    "single-parents": frozenset({"19-29", "30-39", "40-64"}),
}
AUTOMATIC_AGE_TARGETS = frozenset({"children", "youth", "older-people"})
# Targets naming the people who come *with* someone (a parent, a carer): with a profile about
# two people, a listing for one of them that also names these welcomes both.
COMPANION_TARGETS = frozenset({"parents", "family-carers", "single-parents"})
# Years each age band covers (inclusive), to compare with a listing's 対象年齢.
AGE_BAND_YEARS: dict[str, tuple[int, int]] = {
    "under-12": (0, 12),
    "13-18": (13, 18),
    "19-29": (19, 29),
    "30-39": (30, 39),
    "40-64": (40, 64),
    "65-74": (65, 74),
    "75-plus": (75, AGE_LIMIT),
}
ANYONE = "anyone"
# What each "want" means in categories: the bridge between a person's words and listings.
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
    "learning": frozenset({"study-support", "free-school"}),
    "consultation": frozenset({"consultation", "peer-group"}),
    "food": frozenset({"kodomo-shokudo", "food-support", "daily-life-support"}),
    "outing": frozenset({"hobby-sports", "play-park", "kayoinoba", "salon", "community-cafe"}),
}

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The slugs a profile may use (from the database, or built in memory for benchmarks)."""

    age_bands: dict[str, str]
    targets: dict[str, str]
    wants: dict[str, str]
    categories: dict[str, str]
    conditions: dict[str, str]
    languages: dict[str, str]
    areas: dict[str, str]
    area_points: dict[str, tuple[float, float]] = field(default_factory=dict)  # centroids

    def centre_name(self, area: str) -> str:
        """How reasons and the form name an area's centre as a distance origin."""
        return _("%(area)sの中心") % {"area": self.areas.get(area, area)}


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A weekly window the person can attend: weekday 0=Mon, minutes from midnight."""

    weekday: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lng: float


@dataclass(frozen=True, slots=True)
class NeedsProfile:
    """What a person looks for, in non-identifying terms (see POST /api/v1/match)."""

    age_band: str = ""
    targets: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()
    area: str = ""
    near: Point | None = None
    max_km: float | None = None
    online_ok: bool = False
    times: tuple[TimeWindow, ...] = ()
    languages: tuple[str, ...] = ()
    keywords: str = ""
    limit: int = DEFAULT_LIMIT

    @property
    def groups(self) -> frozenset[str]:
        """The person's target groups: the chosen ones plus those implied by the age band."""
        implied = {
            target for target in AUTOMATIC_AGE_TARGETS if self.age_band in TARGET_AGE_BANDS[target]
        }
        return frozenset({*self.targets, *implied})

    @property
    def others(self) -> frozenset[str]:
        """Chosen targets naming someone of another age than the band (30代 + 子ども → 子ども).

        Coordinators search for a person *and* the one they come for; such a profile is about
        two people, and a listing for either of them may be suggested (never refused).
        """
        if not self.age_band:
            return frozenset()
        return frozenset(
            target
            for target in self.targets
            if target in TARGET_AGE_BANDS and self.age_band not in TARGET_AGE_BANDS[target]
        )

    @property
    def companions(self) -> frozenset[str]:
        """With a two-person profile: the targets that name the one who comes along."""
        others = self.others
        return (self.groups - others) | (COMPANION_TARGETS - others) if others else frozenset()

    @property
    def age_years(self) -> tuple[tuple[int, int], ...]:
        """The ages (inclusive year ranges) of the people the profile is about; () = any age."""
        if not self.age_band:
            return ()
        bands = {self.age_band}.union(*(TARGET_AGE_BANDS[target] for target in self.others))
        return tuple(sorted(AGE_BAND_YEARS[band] for band in bands if band in AGE_BAND_YEARS))


@dataclass
class ProfileErrors(Exception):
    """Per-field Japanese messages (the API answers them as 422 {"errors": {...}})."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def parse_profile(data: Mapping[str, Any], vocabulary: Vocabulary) -> NeedsProfile:
    """Validate raw input (decoded JSON or form values) into a profile, or raise ProfileErrors.

    Every field is checked and every problem reported at once, so a form can show them all.
    Messages never repeat what was typed (the keyword could be personal information); they
    are in the visitor's language (the form's and the API's 422 answers).
    """
    errors = ProfileErrors()
    if not isinstance(data, Mapping):
        errors.add("__all__", _("JSON のオブジェクトで送ってください。"))
        raise errors
    unknown = sorted(set(data) - set(NeedsProfile.__dataclass_fields__))
    if unknown:
        errors.add(
            "__all__", _("使えない項目があります: %(names)s") % {"names": ", ".join(unknown)[:200]}
        )

    age_band = _choice(data, "age_band", vocabulary.age_bands, gettext_lazy("年代"), errors)
    lists = {
        name: _slugs(data, name, choices, label, errors)
        for name, choices, label in (
            ("targets", vocabulary.targets, gettext_lazy("対象")),
            ("wants", vocabulary.wants, gettext_lazy("求めていること")),
            ("interests", vocabulary.categories, gettext_lazy("関心")),
            ("required", vocabulary.conditions, gettext_lazy("必ず必要な条件")),
            ("preferred", vocabulary.conditions, gettext_lazy("できれば欲しい条件")),
            ("languages", vocabulary.languages, gettext_lazy("言語")),
        )
    }
    area = _choice(data, "area", vocabulary.areas, gettext_lazy("地域"), errors)
    near = _point(data.get("near"), errors)
    max_km = _max_km(data.get("max_km"), errors)
    online_ok = _boolean(data.get("online_ok", False), "online_ok", errors)
    times = _times(data.get("times"), errors)
    keywords = _keywords(data.get("keywords"), errors)
    limit = _limit(data.get("limit"), errors)

    _check_combinations(lists, area, near, max_km, online_ok, vocabulary, errors)
    if errors.errors:
        raise errors
    return NeedsProfile(
        age_band=age_band,
        area=area,
        near=near,
        max_km=max_km,
        online_ok=online_ok,
        times=times,
        keywords=keywords,
        limit=limit,
        **lists,
    )


# --- field parsers ---------------------------------------------------------------------


def _choice(
    data: Mapping[str, Any],
    name: str,
    choices: Mapping[str, str],
    label: StrOrPromise,
    errors: ProfileErrors,
) -> str:
    value = data.get(name)
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or value not in choices:
        errors.add(
            name, _("%(label)sの選択肢にない値です。一覧から選んでください。") % {"label": label}
        )
        return ""
    return value


def _slugs(
    data: Mapping[str, Any],
    name: str,
    choices: Mapping[str, str],
    label: StrOrPromise,
    errors: ProfileErrors,
) -> tuple[str, ...]:
    value = data.get(name)
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors.add(name, _("%(label)sは選択肢の一覧（配列）で送ってください。") % {"label": label})
        return ()
    unknown = [v for v in value if v not in choices]
    if unknown:
        errors.add(
            name,
            _("%(label)sに選択肢にない値があります（%(count)s件）。")
            % {"label": label, "count": len(unknown)},
        )
        return ()
    return tuple(dict.fromkeys(value))


def finite_number(value: Any) -> float | None:
    """A finite number from JSON or form text, else None.

    float() accepts "nan", "inf" and "1e309" and overflows on huge ints; none is a number here.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def rounded_point(lat: Any, lng: Any, decimals: int = POINT_DECIMALS) -> Point | None:
    """A valid latitude/longitude rounded to `decimals` (POINT_DECIMALS: ~1 km), else None.

    The one rounding rule for a browser's position, whether it came from the API or a form;
    callers choose only how coarse (search: ~100 m, matching: ~1 km).
    """
    lat, lng = finite_number(lat), finite_number(lng)
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return Point(round(lat, decimals), round(lng, decimals))


def _point(value: Any, errors: ProfileErrors) -> Point | None:
    if value in (None, "", {}):
        return None
    if not isinstance(value, Mapping):
        errors.add("near", _('位置は {"lat": 緯度, "lng": 経度} の形で送ってください。'))
        return None
    point = rounded_point(value.get("lat"), value.get("lng"))
    if point is None:
        errors.add("near", _("緯度・経度の値が正しくありません。"))
    return point


def _max_km(value: Any, errors: ProfileErrors) -> float | None:
    if value in (None, ""):
        return None
    number = finite_number(value)
    if number is None or not (0 < number <= MAX_KM):
        errors.add(
            "max_km",
            _("距離は 0 より大きく %(max)skm 以下の数で指定してください。")
            % {"max": f"{MAX_KM:g}"},
        )
        return None
    return number


def _boolean(value: Any, name: str, errors: ProfileErrors) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("1", "true", "on", 1):
        return True
    if value in ("0", "false", "", 0, None):
        return False
    errors.add(name, _("はい・いいえ（true / false）で指定してください。"))
    return False


def _minutes(text: Any) -> int | None:
    if not isinstance(text, str):
        return None
    match = _TIME.match(text)
    if not match:
        return None
    return 24 * 60 if text == "24:00" else int(match.group(1)) * 60 + int(match.group(2))


def _times(value: Any, errors: ProfileErrors) -> tuple[TimeWindow, ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, list | tuple):
        errors.add("times", _("曜日・時間は一覧（配列）で送ってください。"))
        return ()
    windows: list[TimeWindow] = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            errors.add(
                "times",
                _("%(index)s件目: 曜日と時間（weekday, from, to）を指定してください。")
                % {"index": index},
            )
            continue
        weekday = item.get("weekday")
        start, end = _minutes(item.get("from")), _minutes(item.get("to"))
        if isinstance(weekday, str) and weekday.isdigit():
            weekday = int(weekday)
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
            errors.add(
                "times",
                _("%(index)s件目: 曜日は 0（月曜）〜6（日曜）で指定してください。")
                % {"index": index},
            )
        elif start is None or end is None:
            errors.add(
                "times",
                _("%(index)s件目: 時刻は「15:00」のように HH:MM で指定してください。")
                % {"index": index},
            )
        elif end <= start:
            errors.add(
                "times",
                _("%(index)s件目（%(weekday)s）: 終わりの時刻は始まりより後にしてください。")
                % {"index": index, "weekday": WEEKDAY_LABELS[weekday]},
            )
        else:
            windows.append(TimeWindow(weekday, start, end))
    return tuple(dict.fromkeys(windows))


def _keywords(value: Any, errors: ProfileErrors) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        errors.add("keywords", _("キーワードは文字で入力してください。"))
        return ""
    text = value.strip()
    if len(text) > KEYWORDS_MAX_LENGTH:
        errors.add(
            "keywords",
            _("キーワードは%(max)s文字以内にしてください。") % {"max": KEYWORDS_MAX_LENGTH},
        )
        return ""
    try:
        validate_no_personal_information(text)
    except ValidationError as error:
        for message in error.messages:
            errors.add("keywords", message)
        return ""
    return text


def _limit(value: Any, errors: ProfileErrors) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    number = finite_number(value)
    if number is None or number != int(number) or not 1 <= number <= MAX_LIMIT:
        errors.add("limit", _("件数は 1〜%(max)s の整数で指定してください。") % {"max": MAX_LIMIT})
        return DEFAULT_LIMIT
    return int(number)


# --- combinations ----------------------------------------------------------------------

_EXCLUSIVE_CONDITIONS = (("reservation-required", "no-reservation"), ("free", "low-cost"))


def _check_combinations(
    lists: Mapping[str, tuple[str, ...]],
    area: str,
    near: Point | None,
    max_km: float | None,
    online_ok: bool,
    vocabulary: Vocabulary,
    errors: ProfileErrors,
) -> None:
    """Combinations no listing could satisfy are mistakes worth naming, not empty results.

    An age band and a target of another age are not one: they describe two people (see
    NeedsProfile.others), so they are matched, never refused.
    """
    required = set(lists["required"])
    for first, second in _EXCLUSIVE_CONDITIONS:
        if {first, second} <= required:
            errors.add(
                "required",
                _("「%(first)s」と「%(second)s」は両方を必須にできません。")
                % {"first": vocabulary.conditions[first], "second": vocabulary.conditions[second]},
            )
    if "online" in required and not online_ok:
        errors.add(
            "online_ok",
            _("「オンライン参加可」を必須にするときは、オンラインでもよいを選んでください。"),
        )
    both = required & set(lists["preferred"])
    if both:
        errors.add("preferred", _("同じ条件を「必ず」と「できれば」の両方に選べません。"))
    if max_km is not None and near is None and not area:
        errors.add(
            "max_km",
            _(
                "距離で絞るときは、出発点（小学校区、地名・施設名、または「近くをさがす」）も"
                "選んでください。"
            ),
        )
