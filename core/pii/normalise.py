"""The guard's view of a text: NFKC, no invisible characters, folded separators, a position map.

Why a map: people (and copy-paste) split numbers with zero-width or format characters
(U+200B, U+00AD, U+2060, U+200F …) and write 全角 or kanji digits, so the detectors read a
cleaned text; but a finding must still point into the text the person typed, so every
cleaned character remembers the index it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.text import nfkc

# Every dash-like character reads as '-'; kanji digits as ASCII digits (for number patterns).
_DASHES = "−‐‑‒–—―－﹣⁃"
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, "-"))
# The 長音 ー is a dash between digits (〇九〇ー…) but a letter in words (アットマーク).
_LONG_VOWEL_TABLE = str.maketrans({"ー": "-"})
_KANJI_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# A run that is mostly digits, where the letters O/o (for 0) and I/l (for 1) are digits too.
_DIGITISH_RUN = re.compile(r"(?<![A-Za-z])[0-9OoIl][0-9OoIl\-\s./()_~・]{5,}[0-9OoIl](?![A-Za-z])")
_LOOKALIKE_DIGITS = str.maketrans("OoIl", "0011")
_MIN_REAL_DIGITS = 3


def _invisible(char: str) -> bool:
    """Format (Cf) and other zero-width characters carry no visible text."""
    return unicodedata.category(char) == "Cf" or char in "\u200b\u180e\ufeff"


@dataclass(frozen=True, slots=True)
class Normalised:
    """The cleaned text, its digit view (same length) and each character's original index."""

    text: str
    digits: str
    origin: tuple[int, ...]
    original_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the cleaned text as a span of the original text."""
        if start >= end or not self.origin:
            return (0, 0)
        return (self.origin[start], self.origin[end - 1] + 1)


def normalise(text: str) -> Normalised:
    """NFKC per character (dropping invisible ones), dashes as '-', with the position map.

    The text view keeps ー (a letter in words); the digit view reads it as '-' too.

    Combining marks (e.g. a separate ゛) are composed with the character before them, as a
    whole-text NFKC would do.
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if _invisible(char):
            continue
        for piece in nfkc(char):
            if unicodedata.combining(piece) and chars:
                composed = unicodedata.normalize("NFC", chars[-1] + piece)
                if len(composed) == 1:
                    chars[-1] = composed
                    continue
            chars.append(piece)
            origin.append(index)
    cleaned = "".join(chars).translate(_DASH_TABLE)
    return Normalised(cleaned, _digit_view(cleaned), tuple(origin), len(text))


def _digit_view(text: str) -> str:
    """Kanji digits as digits, and O/I/l as 0/1 inside digit runs (same length as `text`)."""
    digits = text.translate(_KANJI_DIGITS).translate(_LONG_VOWEL_TABLE)

    def lookalikes(match: re.Match[str]) -> str:
        run = match.group(0)
        if sum(char.isdigit() for char in run) < _MIN_REAL_DIGITS:
            return run
        return run.translate(_LOOKALIKE_DIGITS)

    return _DIGITISH_RUN.sub(lookalikes, digits)
