"""Japanese text normalisation shared by search, the partner finder and the personal-information guard.

Why one module: folding rules that drift apart make a word findable in one place and not in
another, and a Sudachi ``Tokenizer`` is not safe to share between threads (a second caller gets
``SudachiError: Tokenizer is already in use``), so every caller takes its tokenizer from here.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import cache

from sudachipy import Dictionary, Tokenizer

KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}
HIRAGANA_TO_KATAKANA = {code - 0x60: code for code in KATAKANA_TO_HIRAGANA}


def nfkc(text: str) -> str:
    """Unicode NFKC: 全角 letters and digits and 半角カナ in their ordinary width."""
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """NFKC, lower case, katakana → hiragana: the form text is compared in ('ＮＰＯ' = 'npo', カナ = かな)."""
    return nfkc(text).lower().translate(KATAKANA_TO_HIRAGANA)


def to_katakana(text: str) -> str:
    """ひらがな → 全角カタカナ (readings in open data); everything else, ー included, unchanged."""
    return text.translate(HIRAGANA_TO_KATAKANA)


@cache
def _dictionary() -> Dictionary:
    """The Sudachi core dictionary, loaded once per process (the slow part, ~0.1 s).

    A ``Dictionary`` may be shared by threads; only the tokenizers made from it may not.
    """
    return Dictionary(dict="core")


_local = threading.local()


def tokenizer() -> Tokenizer:
    """This thread's Sudachi tokenizer (split mode C unless a call passes another one)."""
    current: Tokenizer | None = getattr(_local, "tokenizer", None)
    if current is None:
        current = _dictionary().tokenizer(mode=Tokenizer.SplitMode.C)
        _local.tokenizer = current
    return current
