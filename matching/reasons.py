"""The reasons that come with every suggestion, to be read aloud by a coordinator.

Only wording: which listings are suggested is constraints.py and scoring.py; this module says
why in plain sentences, most decisive first, in the active language (Japanese unless the
visitor chose English).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from directory.listings.ages import age_range_label
from matching.candidates import Candidate, Slot
from matching.constraints import FAMILY_OK, Context, fitting_slot
from matching.profile import (
    ADULT_BANDS,
    CHILD_BANDS,
    TARGET_AGE_BANDS,
    WANT_CATEGORIES,
    WEEKDAY_LABELS,
    NeedsProfile,
    TimeWindow,
    Vocabulary,
)

# Conditions always worth telling when a listing has them, even if not asked for.
ALWAYS_TOLD = ("anonymous-ok", "no-reservation", "free")
CONDITION_PHRASES: dict[str, StrOrPromise] = {
    "anonymous-ok": _("匿名で参加できます"),
    "no-reservation": _("予約不要"),
    "reservation-required": _("予約が必要です"),
    "free": _("無料"),
    "low-cost": _("参加費は500円以下です"),
    "solo-ok": _("一人でも参加できます"),
    "small-group": _("少人数の集まりです"),
    "drop-in": _("出入り自由です"),
    "visit-only-ok": _("見学だけでも大丈夫です"),
    "family-ok": _("親子で参加できます"),
    "wheelchair": _("車いすで利用できます"),
    "online": _("オンラインで参加できます"),
    "phone-sns": _("電話やSNSでも相談できます"),
    "evening-weekend": _("夜間や休日も利用できます"),
    "meal": _("食事があります"),
    "takeout": _("テイクアウト・配食があります"),
    "multilingual": _("多言語・やさしい日本語に対応しています"),
    "open-area": _("地域外からも参加できます"),
}


def shown_slot(candidate: Candidate, profile: NeedsProfile) -> Slot | None:
    """The session to tell about: the first that fits the person's times, else the next one."""
    slot = fitting_slot(candidate, profile) if profile.times else None
    return slot or (candidate.slots[0] if candidate.slots else None)


# Times of day as the /match/ form offers them (matching.forms.PERIODS): 朝 before 9時.
PERIOD_STARTS = (
    (18 * 60, _("夜")),
    (15 * 60, _("夕方")),
    (12 * 60, _("午後")),
    (9 * 60, _("午前")),
)


def time_of_day(minutes: int) -> str:
    return str(next((name for start, name in PERIOD_STARTS if minutes >= start), _("朝")))


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def describe_slot(slot: Slot, windows: Sequence[TimeWindow] = ()) -> str:
    """「水曜の夕方 15:30〜17:30に開催（次回 12月10日）」, from the same facts as the constraint.

    The time of day is named only when the session begins in it *and*, with chosen windows,
    the part that fits a window begins in it too: a 10:00〜12:30 session found for 午後 is
    「土曜 10:00〜12:30」, never 「土曜の午前」.
    """
    weekday = str(WEEKDAY_LABELS[slot.weekday])
    upcoming = gettext("次回 %(date)s") % {"date": date_format(slot.next_day, gettext("n月j日"))}
    if slot.all_day:
        return gettext("%(weekday)sに終日開催（%(upcoming)s）") % {
            "weekday": weekday,
            "upcoming": upcoming,
        }
    period = time_of_day(slot.start)
    fits = [
        max(slot.start, window.start)
        for window in windows
        if window.weekday == slot.weekday and window.start < slot.end and slot.start < window.end
    ]
    named = not windows or any(time_of_day(start) == period for start in fits)
    when = (
        gettext("%(weekday)sの%(period)s") % {"weekday": weekday, "period": period}
        if named
        else weekday
    )
    return gettext("%(when)s %(start)s〜%(end)sに開催（%(upcoming)s）") % {
        "when": when,
        "start": clock(slot.start),
        "end": clock(slot.end),
        "upcoming": upcoming,
    }


def reasons(
    candidate: Candidate, context: Context, vocabulary: Vocabulary, distance: float | None
) -> list[str]:
    """Sentences a coordinator can read aloud, most decisive first."""
    profile = context.profile
    told: list[str] = []
    slot = shown_slot(candidate, profile)
    if slot is not None:
        told.append(describe_slot(slot, profile.times))
    elif not candidate.scheduled:
        told.append(gettext("日時は団体にお問い合わせください"))
    if candidate.online_only:
        told.append(gettext("オンラインで参加できます"))
    elif candidate.confidential:
        told.append(
            gettext("%(area)sで開催（場所は申し込み後に案内）") % {"area": candidate.area_name}
        )
    elif distance is not None and context.origin_name:
        told.append(
            gettext("%(origin)sから約%(km).1fkm") % {"origin": context.origin_name, "km": distance}
        )
    interests = [s for s in profile.interests if s in candidate.categories]
    if interests:
        told.append(
            gettext("関心のある「%(labels)s」の活動です")
            % {"labels": _labels(interests, vocabulary.categories)}
        )
    wants = [w for w in profile.wants if WANT_CATEGORIES.get(w, frozenset()) & candidate.categories]
    if wants:
        told.append(
            gettext("「%(labels)s」に合います") % {"labels": _labels(wants, vocabulary.wants)}
        )
    groups = sorted(candidate.targets & context.groups, key=list(vocabulary.targets).index)
    if groups:
        told.append(gettext("対象: %(labels)s") % {"labels": _labels(groups, vocabulary.targets)})
    ages = age_range_label(candidate.age_min, candidate.age_max)
    if ages:
        told.append(gettext("対象年齢 %(ages)s") % {"ages": ages})
    together = [FAMILY_OK] if context.others else []  # a two-person profile: can both come?
    asked = [*profile.required, *profile.preferred, *together, *ALWAYS_TOLD]
    for condition in dict.fromkeys(asked):
        if condition in candidate.conditions and not (
            condition == "online" and candidate.online_only
        ):
            told.append(
                str(CONDITION_PHRASES.get(condition, vocabulary.conditions.get(condition, "")))
            )
    languages = [code for code in profile.languages if code in candidate.languages]
    if languages:
        told.append(
            gettext("%(labels)sで対応できます")
            % {"labels": _labels(languages, vocabulary.languages)}
        )
    if candidate.last_verified and (context.today - candidate.last_verified).days <= 366:
        told.append(
            gettext("%(year)s年%(month)s月に情報を確認済み")
            % {"year": candidate.last_verified.year, "month": candidate.last_verified.month}
        )
    return [reason for reason in told if reason]


def _labels(slugs: list[str], labels: Mapping[str, str]) -> str:
    return gettext("・").join(str(labels.get(slug, slug)) for slug in slugs)


def how_chosen(profile: NeedsProfile, vocabulary: Vocabulary) -> str:
    """When the age band and a chosen target point to two people, how results were chosen.

    Shown above the results and sent as `note` by the API, so nobody reads a parent's
    results as a child's (or the reverse).
    """
    others = sorted(profile.others, key=list(vocabulary.targets).index)
    if not others:
        return ""
    band = vocabulary.age_bands.get(profile.age_band, profile.age_band)
    names = _labels(others, vocabulary.targets)
    other_bands = set().union(*(TARGET_AGE_BANDS[target] for target in others))
    if profile.age_band in ADULT_BANDS and other_bands <= CHILD_BANDS:
        chosen = gettext("保護者と子どもが一緒に参加できる場所と、%(names)s向けの場所") % {
            "names": names
        }
    elif profile.age_band in CHILD_BANDS and other_bands <= ADULT_BANDS:
        chosen = gettext("子どもと%(names)sが一緒に参加できる場所と、子ども向けの場所") % {
            "names": names
        }
    else:
        chosen = gettext("%(band)sの方か%(names)sの方が参加できる場所") % {
            "band": band,
            "names": names,
        }
    return gettext(
        "年代「%(band)s」と対象「%(names)s」は別の方のことと考えて、%(chosen)sを選びました"
        "（一緒に参加できる場所を上に表示します）。"
    ) % {"band": band, "names": names, "chosen": chosen}
