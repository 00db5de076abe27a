"""The one synonym list everybody calls: fixtures/synonyms.yaml merged with the 事務局's entries.

Both engines use `load_synonyms()`: the embedded engine expands each query term into its
equivalents (search/text.py, through `folded_synonyms()`), the Meilisearch engine sends the
same term → equivalents map as the index's `synonyms` setting. A group makes every word find
every other; a one-way rule lets its first words find the others only (a broader word finds
narrower ones, a misspelling the right spelling) — Meilisearch's one-way synonyms.

The file is read once per process. The admin entries (search.models.SynonymEntry) are read
with it and re-read when they change: at once in the process that saved them
(`synonyms_changed`, which also sends Meilisearch its new settings), and within
REVALIDATE_SECONDS in every other process, which compares a cheap stamp (count and last
update) instead of reading the table on every query.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, Max

from core.text import fold, nfkc

logger = logging.getLogger("tsunagari.search")

# How stale another process's copy of the admin entries may be (the saving process: none).
REVALIDATE_SECONDS = 2.0
MAX_WORD_LENGTH = 40
MAX_WORDS = 20
# Admin entries separate words by new lines or commas (、 , ，); ・ stays inside words (孤独・孤立).
WORD_SEPARATORS = re.compile(r"[\n\r、,，]+")
# A kana reading shorter than this is too ambiguous to stand for one word (いご: 囲碁 / 以後).
MIN_READING_LENGTH = 3


@dataclass(frozen=True)
class SynonymRule:
    """`words` find each other when `finds` is empty (a group); else `words` find `finds` only."""

    words: tuple[str, ...]
    finds: tuple[str, ...] = ()


def synonyms_path() -> Path:
    return Path(settings.FIXTURES_DIR) / "synonyms.yaml"


def _words(value: str | Iterable[str]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    return tuple(dict.fromkeys(str(word).strip() for word in items if str(word).strip()))


@cache
def file_rules() -> tuple[SynonymRule, ...]:
    """The maintained list: `groups` (equivalents) and `one_way` ({from, finds}) rules."""
    with synonyms_path().open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    rules = [SynonymRule(_words(group)) for group in data.get("groups") or []]
    rules += [
        SynonymRule(_words(rule["from"]), _words(rule["finds"]))
        for rule in data.get("one_way") or []
    ]
    return tuple(rules)


def split_words(text: str) -> list[str]:
    """The words of an admin entry, in the order written, blanks and repeats dropped."""
    return list(_words(WORD_SEPARATORS.split(nfkc(text or ""))))


def word_problems(words: list[str]) -> list[str]:
    """What is wrong with an entry's words, in Japanese (empty when it can be used)."""
    problems = []
    if len({fold(word) for word in words}) < 2:
        problems.append(
            "同じ意味の語を2つ以上書いてください（1行に1語、または「、」で区切ります）。"
        )
    if len(words) > MAX_WORDS:
        problems.append(f"1つの項目に書ける語は {MAX_WORDS} 語までです。項目を分けてください。")
    for word in words:
        if re.search(r"\s", word):
            problems.append(
                f"「{word}」に空白があります。検索では空白で語を区切るので、空白のない語にしてください。"
            )
        elif len(word) < 2:
            problems.append(
                f"「{word}」は1文字です。1文字の語はほかの多くの語に含まれるため使えません。"
            )
        elif len(word) > MAX_WORD_LENGTH:
            problems.append(f"「{word[:10]}…」は長すぎます（{MAX_WORD_LENGTH}文字まで）。")
    return problems


def admin_rules() -> list[SynonymRule]:
    """The 事務局's entries as rules (none while the table does not exist yet)."""
    from search.models import SynonymEntry

    try:
        entries = list(SynonymEntry.objects.order_by("pk"))
    except DatabaseError:
        return []
    rules = []
    for entry in entries:
        words = tuple(entry.word_list())
        if word_problems(list(words)):
            continue  # saved around the form's validation: never let it reach an engine
        rules.append(SynonymRule(words[:1], words[1:]) if entry.one_way else SynonymRule(words))
    return rules


def synonym_map(rules: Iterable[SynonymRule]) -> dict[str, list[str]]:
    """Each term → the terms a search for it also finds (itself excluded), in listed order.

    A term in several rules gets the union of what they give it.
    """
    result: dict[str, list[str]] = {}
    for rule in rules:
        for word in rule.words:
            found = rule.finds or rule.words
            known = result.setdefault(word, [])
            known.extend(other for other in found if other != word and other not in known)
    return {term: others for term, others in result.items() if others}


def reading_map(synonyms: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each listed word's kana reading → the word and what it finds (にんちしょう → 認知症 …).

    A resident who cannot write 認知症 types にんちしょう; the index holds the kanji, and kana
    cannot be turned back into kanji, but every word the list knows can be read (Sudachi).
    A reading that is itself listed keeps its own rule (しょうがい), one shared by words that do
    not find each other (行為 / 好意; 認知証 → 認知症 is related) or shorter than MIN_READING_LENGTH widens to nothing.
    """
    from search.text import reading

    words: dict[str, list[str]] = {}
    for term in synonyms:
        spoken = reading(term)
        if len(spoken) >= MIN_READING_LENGTH and spoken not in synonyms:
            words.setdefault(spoken, []).append(term)

    def related(one: str, other: str) -> bool:
        return one == other or other in synonyms[one] or one in synonyms[other]

    result: dict[str, list[str]] = {}
    for spoken, sources in words.items():
        if all(related(one, other) for one in sources for other in sources):
            found = [*sources, *(w for term in sources for w in synonyms[term])]
            result[spoken] = [word for word in dict.fromkeys(found) if fold(word) != spoken]
    return {spoken: found for spoken, found in result.items() if found}


@dataclass(frozen=True)
class _Loaded:
    stamp: object
    checked_at: float
    synonyms: dict[str, list[str]]
    folded: dict[str, tuple[str, ...]]


_loaded: _Loaded | None = None


def _admin_stamp() -> object:
    """Changes whenever an entry is added, edited or deleted."""
    from search.models import SynonymEntry

    try:
        row = SynonymEntry.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    except DatabaseError:
        return None
    return (row["count"], row["latest"])


def _build(stamp: object) -> _Loaded:
    synonyms = synonym_map([*file_rules(), *admin_rules()])
    synonyms |= reading_map(synonyms)
    folded: dict[str, list[str]] = {}
    for term, others in synonyms.items():
        known = folded.setdefault(fold(term), [])
        known.extend(other for other in others if other not in known)
    return _Loaded(stamp, time.monotonic(), synonyms, {key: tuple(v) for key, v in folded.items()})


def _current() -> _Loaded:
    global _loaded
    loaded = _loaded
    now = time.monotonic()
    if loaded is not None and now - loaded.checked_at < REVALIDATE_SECONDS:
        return loaded
    stamp = _admin_stamp()
    if loaded is None or stamp != loaded.stamp:
        loaded = _build(stamp)
    else:
        loaded = _Loaded(loaded.stamp, now, loaded.synonyms, loaded.folded)
    _loaded = loaded
    return loaded


def load_synonyms() -> dict[str, list[str]]:
    """Each term → its equivalents (the Meilisearch `synonyms` setting); do not modify it."""
    return _current().synonyms


def folded_synonyms() -> dict[str, tuple[str, ...]]:
    """The same map keyed by folded term (how the embedded engine looks query terms up)."""
    return _current().folded


def refresh() -> None:
    """Forget this process's copy: the next query reads the file rules and entries again."""
    global _loaded
    _loaded = None


def synonyms_changed() -> None:
    """An entry was saved or deleted: use it here at once and send Meilisearch its settings.

    A Meilisearch failure is logged (no words, only the error) and never reaches the 事務局's
    request; `manage.py search_reindex` or the next save sends the settings again.
    """
    refresh()
    if settings.SEARCH_BACKEND != "meilisearch":
        return
    from search.engines.base import SearchUnavailable
    from search.engines.meilisearch import MeilisearchEngine

    try:
        MeilisearchEngine.from_settings().configure()
    except SearchUnavailable as error:
        logger.warning("Meilisearch synonyms not updated (%s); search_reindex sends them", error)


def on_entry_changed(sender: object, **kwargs: object) -> None:
    """post_save / post_delete of a SynonymEntry (connected in SearchConfig.ready)."""
    transaction.on_commit(synonyms_changed)
