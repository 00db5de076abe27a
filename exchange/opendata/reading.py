"""Bytes of a municipal CSV → header-mapped rows, whatever encoding and padding it came in.

Real files come as UTF-8 with one or even two BOMs, Shift_JIS/CP932 (Excel's 「CSV」),
sometimes UTF-16; with CRLF or LF; with cells padded by U+3000 or TABs; with trailing rows of
bare commas. Rows keep their line number in the file so reports point at the right line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from exchange.opendata.columns import alias_rank, field_for_header
from exchange.opendata.normalise import PADDING

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class Row:
    number: int  # line number in the file (the header is line 1)
    values: dict[str, str]  # internal field → raw cell (padding trimmed, nothing else)
    problems: list[str] = field(default_factory=list)  # doubts: the row is still imported
    errors: list[str] = field(default_factory=list)  # the row cannot be trusted at all


@dataclass
class Table:
    encoding: str
    headers: list[str]
    rows: list[Row]
    ignored_columns: list[str]
    problems: list[str] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). UTF-8 (any number of BOMs), CP932, UTF-16, else a best guess."""
    while data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding).lstrip("\ufeff"), encoding
        except UnicodeDecodeError:
            continue
    guess = from_bytes(data).best()
    if guess is not None:
        return str(guess).lstrip("\ufeff"), guess.encoding
    return data.decode("utf-8", errors="replace"), "utf-8 (読めない文字を置き換え)"


def read_table(data: bytes) -> Table:
    """Parse a CSV file. The first non-empty line is the header; empty lines are skipped.

    A record is numbered by its first line (a quoted cell may span several lines).
    """
    text, encoding = decode(data)
    text = text.replace("\x00", "")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    headers: list[str] | None = None
    columns: dict[str, list[int]] = {}
    rows: list[Row] = []
    problems: list[str] = []
    try:
        for cells in reader:
            number = lines.first_line
            raw = lines.take()
            stripped = [cell.replace("\ufeff", "").strip(PADDING) for cell in cells]
            if not any(stripped):
                continue
            if headers is None:
                headers = stripped
                columns = _columns(headers)
                continue
            row = Row(number=number, values={})
            if len(stripped) > len(headers) and any(stripped[len(headers) :]):
                row.problems.append(
                    f"列の数が見出し（{len(headers)}列）より多い行です（{len(stripped)}列）。"
                )
            for name, positions in columns.items():
                cell = next(
                    (stripped[p] for p in positions if p < len(stripped) and stripped[p]), ""
                )
                if cell:
                    row.values[name] = cell
            if _unclosed_quote(cells, raw):
                row.errors.append(
                    '引用符（"）が閉じられていないため、この行を正しく区切れません。元のファイルをご確認ください。'
                )
            elif len(stripped) < len(headers):
                row.problems.append(
                    f"列の数が見出し（{len(headers)}列）より少ない行です（{len(stripped)}列）。"
                )
            rows.append(row)
    except csv.Error as error:
        problems.append(f"{reader.line_num}行目以降を CSV として読めませんでした（{error}）。")
    headers = headers or []
    ignored = [h for h in headers if h and field_for_header(h) is None]
    return Table(encoding, headers, rows, ignored, problems)


class _Lines:
    """The file's lines for `csv.reader`, remembering the raw text and first line of a record."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self._consumed: list[str] = []
        self._count = 0
        self.first_line = 1

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._consumed.append(line)
        self._count += 1
        return line

    def take(self) -> str:
        """The raw text of the record just read; the next record starts on the next line."""
        raw = "".join(self._consumed)
        self._consumed = []
        self.first_line = self._count + 1
        return raw


def _columns(headers: list[str]) -> dict[str, list[int]]:
    """Internal field → its columns, most preferred alias first (see `columns.ALIASES`)."""
    found: dict[str, list[int]] = {}
    for position, header in enumerate(headers):
        name = field_for_header(header)
        if name:
            found.setdefault(name, []).append(position)
    for positions in found.values():
        positions.sort(key=lambda p: (alias_rank(headers[p]), p))
    return found


def _unclosed_quote(cells: list[str], raw: str) -> bool:
    """An unclosed 「"」 swallows the following lines into one cell up to the end of the file.

    In a valid RFC 4180 record every quote is paired (a quoted cell opens and closes, and an
    escaped quote is 「""」), so a multi-line record with an odd number of quotes never closed.
    A quoted cell that merely ends in a newline is valid.
    """
    return any("\n" in cell or "\r" in cell for cell in cells) and raw.count('"') % 2 == 1
