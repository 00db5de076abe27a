"""Hostile input for the fuzz suite: the kinds of text and values that once broke a view.

Text mixes hypothesis' own unicode with what real abuse and real mistakes send: lone
surrogates, RTL and zero-width marks, long runs of combining marks, NUL, numbers that do not fit
(1e309, NaN, -Infinity, 5000 digits), full-width digits and Japanese. Query strings are encoded
by hand with `surrogatepass`, as a raw client could send those bytes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

SPECIAL_TEXT = [
    "",
    " ",
    "\ud800",
    "a\udfffb",
    "\u202e\u202dabc\u202c",  # RTL override, LTR override, pop
    "\u200f\u200e\u061c",  # RTL, LTR and Arabic letter marks
    "\u200b\u200c\u200d\ufeff\u2060",  # zero-width space, joiners, BOM, word joiner
    "e" + "\u0301" * 500,  # one letter with 500 combining accents
    "が" * 3 + "\u3099" * 200,
    "\x00",
    "\r\n\t",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "9" * 5000,
    "-0",
    "0x10",
    "１２３",  # full-width digits
    "３６．５",
    "2025-02-30",
    "99999-12-31",
    "0000-00-00",
    "24:00",
    "25:61",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"',
    "%",
    "%ZZ",
    "\\",
    "＊",
    "*",
    "AND OR NOT",
    "090-1234-5678",
    "山田太郎さん",
    "〒123-4567 東京都千代田区1-2-3",
    "こども食堂",
    "あ" * 10_000,
]

special_text = st.sampled_from(SPECIAL_TEXT)
text = st.one_of(
    special_text,
    st.text(max_size=30),
    st.text(st.characters(exclude_categories=[]), max_size=12),  # surrogates too
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, text)


def json_values(keys: st.SearchStrategy[str] = text) -> st.SearchStrategy[Any]:
    """Any JSON-ish value: nested lists and objects of hostile scalars."""
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)
        ),
        max_leaves=12,
    )


def deep_nesting(depth: int) -> str:
    """A JSON text nested `depth` times (arrays and objects), past any sane limit."""
    return '{"a": ' * (depth // 2) + "[" * (depth // 2) + "]" * (depth // 2) + "}" * (depth // 2)


def encode(value: str) -> str:
    """Percent-encode like a raw client: lone surrogates become invalid UTF-8 bytes."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def query_string(names: list[str]) -> st.SearchStrategy[str]:
    """A query string over the given parameter names (and strangers), values hostile."""
    name = st.one_of(st.sampled_from(names), text) if names else text
    pairs = st.lists(st.tuples(name, text), max_size=8)
    return pairs.map(lambda items: "&".join(f"{encode(k)}={encode(v)}" for k, v in items))


def form_body(names: list[str]) -> st.SearchStrategy[str]:
    """An application/x-www-form-urlencoded body over the form's fields (and strangers)."""
    return query_string(names)
