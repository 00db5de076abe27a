"""How kana and romaji read: a word seen as katakana through Sudachi, and romaji as kana.

Why apart from names.py: Sudachi knows 人名 entries mostly in kanji and katakana, so a
hiragana word (たろう) or a romaji word (taro, through jaconv's converter) is read here as
katakana, with the checks that keep ordinary words (さくら, ほど, まことに) from reading as names.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jaconv
from sudachipy import Morpheme, Tokenizer

from core.text import tokenizer

NAME_POS = ("名詞", "固有名詞", "人名")
HONORIFIC = r"(?:さん|様|さま|君|くん|ちゃん|ちゃま|氏|殿|たん|どの)"
_MAX_LOOSE = 4
CONTEXT_NOUNS = frozenset(
    [
        "こと",
        "ため",
        "ほう",
        "とき",
        "ところ",
        "もの",
        "ぶん",
        "よう",
        "せい",
        "おかげ",
        "まわり",
        "みんな",
        "かた",
        "ひと",
        "こ",
        "ともだち",
        "せわ",
        "めんどう",
        "ようす",
        "きもち",
        "へや",
        "がっこう",
        "しごと",
    ]
)
# Frequent surnames whose katakana Sudachi reads as another word (スズキ = 鱸, ハヤシ = 林).
_COMMON_SURNAME_READINGS = frozenset(
    [
        "スズキ",
        "ハヤシ",
        "ヤマザキ",
        "アベ",
        "ナカジマ",
        "ゴトウ",
        "コンドウ",
        "エンドウ",
        "ニシムラ",
        "ミウラ",
    ]
)
_FUNCTION_POS = frozenset({"助詞", "助動詞", "接尾辞", "感動詞"})


@lru_cache(maxsize=4096)
def kana_is_full_name(kana: str) -> bool:
    """Kana that reads as a 姓 then a given name: やまだたろう, いとうけんた, さとうゆみ."""
    if len(kana) < 4 or not re.fullmatch(r"[ぁ-ゖァ-ヺー]+", kana):
        return False
    # Katakana full names Sudachi splits itself (ヤマダタロウ); cutting katakana anywhere
    # finds names inside loanwords (フリーダ+イヤル).
    if not re.fullmatch(r"[ぁ-ゖ]+", kana) or _reads_as_words(kana):
        return False
    katakana = jaconv.hira2kata(kana)
    return any(
        is_surname(katakana[:cut]) and _is_given_name(katakana[cut:])
        for cut in range(2, len(katakana) - 1)
    )


def _reads_as_words(hiragana: str) -> bool:
    """Hiragana Sudachi reads as ordinary words with no 人名 and no auxiliary (あおいそら,
    みらいの, まことに) is text, not a name; やまだたろう reads as やま+だ+たろう."""
    morphemes = tokenizer().tokenize(hiragana, Tokenizer.SplitMode.C)
    return all(
        m.part_of_speech()[:3] != NAME_POS and m.part_of_speech()[0] != "助動詞" and not m.is_oov()
        for m in morphemes
    )


def single(katakana: str) -> Morpheme | None:
    morphemes = tokenizer().tokenize(katakana, Tokenizer.SplitMode.C)
    return morphemes[0] if len(morphemes) == 1 else None


def is_surname(katakana: str) -> bool:
    if katakana in _COMMON_SURNAME_READINGS:
        return True
    morpheme = single(katakana)
    return morpheme is not None and morpheme.part_of_speech()[:4] in {
        (*NAME_POS, "姓"),
        (*NAME_POS, "一般"),
    }


def _is_given_name(katakana: str) -> bool:
    morpheme = single(katakana)
    if morpheme is None:
        return False
    pos = morpheme.part_of_speech()
    if pos[:3] == NAME_POS:
        return pos[3] != "姓"
    return pos[1:3] == ("固有名詞", "一般") and len(katakana) >= 3


@lru_cache(maxsize=4096)
def no_hiragana_word(kana: str, loose: bool = False) -> bool:
    """Hiragana Sudachi cannot read as one word: only particles and auxiliaries (はると →
    はる+と), or, `loose`, any split into several words (かいと → かい+と)."""
    if not re.fullmatch(r"[ぁ-ゖ]{2,6}", kana) or kana in CONTEXT_NOUNS:
        return False
    morphemes = list(tokenizer().tokenize(kana, Tokenizer.SplitMode.C))
    if len(morphemes) == 1:
        return morphemes[0].is_oov()
    if morphemes[0].part_of_speech()[0] in {"代名詞", "連体詞"} or re.search(f"{HONORIFIC}$", kana):
        return False
    if loose:
        return (
            len(kana) <= _MAX_LOOSE
            and morphemes[0].surface() not in CONTEXT_NOUNS
            and not any(m.part_of_speech()[0] in {"動詞", "形容詞"} for m in morphemes)
        )
    return all(m.part_of_speech()[0] in _FUNCTION_POS for m in morphemes[1:]) and (
        morphemes[0].part_of_speech()[0] in _FUNCTION_POS | {"副詞", "接頭辞"}
    )


@lru_cache(maxsize=4096)
def kana_is_name(kana: str, strict: bool) -> bool:
    """Whether kana read as katakana is one 人名 (strict: and not an ordinary hiragana word),
    or, not strict, any one proper noun that is not a place."""
    if not re.fullmatch(r"[ぁ-ゖァ-ヺー]+", kana):
        return False
    morphemes = list(tokenizer().tokenize(jaconv.hira2kata(kana), Tokenizer.SplitMode.C))
    details = [m.part_of_speech() for m in morphemes]
    if len(details) != 1 or len(kana) < 2:
        return False
    if details[0][:3] == NAME_POS:
        return not (strict and _is_common_hiragana_word(kana))
    if strict:
        return False
    return details[0][1] == "固有名詞" and details[0][2] != "地名"


def _is_common_hiragana_word(kana: str) -> bool:
    """A hiragana word Sudachi reads as one word that is not a 人名 (ひかり = 光, ほど, ゆき) is
    not taken for a name from the word alone."""
    morphemes = list(tokenizer().tokenize(kana, Tokenizer.SplitMode.C))
    return len(morphemes) == 1 and morphemes[0].part_of_speech()[:3] != NAME_POS


def katakana_could_be_name(word: str) -> bool:
    """A katakana word before さん is a name unless Sudachi knows it as an ordinary noun
    (スタッフさん, ボランティアさん)."""
    morphemes = list(tokenizer().tokenize(word, Tokenizer.SplitMode.C))
    last = morphemes[-1] if len(morphemes) else None
    if last is None:
        return False
    pos = last.part_of_speech()
    return pos[1] == "固有名詞" or last.is_oov()


@lru_cache(maxsize=4096)
def romaji_kind(word: str) -> str:
    """'name' for a romaji 人名 (taro, Hanako), 'proper' for another proper noun, 'kana' for
    romaji that reads as no known word (ryota → リョタ), else ''."""
    if word.isupper() and len(word) <= 4:
        return ""
    kana = jaconv.alphabet2kana(word.lower())
    if not re.fullmatch(r"[ぁ-ゖー]+", kana):
        return ""
    long_vowel = jaconv.alphabet2kana(re.sub(r"o(?![aiueo])", "ou", word.lower()))
    for reading in dict.fromkeys((kana, long_vowel)):
        if kana_is_name(reading, True) or is_surname(jaconv.hira2kata(reading)):
            return "name"
    for reading in dict.fromkeys((kana, long_vowel)):
        if kana_is_name(reading, False):
            return "proper"
    unknown = single(jaconv.hira2kata(kana))
    return "kana" if len(word) >= 4 and unknown is not None and unknown.is_oov() else ""
