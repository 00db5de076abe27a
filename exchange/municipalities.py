"""The municipality list: 全国地方公共団体コード, names, kana and centres as `Area` rows.

Importers can only place a row that carries just a code (「131113」) or just a name
(「大田区」) when the platform knows every municipality. Two sources are read, both as a
事務局 gets them:

- the 総務省 list 「全国地方公共団体コード」 (.xlsx as downloaded, or its CSV export):
  団体コード, 都道府県名（漢字）, 市区町村名（漢字）, 都道府県名（カナ）, 市区町村名（カナ）;
  the 政令指定都市 sheet (wards) may lack the 都道府県 columns;
- the CC0 list `code4fukui/localgovjp` (`localgovjp-utf8.csv`: wards as 「札幌市 中央区」,
  office coordinates; `prefjp-utf8.csv`: the 47 prefectures).

Loading is an upsert keyed by code: a value a file does not have (the 総務省 list has no
coordinates) never blanks one another file gave, so the files can be loaded in any order.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from directory.models import Area
from exchange.opendata.normalise import (
    JAPAN_LAT,
    JAPAN_LNG,
    clean_header,
    local_government_check_digit,
    prefecture_code,
)
from exchange.opendata.reading import decode


class MunicipalityFileError(ValueError):
    """A file that is not one of the lists we read; the message is shown to the 事務局."""


@dataclass(frozen=True)
class Entry:
    """One prefecture or municipality (政令市の区 included) as a file states it."""

    code: str  # 6 digits with check digit
    name: str  # 「大田区」, 「札幌市中央区」, 「東京都」
    kana: str = ""  # hiragana, no spaces
    lat: Decimal | None = None
    lng: Decimal | None = None

    @property
    def is_prefecture(self) -> bool:
        return self.code[2:5] == "000"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


# -- text ----------------------------------------------------------------------------------


def hiragana(text: str) -> str:
    """Kana in any width or script → hiragana without spaces (how `Area.kana` is stored)."""
    text = re.sub("\\s+", "", unicodedata.normalize("NFKC", text or ""))
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def area_name(text: str) -> str:
    """「札幌市 中央区」 → 「札幌市中央区」: names compare without spaces, in NFKC."""
    return re.sub("\\s+", "", unicodedata.normalize("NFKC", text or ""))


def _code(value: object) -> str:
    """A 6-digit code whose leading zero a spreadsheet may have dropped (10006 → 010006)."""
    text = str(value or "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    text = unicodedata.normalize("NFKC", text)
    if not text.isdigit() or len(text) > 6:
        return ""
    text = text.zfill(6)
    return text if int(text[5]) == local_government_check_digit(text[:5]) else ""


def _coordinate(value: object, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    try:
        number = Decimal(str(value).strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None
    return number if bounds[0] <= number <= bounds[1] else None


# -- reading -------------------------------------------------------------------------------


def read_entries(path: Path) -> tuple[list[Entry], list[str]]:
    """(entries, problems) from one file; raises MunicipalityFileError for an unknown file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise MunicipalityFileError(
            f"ファイル「{path}」を読めません（{type(error).__name__}）。"
        ) from error
    if data.startswith(b"PK"):
        tables = _xlsx_tables(data, path)
    else:
        text, _ = decode(data)
        tables = [list(csv.reader(io.StringIO(text, newline="")))]
    entries: list[Entry] = []
    problems: list[str] = []
    recognised = False
    for rows in tables:
        found = _table_entries(rows, problems)
        if found is not None:
            recognised = True
            entries.extend(found)
    if not recognised:
        raise MunicipalityFileError(
            f"「{path.name}」は総務省の全国地方公共団体コード一覧（団体コード・都道府県名（漢字）・"
            "市区町村名（漢字）…の列）でも localgovjp の CSV（lgcode の列）でもありません。"
        )
    return entries, problems


def _xlsx_tables(data: bytes, path: Path) -> list[list[list[str]]]:
    """Every sheet as rows of strings (the 総務省 workbook has a second sheet for wards)."""
    from openpyxl import load_workbook  # a dependency of Wagtail

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # zip, XML or openpyxl errors: all mean "not a workbook"
        raise MunicipalityFileError(
            f"「{path.name}」を Excel ファイル（.xlsx）として読めません（{type(error).__name__}）。"
        ) from error
    return [
        [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in workbook.worksheets
    ]


def _table_entries(rows: Sequence[Sequence[str]], problems: list[str]) -> list[Entry] | None:
    """The entries of one table, or None when its header is not one we know."""
    for index, row in enumerate(rows[:20]):
        headers = [clean_header(cell) for cell in row]
        if "団体コード" in headers:
            return list(_soumu(headers, rows[index + 1 :], problems))
        if "LGCODE" in headers:
            return list(_localgovjp(headers, rows[index + 1 :], problems))
    return None


def _column(headers: list[str], *prefixes: str) -> int | None:
    for prefix in prefixes:
        for position, header in enumerate(headers):
            if header.startswith(clean_header(prefix)):
                return position
    return None


def _cell(row: Sequence[str], position: int | None) -> str:
    if position is None or position >= len(row):
        return ""
    return str(row[position] or "").strip()


def _soumu(
    headers: list[str], rows: Iterable[Sequence[str]], problems: list[str]
) -> Iterator[Entry]:
    """The 総務省 list: prefecture rows have no 市区町村名; kana is 半角カタカナ."""
    code_at = _column(headers, "団体コード")
    city_at = _column(headers, "市区町村名(漢字)", "市区町村名")
    city_kana_at = _column(headers, "市区町村名(カナ)")
    pref_at = _column(headers, "都道府県名(漢字)", "都道府県名")
    pref_kana_at = _column(headers, "都道府県名(カナ)")
    for row in rows:
        raw = _cell(row, code_at)
        if not raw:
            continue
        code = _code(raw)
        if not code:
            problems.append(f"団体コード「{raw}」は6桁の全国地方公共団体コードではありません。")
            continue
        city = area_name(_cell(row, city_at))
        if city:
            yield Entry(code, city, hiragana(_cell(row, city_kana_at)))
        elif _cell(row, pref_at):
            yield Entry(code, area_name(_cell(row, pref_at)), hiragana(_cell(row, pref_kana_at)))


def _localgovjp(
    headers: list[str], rows: Iterable[Sequence[str]], problems: list[str]
) -> Iterator[Entry]:
    """localgovjp: `city`/`citykana` for municipalities, `pref`/`prefkana` for prefectures."""
    code_at = _column(headers, "LGCODE")
    city_at = _column(headers, "CITY")
    city_kana_at = _column(headers, "CITYKANA")
    pref_at = headers.index("PREF") if "PREF" in headers else None
    pref_kana_at = headers.index("PREFKANA") if "PREFKANA" in headers else None
    lat_at, lng_at = _column(headers, "LAT"), _column(headers, "LNG")
    for row in rows:
        raw = _cell(row, code_at)
        if not raw:
            continue
        code = _code(raw)
        if not code:
            problems.append(f"lgcode「{raw}」は全国地方公共団体コードではありません。")
            continue
        if city_at is not None:
            name, kana = _cell(row, city_at), _cell(row, city_kana_at)
        else:
            name, kana = _cell(row, pref_at), _cell(row, pref_kana_at)
        if not name:
            continue
        yield Entry(
            code,
            area_name(name),
            hiragana(kana),
            _coordinate(_cell(row, lat_at), JAPAN_LAT),
            _coordinate(_cell(row, lng_at), JAPAN_LNG),
        )


# -- loading -------------------------------------------------------------------------------


def load_entries(entries: Iterable[Entry], report: LoadReport | None = None) -> LoadReport:
    """Upsert prefectures, then municipalities under them; idempotent, never blanks a value."""
    report = report or LoadReport()
    ordered = sorted(entries, key=lambda e: (not e.is_prefecture, e.code))
    with transaction.atomic():
        known = {
            area.code: area for area in Area.objects.filter(code__in={e.code for e in ordered})
        }
        new: list[Area] = []
        for entry in ordered:
            area = _upsert(entry, known, report)
            if area is not None and area.pk is None:
                if entry.is_prefecture:
                    area.save()  # municipalities below need its key
                else:
                    new.append(area)
        Area.objects.bulk_create(new)
    return report


def _upsert(entry: Entry, known: dict[str, Area], report: LoadReport) -> Area | None:
    """The entry's area with the file's values applied (saved here only when it changed)."""
    level = Area.Level.PREFECTURE if entry.is_prefecture else Area.Level.MUNICIPALITY
    parent = None
    if not entry.is_prefecture:
        parent = known.get(prefecture_code(entry.code))
        if parent is None:
            parent = Area.objects.filter(
                code=prefecture_code(entry.code), level=Area.Level.PREFECTURE
            ).first()
        if parent is None or parent.level != Area.Level.PREFECTURE:
            report.problems.append(
                f"{entry.name}（{entry.code}）の都道府県が未登録のため、登録しませんでした。"
            )
            return None
    area = known.get(entry.code)
    if area is not None and area.level != level:
        report.problems.append(
            f"コード {entry.code} は「{area.name}」（{area.get_level_display()}）として登録済みのため、"
            "変更しませんでした。"
        )
        return None
    created = area is None
    if area is None:
        area = known[entry.code] = Area(code=entry.code, level=level)
    before = (area.name, area.kana, area.parent_id, area.centroid_lat, area.centroid_lng)
    area.name = entry.name[: Area._meta.get_field("name").max_length]
    area.kana = (entry.kana or area.kana)[: Area._meta.get_field("kana").max_length]
    area.parent = parent
    if entry.lat is not None and entry.lng is not None:
        area.centroid_lat, area.centroid_lng = entry.lat, entry.lng
    after = (area.name, area.kana, area.parent_id, area.centroid_lat, area.centroid_lng)
    if created:
        report.created += 1
    elif before != after:
        area.save()
        report.updated += 1
    else:
        report.unchanged += 1
    return area


def load_files(paths: Iterable[Path]) -> LoadReport:
    """Read every file first (an unknown file stops before anything is saved), then load."""
    entries: list[Entry] = []
    report = LoadReport()
    for path in paths:
        found, problems = read_entries(path)
        entries.extend(found)
        report.problems.extend(f"{path.name}: {problem}" for problem in problems)
    return load_entries(entries, report)
