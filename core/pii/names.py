"""Detectors for people's names: kanji, kana and romaji, with honorifics and family relations.

Why several readings: Sudachi knows 山田太郎 as 人名, but splits hiragana names oddly
(やまだたろう → やま+だ+たろう) and cannot read romaji. So a kana or romaji word is also read
*as katakana* (romaji through jaconv's converter), where Sudachi's 人名 entries do match, and a
name is accepted from context: an honorific after it, a family relation before it, a particle
after it, or a 姓 followed by a 名. Hiragana words that are names only by chance (ひかり, ゆき)
need such a context, so 「ひかりの多い部屋」 stays ordinary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sudachipy import Morpheme, Tokenizer

from core.pii.reading import (
    CONTEXT_NOUNS,
    HONORIFIC,
    NAME_POS,
    kana_is_full_name,
    kana_is_name,
    katakana_could_be_name,
    no_hiragana_word,
    romaji_kind,
    single,
)
from core.text import tokenizer

_HONORIFICS = frozenset({"さん", "様", "さま", "君", "くん", "ちゃん", "氏", "殿", "たん", "どの"})
# Roles and kin words that take an honorific without being anyone's name.
_ORDINARY_WITH_HONORIFIC = re.compile(
    r"(?:お?ばあ|お?じい|お?かあ|お?とう|お?ねえ|お?にい|おば|おじ|みな|あか|おこ|わん|ねこ|おまわり"
    r"|おいしゃ|おきゃく|かんごし|ほけんし|ママ|パパ|ババ|ジジ|ねーね|にーに)(?:さん|さま|ちゃん|ちゃま|様)$"
)
_ORDINARY_WORDS = re.compile(
    r"保健師|看護師|薬剤師|社会福祉士|介護福祉士|精神保健福祉士|作業療法士|理学療法士|臨床心理士|公認心理師"
    r"|栄養士|保育士|相談員|支援員|指導員|民生委員|児童委員|主任児童委員|お母さん|お父さん|お姉さん|お兄さん"
    r"|マイナ保険証|マイナンバー|マイナポータル|マイナカード"
)
_KANA_BEFORE_HONORIFIC = re.compile(rf"([ぁ-ゖ]{{1,8}}|[ァ-ヺー]{{1,10}})\s?({HONORIFIC})")
_ROMAJI_HONORIFIC = re.compile(r"\b[A-Za-z]{2,}[-\s]?(?:kun|chan|san|sama|chama)\b", re.I)
_LATIN_INITIAL = re.compile(rf"(?<![A-Za-z])[A-Za-z]{{1,2}}\s?{HONORIFIC}")
_RELATION = re.compile(
    r"(?:息子|娘|長男|長女|次男|次女|三男|三女|末っ子|孫|夫|妻|旦那|主人|嫁|婿|母|父|兄|弟|姉|妹"
    r"|祖母|祖父|甥|姪|叔母|叔父|伯母|伯父|いとこ|子ども|子供|こども|うちの子|彼氏|彼女|友人|友達"
    r"|ともだち|同居人|義母|義父|むすこ|むすめ|うち(?=の)|[小中高]\d|\d年生|\d{1,2}歳|[小中]学生|高校生)"
    r"(?:の名前|の名)?(?:は|の|、|,|\s|:|・|=|って|[（(])+"
    r"|(?:私|わたし|あたし|僕|ぼく|俺|名前|なまえ|氏名|本名)(?:は|:|、|\s)+"
)
_PUNCTUATION = "、。,!?！？ 　"
_PARTICLE_AFTER = "がはもとにを" + _PUNCTUATION
_KANA_RUN = re.compile(r"[ぁ-ゖ]{2,12}|[ァ-ヺー]{2,12}")
_ROMAJI_WORD = re.compile(r"(?<![A-Za-z@.])[A-Za-z]{3,14}(?![A-Za-z@])")
_ROMAJI_PAIR = re.compile(r"(?<![A-Za-z@.])([A-Za-z]{2,14})[\s,]+([A-Za-z]{2,14})(?![A-Za-z@.])")
_MAX_NAME = 7
_PRONOUNS = frozenset(
    ["これ", "それ", "あれ", "どれ", "ここ", "そこ", "あそこ", "どこ", "わたし", "あなた", "だれ"]
)
_PLACE_NOUNS = frozenset(
    [
        *("町", "村", "市", "区", "駅", "口", "線", "川", "橋", "山", "池", "台", "丘", "通り"),
        *("公園", "団地", "病院", "医院", "クリニック", "小学校", "中学校", "高校", "学校"),
        *("公民館", "会館", "センター", "神社", "寺", "図書館", "商店街", "保育園", "幼稚園"),
    ]
)
_SUBJECT_PARTICLES = frozenset("がはもと")


def person_name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Every span of `text` that reads as a person's name."""
    masked = _ORDINARY_WORDS.sub(lambda m: "、" * len(m.group(0)), text)
    yield from _sudachi_spans(masked)
    yield from _kana_honorific_spans(masked)
    yield from _relation_spans(masked)
    yield from _kana_run_spans(masked)
    yield from _romaji_spans(masked)


def _sudachi_spans(text: str) -> Iterator[tuple[int, int]]:
    """Sudachi's 人名 (kanji and katakana), and a name-like word before an honorific."""
    morphemes = list(tokenizer().tokenize(text, Tokenizer.SplitMode.C))
    for index, morpheme in enumerate(morphemes):
        surface = morpheme.surface()
        pos = morpheme.part_of_speech()
        if pos[:3] == NAME_POS:
            if re.fullmatch(r"[A-Za-z]+", surface) or _names_a_place(morphemes, index):
                continue
            hiragana = re.fullmatch(r"[ぁ-ゖ]+", surface) is not None
            if hiragana and not _followed_by_particle(morphemes, index):
                continue
            if len(surface) > 1 or _followed_by_honorific(morphemes, index):
                yield morpheme.begin(), morpheme.end()
        elif surface in _HONORIFICS and pos[0] == "接尾辞" and index > 0:
            before = morphemes[index - 1]
            if _name_like(before) and not _ORDINARY_WITH_HONORIFIC.search(text[: morpheme.end()]):
                yield before.begin(), morpheme.end()


def _names_a_place(morphemes: list[Morpheme], index: int) -> bool:
    """A surname before 公園, 町, 駅 … names a place (井上公園, 長谷川町), not a person."""
    return index + 1 < len(morphemes) and morphemes[index + 1].surface() in _PLACE_NOUNS


def _followed_by_honorific(morphemes: list[Morpheme], index: int) -> bool:
    return index + 1 < len(morphemes) and morphemes[index + 1].surface() in _HONORIFICS


def _followed_by_particle(morphemes: list[Morpheme], index: int) -> bool:
    if index + 1 >= len(morphemes):
        return True
    following = morphemes[index + 1]
    pair = (morphemes[index].part_of_speech()[3], following.part_of_speech()[3])
    return (
        following.surface() in _HONORIFICS
        or following.surface() in _SUBJECT_PARTICLES
        or (following.part_of_speech()[:3] == NAME_POS and pair == ("姓", "名"))
    )


def _name_like(morpheme: Morpheme) -> bool:
    """A word before an honorific is a name unless it is an ordinary noun."""
    surface = morpheme.surface()
    pos = morpheme.part_of_speech()
    if pos[1] == "固有名詞" or morpheme.is_oov():
        return True
    return bool(re.fullmatch(r"[ぁ-ゖ]{2,4}|[A-Za-z]{1,3}", surface))


def _kana_honorific_spans(text: str) -> Iterator[tuple[int, int]]:
    """A kana word before an honorific (ゆうたくん, さくらちゃん), unless a role or kin word."""
    for match in _KANA_BEFORE_HONORIFIC.finditer(text):
        if _ORDINARY_WITH_HONORIFIC.search(text[: match.end()]):
            continue
        word = match.group(1)
        if re.fullmatch(r"[ァ-ヺー]+", word) and not katakana_could_be_name(word):
            continue
        yield match.start(), match.end()
    for pattern in (_ROMAJI_HONORIFIC, _LATIN_INITIAL):
        for match in pattern.finditer(text):
            yield match.span()


def _relation_spans(text: str) -> Iterator[tuple[int, int]]:
    """A name right after a family relation: 息子のけんた, 娘は花子, うちの子、はると."""
    for match in _RELATION.finditer(text):
        length = name_after(text, match.end())
        if length:
            yield match.start(), match.end() + length


def name_after(text: str, start: int) -> int:
    """Length of a name at `start` in a context that introduces a person (娘の, 3年2組の).

    There a word is a name when Sudachi reads it as one on its own (名前は和子です: in the
    sentence 和子 is read as a common noun), and a hiragana word is a name even when it is
    also a word (孫のさくら), unless it is one of the nouns such a context is followed by
    (娘のこと, 息子のため).
    """
    morphemes = tokenizer().tokenize(text[start : start + 12], Tokenizer.SplitMode.C)
    if len(morphemes):
        first = morphemes[0]
        pos = first.part_of_speech()
        if pos[:3] == NAME_POS or (pos[1] == "固有名詞" and pos[2] != "地名"):
            return first.end()
        alone = single(first.surface())
        if alone is not None and alone.part_of_speech()[:3] == NAME_POS:
            return first.end()
    run = re.match(r"[ぁ-ゖ]{2,8}", text[start:])
    if run:
        length = _kana_name_prefix(run.group(0), strict=False, clause_start=True)
        if length:
            return length
        word = morphemes[0].surface() if len(morphemes) else ""
        following = text[start + len(word) :]
        if (
            re.fullmatch(r"[ぁ-ゖ]{2,5}", word)
            and word not in CONTEXT_NOUNS
            and _ends_a_name(following)
            and morphemes[0].part_of_speech()[0] in {"名詞", "代名詞"}
            and word not in _PRONOUNS
        ):
            return len(word)
        whole = re.match(r"[ぁ-ゖ]{2,6}(?=[がはもと、。\s)）]|です|$)", text[start:])
        if whole and no_hiragana_word(whole.group(0), True):
            return whole.end()
    return 0


def _ends_a_name(following: str) -> bool:
    """What may follow a name: a particle, punctuation, です/といいます, の and a context noun."""
    if following == "" or following[0] in _SUBJECT_PARTICLES or following[0] in _PUNCTUATION:
        return True
    if re.match(r"[)）]|です|といい|と申し|と言い", following):
        return True
    nouns = "|".join(sorted(CONTEXT_NOUNS, key=len, reverse=True))
    return re.match(rf"の(?:{nouns})", following) is not None


def _kana_run_spans(text: str) -> Iterator[tuple[int, int]]:
    """A kana word that is a name followed by a particle (けんたが), or a 姓+名 (やまだたろう).

    The candidate must start and end where Sudachi's words do, so a name is never read out
    of the middle of a word (小さな, お兄ちゃん).
    """
    bounds = {0, len(text)}
    for morpheme in tokenizer().tokenize(text, Tokenizer.SplitMode.C):
        bounds.update((morpheme.begin(), morpheme.end()))
    for match in _KANA_RUN.finditer(text):
        start = match.start()
        if start not in bounds:
            continue
        clause_start = start == 0 or text[start - 1] in _PUNCTUATION + "「『(（"
        length = _kana_name_prefix(
            match.group(0), strict=True, bounds_at=start, bounds=bounds, clause_start=clause_start
        )
        if length:
            yield start, start + length


def _romaji_spans(text: str) -> Iterator[tuple[int, int]]:
    """Romaji names: one word that reads as a 人名, or two proper nouns side by side."""
    for match in _ROMAJI_WORD.finditer(text):
        if romaji_kind(match.group(0)) == "name":
            yield match.span()
    for match in _ROMAJI_PAIR.finditer(text):
        kinds = {romaji_kind(match.group(1)), romaji_kind(match.group(2))}
        if kinds <= {"name", "proper"} or (kinds == {"name", "kana"}):
            yield match.span()


def _kana_name_prefix(
    run: str,
    *,
    strict: bool,
    bounds_at: int = 0,
    bounds: set[int] | None = None,
    clause_start: bool = False,
) -> int:
    """Length of the longest prefix of `run` that reads as a name (0 when none).

    A 姓+名 counts wherever it ends; a single name needs a particle after it (ゆうたは) or
    the end of the run. A hiragana word that is no word at all (はると → はる+と) is a name
    when a particle follows, as that is how a name unknown to the dictionary is used; at
    the start of a clause (or after 娘の, 3年2組の) any hiragana that is not one word will do
    (かいとが → かい+と).
    """
    for length in range(min(_MAX_NAME, len(run)), 1, -1):
        if bounds is not None and bounds_at + length not in bounds:
            continue
        candidate = run[:length]
        if kana_is_full_name(candidate):
            return length
        rest = run[length:]
        allowed = _SUBJECT_PARTICLES if re.fullmatch(r"[ぁ-ゖ]+", candidate) else _PARTICLE_AFTER
        if rest and rest[0] not in allowed and rest[0] not in _PUNCTUATION:
            continue
        if kana_is_name(candidate, strict):
            return length
        if rest[:1] in _SUBJECT_PARTICLES and no_hiragana_word(candidate, clause_start):
            return length
    return 0
