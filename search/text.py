"""Japanese text for search: folding, character bigrams, Sudachi normal forms, highlights.

Folding makes 全角/半角, upper/lower case and ひらがな/カタカナ meet (NFKC, lower case, katakana →
hiragana). Bigrams let a 2-character word match inside a longer one (食堂 in こども食堂), which a
word tokenizer cannot. Sudachi's normalised forms make spelling variants meet (子ども / こども /
子供 → 子供, ひきこもり / 引きこもり → 引き籠もり). Pure functions; `fold` and the per-thread
Sudachi tokenizer come from `core.text`, shared with the partner finder and the PII guard.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from functools import cache

from sudachipy import Morpheme, Tokenizer

from core.text import fold, nfkc, tokenizer

# Longer text adds nothing to an index column's normal forms but costs tokenizing time.
SUDACHI_MAX_CHARS = 20000
# Runs of word characters (letters and digits of any script, incl. ー and 々).
WORD_RUN = re.compile(r"[^\W_]+")


def runs(text: str) -> list[str]:
    """The word-character runs of already folded text (punctuation and spaces split them)."""
    return WORD_RUN.findall(text)


def run_tokens(run: str) -> list[str]:
    """Bigrams of one run, then its last character alone.

    Every character thus starts some token, so a one-character query is a prefix query.
    """
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def bigram_text(text: str) -> str:
    """Space-separated tokens of folded text, ready for an FTS5 `ascii` tokenizer column."""
    return " ".join(token for run in runs(text) for token in run_tokens(run))


def sudachi_normal_forms(text: str) -> str:
    """The text with each word (split mode A) replaced by its normalised form, separators kept."""
    if not text.strip():
        return ""
    morphemes = tokenizer().tokenize(text[:SUDACHI_MAX_CHARS], Tokenizer.SplitMode.A)
    return "".join(m.normalized_form() for m in morphemes)


def reading(text: str) -> str:
    """The folded (hiragana) Sudachi reading of short text such as a name or a label.

    Indexed beside the name so that こどもしょくどう finds こども食堂 (a kana query cannot be
    turned back into kanji, but kanji can be read); "" when it equals the folded text.
    """
    if not text.strip():
        return ""
    morphemes = tokenizer().tokenize(nfkc(text)[:SUDACHI_MAX_CHARS], Tokenizer.SplitMode.C)
    result = fold("".join(_spoken(m) for m in morphemes))
    return "" if result == fold(text) else result


# Parts of speech read as written: Sudachi reads spaces and marks as キゴウ, 500 as ゴレイレイ.
_WRITTEN = {"補助記号", "空白"}


def _spoken(morpheme: Morpheme) -> str:
    pos = morpheme.part_of_speech()
    written = pos[0] in _WRITTEN or (pos[1] == "数詞" and morpheme.surface().isdigit())
    return morpheme.surface() if written else morpheme.reading_form()


def normalised(text: str) -> str:
    """Folded Sudachi normal forms of `text` (empty when they add nothing to the folded text)."""
    folded = fold(text)
    result = fold(sudachi_normal_forms(nfkc(text)))
    return "" if result == folded else result


def index_text(*parts: str) -> str:
    """Tokens for one index column: the folded text and, where different, its normal forms."""
    text = "\n".join(part for part in parts if part)
    return " ".join(filter(None, (bigram_text(fold(text)), bigram_text(normalised(text)))))


def _synonyms_by_folded_term() -> dict[str, tuple[str, ...]]:
    """The shared list (file + the 事務局's entries), kept fresh by search.synonyms."""
    from search.synonyms import folded_synonyms

    return folded_synonyms()


def query_terms(query: str) -> list[str]:
    """Whitespace-separated terms of a query (全角 spaces too), NFKC and lower-cased, unique.

    Kana are not folded yet: Sudachi needs the original script to read a word correctly.
    """
    text = nfkc(query).lower()
    return list(dict.fromkeys(term for term in text.split() if runs(term)))


def term_variants(term: str) -> list[str]:
    """Folded forms of a term, of its synonyms and of their Sudachi normal forms: any may match."""
    originals = [term, *_synonyms_by_folded_term().get(fold(term), ())]
    variants = [fold(word) for word in originals] + [normalised(word) for word in originals]
    return [v for v in dict.fromkeys(variants) if runs(v)]


def _run_phrases(variant: str) -> list[str]:
    """The FTS5 phrases of a folded variant, one per run: its bigrams, or a 1-character prefix."""
    return [
        f'"{run}" *' if len(run) == 1 else '"' + " ".join(run_tokens(run)[:-1]) + '"'
        for run in runs(variant)
    ]


def fts_phrase(variant: str) -> str:
    """An FTS5 expression matching a folded variant as a substring (runs must all occur)."""
    parts = _run_phrases(variant)
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def _implies(longer: str, shorter: str) -> bool:
    """Whether every text matching `longer`'s expression also matches `shorter`'s."""
    return all(any(part in run for run in runs(longer)) for part in runs(shorter))


def fts_clause(variants: list[str]) -> str:
    """One term's FTS5 expression: any of its variants.

    A variant containing another one (相談窓口 and 相談) adds no match, only a second bm25 count
    for the same words and another phrase to evaluate on every matched row, so it is left out.
    """
    alternatives = [fts_phrase(v) for v in _needed(variants)]
    return alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"


def _needed(variants: list[str]) -> list[str]:
    return [
        variant
        for variant in variants
        if not any(other != variant and _implies(variant, other) for other in variants)
    ]


def clause_phrases(variants: list[str]) -> list[str]:
    """The phrases of `fts_clause(variants)` in its order (FTS5's bm25 adds one score per phrase)."""
    return [phrase for variant in _needed(variants) for phrase in _run_phrases(variant)]


def fts_query(query: str) -> str:
    """The FTS5 MATCH expression of a query: AND across terms, OR across each term's variants."""
    return " AND ".join(fts_clause(term_variants(term)) for term in query_terms(query))


@cache
def _fold_char(char: str) -> str:
    """One character folded (1+ characters: NFKC and lower case never map one to nothing)."""
    return fold(char)


def _folded_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """Folded text (character by character) and, per folded character, its original's index.

    Highlighting every hit's description was a third of a query's time at 10k listings when
    each character went through NFKC on its own; folded characters are cached, and when no
    character grows (the usual case) the offsets are the identity.
    """
    pieces = [_fold_char(char) for char in text]
    folded = "".join(pieces)
    if len(folded) == len(text):
        return folded, range(len(text))
    offsets = [index for index, piece in enumerate(pieces) for _ in piece]
    return folded, offsets


def highlight(text: str, needles: Iterable[str], width: int | None = None) -> str:
    """HTML-escaped text with each needle (folded) in <mark>; cut to `width` around the first."""
    folded, offsets = _folded_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for needle in {n for n in needles if n}:
        for match in re.finditer(re.escape(needle), folded):
            spans.append((offsets[match.start()], offsets[match.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    lo, hi = 0, len(text)
    if width is not None and len(text) > width:
        lo = max(0, (merged[0][0] - width // 4) if merged else 0)
        hi = min(len(text), lo + width)
    pieces = ["…" if lo > 0 else ""]
    cursor = lo
    for start, end in merged:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:hi]))
    pieces.append("…" if hi < len(text) else "")
    return "".join(pieces)


def word_suffixes(*texts: str, max_length: int = 24) -> str:
    """Every suffix (up to `max_length` characters) of every word run, space-separated.

    Wagtail's database search backend matches whole tokens or token prefixes only; indexing the
    suffixes lets its prefix search find a word anywhere inside a Japanese run (食堂 → こども食堂).
    """
    tokens: list[str] = []
    for text in texts:
        for run in runs(nfkc(text or "").lower()):
            tokens.extend(run[i : i + max_length] for i in range(len(run)))
    return " ".join(dict.fromkeys(tokens))
