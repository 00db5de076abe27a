"""Query understanding: the words of a search that name a day, a time, a date or a field.

Residents type 「土曜 夜 無料」, not filter parameters. This module is the one place that reads
such words, for the /search/ page, /api/v1/resources and both engines (which receive the
understood SearchQuery, so they answer the same question):

- weekday words (土曜, 土日, 週末, 平日 …), times of day (朝, 昼, 午後, 夕方, 夜 …) and date words
  (今日, 明日, 今週, 今週末, 来週, 今月 …) become **filters** (`weekdays`, `times_of_day`,
  date_from/date_to) and leave the text: listings rarely write them, their schedule says them;
- vocabulary labels (kinds, categories, targets, conditions, from the VocabularyTerm rows, their
  parts, their synonyms and their readings) and cost words stay **text**: every document carries
  its labels as searchable text (search/documents.py), so the word matches the listing's own
  words *or* its field, and a field match is a strong boost (the labels column weighs like the
  summary). 相談 thus keeps finding listings that say 相談 without being filed under it.
  Cost words that are noise as text (ただ → ただいま) are replaced by 無料.

A term may chain such words with particles (土曜の夜, 平日・午後); a term is only read when every
piece of it is understood. `literal` words are left as typed (the page's undo links).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from core.text import fold, nfkc
from directory.listings.schedules import JST, WEEKDAY_LABELS
from directory.models import Scheme, VocabularyTerm
from search.engines.base import SearchQuery
from search.labels import day_label
from search.labels import weekday_label as shown_weekday
from search.text import reading

Role = Literal["day", "time", "date", "vocabulary", "cost"]
VOCABULARY_SCHEMES = (Scheme.KIND, Scheme.CATEGORY, Scheme.TARGET, Scheme.CONDITION)
# The document field each scheme's slugs are filtered on (FILTERS in search/forms.py).
SCHEME_PARAMS = {
    Scheme.KIND: "kind",
    Scheme.CATEGORY: "category",
    Scheme.TARGET: "target",
    Scheme.CONDITION: "condition",
}

# Times of day as [start, end) hours of the day (past 24 = after midnight). A session is in a
# time of day when it overlaps it; sessions without a start time are in none. The label is
# what the page says (the words read as each are TIME_WORDS).
TIMES_OF_DAY: dict[str, tuple[Promise, float, float]] = {
    "morning": (pgettext_lazy("time of day", "朝"), 5, 11),  # 朝10時から is still 朝
    "forenoon": (pgettext_lazy("time of day", "午前"), 5, 12),
    "daytime": (pgettext_lazy("time of day", "日中"), 9, 17),
    "noon": (pgettext_lazy("time of day", "昼"), 11, 14),
    "afternoon": (pgettext_lazy("time of day", "午後"), 12, 18),
    "evening": (pgettext_lazy("time of day", "夕方"), 16, 19),
    "night": (pgettext_lazy("time of day", "夜"), 18, 29),
    "late-night": (pgettext_lazy("time of day", "深夜"), 22, 29),
}
TIME_WORDS = {
    "朝": "morning",
    "あさ": "morning",
    "早朝": "morning",
    "午前": "forenoon",
    "午前中": "forenoon",
    "ごぜん": "forenoon",
    "日中": "daytime",
    "昼": "noon",
    "お昼": "noon",
    "昼間": "daytime",
    "ひる": "noon",
    "おひる": "noon",
    "ひるま": "daytime",
    "午後": "afternoon",
    "ごご": "afternoon",
    "夕方": "evening",
    "ゆうがた": "evening",
    "夕": "evening",
    "夜": "night",
    "夜間": "night",
    "よる": "night",
    "晩": "night",
    "夕方以降": "night",
    "深夜": "late-night",
    "夜中": "late-night",
}
_WEEKDAY_READINGS = ("げつ", "か", "すい", "もく", "きん", "ど", "にち")
WEEKDAY_WORDS: dict[str, tuple[int, ...]] = {
    **{f"{label}曜日": (i,) for i, label in enumerate(WEEKDAY_LABELS)},
    **{f"{label}曜": (i,) for i, label in enumerate(WEEKDAY_LABELS)},
    **{f"{label}よう日": (i,) for i, label in enumerate(WEEKDAY_LABELS)},
    **{f"{reading}ようび": (i,) for i, reading in enumerate(_WEEKDAY_READINGS)},
    # The character alone, as timetables write it (月水金, 火・木); only a whole term or a
    # chain of understood words, so 月2回 and 木工 stay text (split_term).
    **{label: (i,) for i, label in enumerate(WEEKDAY_LABELS)},
    "土日": (5, 6),
    "土日祝": (5, 6),
    "週末": (5, 6),
    "しゅうまつ": (5, 6),
    "休日": (5, 6),
    "土日曜": (5, 6),
    "平日": (0, 1, 2, 3, 4),
    "へいじつ": (0, 1, 2, 3, 4),
}
DATE_WORDS = (
    "今日",
    "きょう",
    "本日",
    "明日",
    "あした",
    "あす",
    "明後日",
    "あさって",
    "今週",
    "今週末",
    "来週",
    "来週末",
    "今月",
    "来月",
)
# The date words as the page names them (the canonical words of _date_range).
DATE_WORD_LABELS = {
    "今日": pgettext_lazy("date word", "今日"),
    "明日": pgettext_lazy("date word", "明日"),
    "明後日": pgettext_lazy("date word", "明後日"),
    "今週": pgettext_lazy("date word", "今週"),
    "今週末": pgettext_lazy("date word", "今週末"),
    "来週": pgettext_lazy("date word", "来週"),
    "来週末": pgettext_lazy("date word", "来週末"),
    "今月": pgettext_lazy("date word", "今月"),
    "来月": pgettext_lazy("date word", "来月"),
    "きょう": pgettext_lazy("date word", "きょう"),
    "本日": pgettext_lazy("date word", "本日"),
    "あした": pgettext_lazy("date word", "あした"),
    "あす": pgettext_lazy("date word", "あす"),
    "あさって": pgettext_lazy("date word", "あさって"),
}
# Whole words meaning "free of charge"; replaced by the condition's own word as text.
COST_WORDS = ("ただ", "たーだ", "無料", "0円", "無償", "費用なし", "お金がかからない", "ふりー")
FREE_WORD = "無料"
# Particles and marks that may join understood words inside one term (土曜の夜, 平日・午後).
JOINERS = ("の", "に", "や", "と", "で", "・", "、", ",", "/")
# A label part is named by a word that covers at least half of it (車いす → 車いす可).
MIN_PART_SHARE = 0.5
_LABEL_SPLIT = re.compile(r"[・、（）()／/]+")


@dataclass(frozen=True)
class VocabularyMatch:
    param: str  # kind | category | target | condition (the form's parameter)
    slug: str
    label: str
    label_en: str = ""

    @property
    def display_label(self) -> str:
        """The term's label in the visitor's language (VocabularyTerm.display_label's rule)."""
        return VocabularyTerm(label=self.label, label_en=self.label_en).display_label


@dataclass(frozen=True)
class Part:
    """One understood word: what it was read as, and how."""

    word: str  # as typed (NFKC, lower-cased)
    role: Role
    label: str  # what the page says: 土曜, 夜, 今日（12月2日）, 参加条件「無料」 (active language)
    terms: tuple[VocabularyMatch, ...] = ()


@dataclass
class Understanding:
    text: str  # the words still searched as text
    parts: list[Part] = field(default_factory=list)
    weekdays: set[int] = field(default_factory=set)
    times: set[str] = field(default_factory=set)
    date_from: date | None = None
    date_to: date | None = None

    @property
    def filters(self) -> dict[str, list[str]]:
        """Document-field filters from the schedule words (weekday × time when both are given)."""
        filters: dict[str, list[str]] = {}
        if self.weekdays:
            filters["weekdays"] = [str(day) for day in sorted(self.weekdays)]
        if self.times:
            filters["times_of_day"] = sorted(
                time_slot(day, slot) for slot in self.times for day in self.weekdays
            ) or sorted(self.times)
        return filters


def time_slot(weekday: int, slot: str) -> str:
    """The value for a time of day on one weekday (5-night = Saturday night)."""
    return f"{weekday}-{slot}"


def session_times_of_day(start: datetime, end: datetime | None) -> set[str]:
    """The times of day a session overlaps, alone and on its weekday (night, 5-night)."""
    local = start.astimezone(JST)
    begin = local.hour + local.minute / 60
    finish = begin + (((end - start).total_seconds() / 3600) if end and end > start else 1)
    slots = {slot for slot, (_, lo, hi) in TIMES_OF_DAY.items() if begin < hi and finish > lo}
    return slots | {time_slot(local.weekday(), slot) for slot in slots}


# -- vocabulary ---------------------------------------------------------------------------
def label_parts(label: str) -> list[str]:
    """The label and the pieces it lists (見守り・配食 → 見守り, 配食), 2+ characters."""
    pieces = [label, *_LABEL_SPLIT.split(label)]
    return [p for p in dict.fromkeys(piece.strip() for piece in pieces) if len(p) >= 2]


@lru_cache(maxsize=4)
def _vocabulary_index(
    rows: tuple[tuple[str, str, str, str], ...], synonyms_id: int
) -> tuple[dict[str, set[VocabularyMatch]], dict[str, str]]:
    """Folded word → terms it names (labels, parts, readings, synonyms); folded part → part."""
    from search.synonyms import load_synonyms

    synonyms = {fold(word): [fold(o) for o in others] for word, others in load_synonyms().items()}
    names: dict[str, set[VocabularyMatch]] = {}
    parts: dict[str, str] = {}
    for scheme, slug, label, label_en in rows:
        match = VocabularyMatch(SCHEME_PARAMS[Scheme(scheme)], slug, label, label_en)
        for part in label_parts(label):
            folded = fold(part)
            parts.setdefault(folded, part)
            for word in filter(None, (folded, reading(part), *synonyms.get(folded, ()))):
                names.setdefault(word, set()).add(match)
    return names, parts


def vocabulary_index() -> tuple[dict[str, set[VocabularyMatch]], dict[str, str]]:
    """The index for the current vocabulary (one small query; rebuilt when a label changes)."""
    from search.synonyms import load_synonyms

    rows = tuple(
        VocabularyTerm.objects.filter(scheme__in=VOCABULARY_SCHEMES)
        .order_by("scheme", "sort_order", "slug")
        .values_list("scheme", "slug", "label", "label_en")
    )
    return _vocabulary_index(rows, id(load_synonyms()))


def vocabulary_matches(word: str) -> tuple[VocabularyMatch, ...]:
    """The terms a word names: a label, a part of one (or most of it), a synonym or a reading."""
    names, parts = vocabulary_index()
    folded = fold(word)
    found = set(names.get(folded, ()))
    if not found and len(folded) >= 2:
        for part in parts:
            if folded in part and len(folded) >= MIN_PART_SHARE * len(part):
                found |= names.get(part, set())
    return tuple(sorted(found, key=lambda m: (m.param, m.slug)))


# -- reading a query ----------------------------------------------------------------------
def _date_range(word: str, today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    next_month_end = (month_end + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    ranges = {
        "今日": (today, today),
        "明日": (today + timedelta(days=1),) * 2,
        "明後日": (today + timedelta(days=2),) * 2,
        "今週": (today, monday + timedelta(days=6)),
        "今週末": (max(today, monday + timedelta(days=5)), monday + timedelta(days=6)),
        "来週": (monday + timedelta(days=7), monday + timedelta(days=13)),
        "来週末": (monday + timedelta(days=12), monday + timedelta(days=13)),
        "今月": (today, month_end),
        "来月": (month_end + timedelta(days=1), next_month_end),
    }
    aliases = {"きょう": "今日", "本日": "今日", "あした": "明日", "あす": "明日"}
    aliases["あさって"] = "明後日"
    return ranges[aliases.get(word, word)]


def _date_label(word: str, first: date, last: date) -> str:
    """今日（12月2日（水））/ Today (Wed 2 Dec): the word as the page names it, with its days."""
    days = (
        day_label(first)
        if first == last
        else _("%(first)s〜%(last)s") % {"first": day_label(first), "last": day_label(last)}
    )
    return _("%(word)s（%(days)s）") % {"word": str(DATE_WORD_LABELS[word]), "days": days}


def day_word(weekday: int) -> str:
    """土曜 / Sat, as the understood-query notice names a weekday."""
    return _("%(day)s曜") % {"day": shown_weekday(weekday)}


def _known(word: str) -> bool:
    folded = fold(word)
    return (
        folded in _FOLDED_SCHEDULE_WORDS
        or folded in _FOLDED_COST_WORDS
        or bool(vocabulary_matches(word))
    )


_FOLDED_SCHEDULE_WORDS = {fold(w) for w in (*WEEKDAY_WORDS, *TIME_WORDS, *DATE_WORDS)}
_FOLDED_COST_WORDS = {fold(w) for w in COST_WORDS}
_BY_FOLDED = {
    **{fold(w): ("day", w) for w in WEEKDAY_WORDS},
    **{fold(w): ("time", w) for w in TIME_WORDS},
    **{fold(w): ("date", w) for w in DATE_WORDS},
}


def split_term(term: str) -> list[str] | None:
    """The understood words of a term (joiners dropped), or None when a piece is not understood.

    Longest match first, so 今週末 is one word, not 今週 + 末.
    """
    if _known(term):
        return [term]
    words: list[str] = []
    position = 0
    while position < len(term):
        joiner = next((j for j in JOINERS if term.startswith(j, position)), None)
        if joiner and words:
            position += len(joiner)
            continue
        for end in range(len(term), position, -1):
            if end - position >= 1 and _known(term[position:end]):
                words.append(term[position:end])
                position = end
                break
        else:
            return None
    return words if len(words) > 1 else None


def understand(text: str, literal: Iterable[str] = (), today: date | None = None) -> Understanding:
    """Read a query's words; `literal` words stay text as typed."""
    today = today or datetime.now(JST).date()
    kept_literal = {nfkc(word).lower().strip() for word in literal}
    understanding = Understanding(text="")
    remaining: list[str] = []
    for term in dict.fromkeys(nfkc(text).lower().split()):
        words = None if term in kept_literal else split_term(term)
        if words is None:
            remaining.append(term)
            continue
        for word in words:
            if word in kept_literal:
                remaining.append(word)
            elif (kept := _read(word, understanding, today)) is not None:
                remaining.append(kept)
    understanding.text = " ".join(dict.fromkeys(remaining))
    return understanding


def _read(word: str, understanding: Understanding, today: date) -> str | None:
    """Record one understood word; returns what stays as text (None for a schedule word)."""
    folded = fold(word)
    role, canonical = _BY_FOLDED.get(folded, (None, word))
    if role == "day":
        days = WEEKDAY_WORDS[canonical]
        understanding.weekdays.update(days)
        separator = pgettext("list separator", "・")
        label = separator.join(day_word(d) for d in days) if len(days) < 5 else _("平日")
        understanding.parts.append(Part(word, "day", label))
        return None
    if role == "time":
        slot = TIME_WORDS[canonical]
        understanding.times.add(slot)
        understanding.parts.append(Part(word, "time", str(TIMES_OF_DAY[slot][0])))
        return None
    if role == "date":
        first, last = _date_range(canonical, today)
        if understanding.date_from is None or first > understanding.date_from:
            understanding.date_from = first
        if understanding.date_to is None or last < understanding.date_to:
            understanding.date_to = last
        understanding.parts.append(Part(word, "date", _date_label(canonical, first, last)))
        return None
    if folded in _FOLDED_COST_WORDS:
        word = FREE_WORD
    terms = vocabulary_matches(word)
    if terms:
        labels = pgettext("list separator", "・").join(
            dict.fromkeys(
                _("%(scheme)s「%(label)s」")
                % {"scheme": _(_SCHEME_LABELS[m.param]), "label": m.display_label}
                for m in terms
            )
        )
        role_name: Role = "cost" if word == FREE_WORD else "vocabulary"
        understanding.parts.append(Part(word, role_name, labels, terms))
    return word


_SCHEME_LABELS = {param: str(Scheme(scheme).label) for scheme, param in SCHEME_PARAMS.items()}


def understood_query(
    query: SearchQuery, literal: Iterable[str] = ()
) -> tuple[SearchQuery, Understanding]:
    """The query with its words understood: schedule words moved into filters.

    A filter the form already sets is narrowed (intersection), never widened; dates likewise.
    """
    understanding = understand(query.text, literal)
    filters = {name: list(values) for name, values in query.filters.items()}
    for name, values in understanding.filters.items():
        if name in filters:
            filters[name] = [v for v in filters[name] if v in values]
        else:
            filters[name] = values
    date_from, date_to = query.date_from, query.date_to
    if understanding.date_from:
        date_from = max(filter(None, (date_from, understanding.date_from)))
    if understanding.date_to:
        date_to = min(filter(None, (date_to, understanding.date_to)))
    sort = query.sort
    if sort == "relevance" and not understanding.text:
        sort = "upcoming" if understanding.date_from else "name"
    understood = replace(
        query,
        text=understanding.text,
        filters=filters,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        literal=tuple(literal),
    )
    return understood, understanding
