"""load_municipalities and the one area resolver: codes, names and kana from the official lists."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from directory.models import Area
from exchange.importing import find_municipality, resolve_area
from exchange.municipalities import hiragana, read_entries
from tests.reference import reference_path

pytestmark = pytest.mark.django_db

SOUMU_HEADER = (
    "団体コード,都道府県名（漢字）,市区町村名（漢字）,都道府県名（カナ）,市区町村名（カナ）"
)


def localgovjp() -> Path:
    return reference_path("localgovjp", "localgovjp-utf8.csv")


def load(*paths: Path) -> str:
    out = io.StringIO()
    call_command("load_municipalities", *map(str, paths), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def soumu_csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "000925835.csv"
    path.write_bytes("\r\n".join([SOUMU_HEADER, *rows]).encode("cp932"))
    return path


def test_soumu_csv_export_creates_municipalities_with_hiragana_kana(tmp_path):
    path = soumu_csv(tmp_path, "130001,東京都,,ﾄｳｷｮｳﾄ,", "131113,東京都,大田区,ﾄｳｷｮｳﾄ,ｵｵﾀｸ")
    assert "新規 1件" in load(path)
    ota = Area.objects.get(code="131113")
    assert (ota.name, ota.kana, ota.level) == ("大田区", "おおたく", Area.Level.MUNICIPALITY)
    assert ota.parent == Area.objects.get(code="130001")


def test_soumu_xlsx_with_its_ward_sheet_is_read(tmp_path):
    """The workbook as downloaded: codes as numbers (leading zero lost), a sheet for wards."""
    workbook = Workbook()
    first = workbook.active
    first.append(
        [
            "団体コード",
            "都道府県名\n（漢字）",
            "市区町村名\n（漢字）",
            "都道府県名\n（カナ）",
            "市区町村名\n（カナ）",
        ]
    )
    first.append([10006, "北海道", None, "ﾎｯｶｲﾄﾞｳ", None])
    first.append([11002, "北海道", "札幌市", "ﾎｯｶｲﾄﾞｳ", "ｻｯﾎﾟﾛｼ"])
    wards = workbook.create_sheet("政令指定都市")
    wards.append(["団体コード", "市区町村名（漢字）", "市区町村名（カナ）"])
    wards.append(["011011", "札幌市中央区", "ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ"])
    path = tmp_path / "000925835.xlsx"
    workbook.save(path)
    load(path)
    assert Area.objects.get(code="011002").name == "札幌市"
    ward = Area.objects.get(code="011011")
    assert (ward.name, ward.kana, ward.parent.code) == (
        "札幌市中央区",
        "さっぽろしちゅうおうく",
        "010006",
    )


def test_localgovjp_gives_every_municipality_and_ward_with_its_centre_idempotently():
    path = localgovjp()
    first = load(path, reference_path("localgovjp", "prefjp-utf8.csv"))
    assert "新規 1916件" in first
    ward = Area.objects.get(code="011011")
    assert ward.name == "札幌市中央区" and ward.kana == "さっぽろしちゅうおうく"
    assert ward.centroid_lat == Decimal("43.055386")
    assert Area.objects.get(code="010006").centroid_lat is not None  # prefjp: 10006 → 010006
    assert "新規 0件、更新 0件、変更なし 1963件" in load(
        path, reference_path("localgovjp", "prefjp-utf8.csv")
    )


def test_a_file_without_coordinates_never_blanks_a_centre_another_gave(tmp_path):
    load(localgovjp())
    load(soumu_csv(tmp_path, "131113,東京都,大田区,ﾄｳｷｮｳﾄ,ｵｵﾀｸ"))
    assert Area.objects.get(code="131113").centroid_lat == Decimal("35.561389")


def test_an_unknown_file_is_refused_in_japanese_before_anything_is_saved(tmp_path):
    good = soumu_csv(tmp_path, "131113,東京都,大田区,ﾄｳｷｮｳﾄ,ｵｵﾀｸ")
    bad = tmp_path / "other.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="全国地方公共団体コード一覧"):
        load(good, bad)
    assert not Area.objects.filter(code="131113").exists()


def test_a_code_with_a_wrong_check_digit_is_reported_not_loaded(tmp_path):
    entries, problems = read_entries(soumu_csv(tmp_path, "131114,東京都,大田区,ﾄｳｷｮｳﾄ,ｵｵﾀｸ"))
    assert entries == [] and "131114" in problems[0]


@pytest.mark.parametrize(
    ("name", "kana"),
    [("東京都大田区", ""), ("大田区", ""), ("東京都 大田区", ""), ("", "オオタク"), ("", "ｵｵﾀｸ")],
)
def test_one_resolver_finds_a_municipality_by_name_or_kana(tmp_path, name, kana):
    load(soumu_csv(tmp_path, "131113,東京都,大田区,ﾄｳｷｮｳﾄ,ｵｵﾀｸ"))
    assert resolve_area("", name, kana) == (Area.objects.get(code="131113"), False)


def test_an_unknown_code_is_resolved_by_the_rows_own_name(tmp_path):
    load(soumu_csv(tmp_path, "131113,東京都,大田区,ﾄｳｷｮｳﾄ,ｵｵﾀｸ"))
    # 139998 is not a municipality we know, but the row says 大田区: no new area is made.
    assert resolve_area("139998", "東京都大田区") == (Area.objects.get(code="131113"), False)


def test_a_bare_ward_name_needs_its_prefecture_and_must_be_unique():
    load(localgovjp())
    hokkaido = Area.objects.get(code="010006")
    assert find_municipality("中央区", prefecture=hokkaido) == Area.objects.get(code="011011")
    assert find_municipality("札幌市 中央区") == Area.objects.get(code="011011")
    assert find_municipality("中央区") == Area.objects.get(code="131024")  # 東京都中央区
    assert find_municipality("北区") is not None  # only 東京都北区 is named just 「北区」
    assert find_municipality("府中市") is None  # 東京都 and 広島県: ambiguous without a prefecture


def test_hiragana_folds_widths_scripts_and_spaces():
    assert hiragana("ｻｯﾎﾟﾛｼ ﾁｭｳｵｳｸ") == "さっぽろしちゅうおうく"
