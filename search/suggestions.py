"""What the /search/ page offers when a search finds nothing or little.

Close vocabulary terms and spellings the search knows (label parts, the synonym list), the
categories related to the words, and always the ways to ask a person (一緒にさがす, 相談窓口).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from core.text import fold
from search.text import query_terms
from search.understanding import vocabulary_index, vocabulary_matches

# difflib ratio a known word needs to be offered for a typed one (0–1).
CLOSE_ENOUGH = 0.5
MAX_SUGGESTIONS = 3
MAX_RELATED = 5


@dataclass(frozen=True)
class Suggestion:
    word: str  # the typed word it replaces
    spelling: str  # the known word offered


def known_spellings() -> dict[str, str]:
    """Folded → as written: every vocabulary label part and every word of the synonym list."""
    from search.synonyms import load_synonyms

    _, parts = vocabulary_index()
    spellings = dict(parts)
    for word, others in load_synonyms().items():
        for spelling in (word, *others):
            spellings.setdefault(fold(spelling), spelling)
    return spellings


def spelling_suggestions(text: str) -> list[Suggestion]:
    """For each typed word that is not itself known, the closest known words."""
    spellings = known_spellings()
    found: list[Suggestion] = []
    for term in query_terms(text):
        folded = fold(term)
        if folded in spellings:
            continue
        for close in difflib.get_close_matches(folded, spellings, n=2, cutoff=CLOSE_ENOUGH):
            found.append(Suggestion(term, spellings[close]))
    return list(dict.fromkeys(found))[:MAX_SUGGESTIONS]


def related_categories(text: str, facet_counts: dict[str, int]) -> list[str]:
    """Category slugs: those the words name or nearly name, then the partial results' ones."""
    slugs: list[str] = []
    for term in query_terms(text):
        slugs += [m.slug for m in vocabulary_matches(term) if m.param == "category"]
    for suggestion in spelling_suggestions(text):
        slugs += [m.slug for m in vocabulary_matches(suggestion.spelling) if m.param == "category"]
    slugs += list(facet_counts)
    return list(dict.fromkeys(slugs))[:MAX_RELATED]
