"""A school class together with a name (「3年2組のゆうた」) or with the school named.

Why: 「中2の子」 describes a need, but a class and a name, or a school and a class, point to
one child among a few dozen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.pii.names import name_after

_CLASS = re.compile(r"(?:[小中高]?\d\s*年生?\s*|[小中高]\d\s*)?(?:\d|[A-Za-z一-九])\s*組")
_SCHOOL_AND_CLASS = re.compile(
    r"[一-龥々ぁ-んァ-ヶ]{1,10}(?:小学校|中学校|高等学校|高校|小|中|学園|学院)の?\s*"
    r"(?:\d\s*年生?\s*)?(?:\d|[A-Za-z])\s*組"
)
_NEAR = 12


def school_class_spans(text: str, names: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Spans of a class with a name close to it, and of a named school with a class."""
    for match in _SCHOOL_AND_CLASS.finditer(text):
        yield match.span()
    for match in _CLASS.finditer(text):
        start, end = match.span()
        following = re.match(r"\s*(?:の|、|\s)\s*", text[end:])
        if following:
            length = name_after(text, end + following.end())
            if length:
                yield start, end + following.end() + length
                continue
        for name_start, name_end in names:
            if start - _NEAR <= name_start and name_end <= end + _NEAR:
                yield min(start, name_start), max(end, name_end)
                break
