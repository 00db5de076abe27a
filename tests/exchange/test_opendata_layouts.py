"""Real municipal layouts: ベース・レジストリ events, multi-line facilities, code-only こども食堂."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.listings.geocoding import fallback_centroid
from directory.models import Area, EventPage, LocationMode, PlacePage
from exchange.opendata.importer import OpendataImporter
from exchange.opendata.reading import read_table
from tests.reference import reference_path

DATA = Path(__file__).resolve().parent.parent / "data"
EVENTS = DATA / "event_base_registry.csv"
FACILITIES = DATA / "facility_multiline_quoted.csv"
KODOMO = DATA / "kodomo_shokudo_code_only.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipalities(tmp_path: Path) -> None:
    """大田区 and 多摩市 with their office positions, from the CC0 list (never copied in)."""
    source = reference_path("localgovjp", "localgovjp-utf8.csv")
    header, *rows = source.read_text(encoding="utf-8-sig").splitlines()
    wanted = [row for row in rows if row.endswith((",131113", ",132241"))]
    path = tmp_path / "localgovjp-excerpt.csv"
    path.write_text("\n".join([header, *wanted]), encoding="utf-8")
    call_command("load_municipalities", str(path), stdout=io.StringIO())


def run(fmt: str, path: Path) -> dict[int, list[str]]:
    report = OpendataImporter(fmt, source_name=path.name).run(path.read_bytes())
    return {result.row: [result.status, *result.reasons] for result in report.results}


# -- reading -----------------------------------------------------------------------------------


def test_base_registry_event_columns_are_all_read():
    row = read_table(EVENTS.read_bytes()).rows[0]
    assert row.values["kana"] == "オオタカゾクノツドイ"  # 名称(カナ)
    assert (row.values["start_time"], row.values["end_time"]) == ("13:30", "15:30")  # 開始時刻
    assert [row.values[k] for k in ("address_prefecture", "address_city")] == ["東京都", "大田区"]
    assert [row.values[k] for k in ("address_town", "address_rest")] == ["蒲田", "5-13-14"]
    assert row.values["building"] == "本庁舎2階"


def test_a_filled_alias_wins_over_an_empty_one_that_comes_first():
    table = read_table("名称,概要,説明\r\nA,,説明の文\r\nB,概要の文,\r\n".encode())
    assert [row.values.get("description") for row in table.rows] == ["説明の文", "概要の文"]
    assert table.ignored_columns == []


def test_the_preferred_alias_wins_when_both_are_filled():
    table = read_table("名称,概要,説明\r\nA,概要の文,説明の文\r\n".encode())
    assert table.rows[0].values["description"] == "説明の文"  # 説明 is the standard's column


def test_quoted_fields_ending_in_a_newline_are_valid_records_named_by_their_first_line():
    table = read_table(FACILITIES.read_bytes())
    assert [row.number for row in table.rows] == [2, 5, 8]
    assert all(not row.errors for row in table.rows)
    assert table.rows[1].values["building"] == "2階"


def test_an_unclosed_quote_is_still_refused():
    table = read_table('名称,説明\r\nA,"開いたまま\r\nB,次の行\r\n'.encode())
    assert table.rows[0].number == 2 and "引用符" in table.rows[0].errors[0]


# -- importing ---------------------------------------------------------------------------------


def test_every_base_registry_event_row_imports_under_its_municipality(municipalities):
    results = run("event", EVENTS)
    assert [results[n][0] for n in sorted(results)] != [] and all(
        status != "skipped" for status, *_ in results.values()
    ), results
    meeting = EventPage.objects.get(title="おおた家族のつどい")
    assert meeting.area.code == "131113"
    assert meeting.kana == "オオタカゾクノツドイ"
    assert meeting.address == "東京都大田区蒲田5-13-14"
    assert meeting.address_building == "本庁舎2階"
    assert meeting.description.startswith("ひきこもりの方のご家族")  # 説明, not the empty 概要
    assert "13:30" in meeting.schedule_text
    cafe = EventPage.objects.get(title="多世代交流カフェ")
    assert cafe.description.startswith("誰でも参加できるカフェです。\n飲み物")


def test_a_swapped_point_far_from_the_municipality_is_refused_with_a_note(municipalities):
    results = run("event", EVENTS)
    walk = EventPage.objects.get(title="多摩中央公園のさんぽ会")
    assert walk.area.code == "132241"
    assert (walk.lat, walk.lng) == (None, None)  # swapped back it would be in Sapporo
    assert any(
        "多摩市の中心から" in reason for reason in results[6]
    )  # the multi-line row before spans lines 3–5
    assert "位置を取り込みませんでした" in walk.review_notes


def test_a_swapped_point_near_the_municipality_is_kept(municipalities, tmp_path):
    path = tmp_path / "near.csv"
    text = EVENTS.read_text(encoding="utf-8-sig").replace(
        "141.354389,43.062089", "139.4464,35.6369"
    )
    path.write_text(text, encoding="utf-8")
    run("event", path)
    walk = EventPage.objects.get(title="多摩中央公園のさんぽ会")
    assert (float(walk.lat), float(walk.lng)) == (35.6369, 139.4464)


def test_facilities_with_multi_line_quoted_fields_all_import(municipalities):
    results = run("facility", FACILITIES)
    assert sorted(results) == [2, 5, 8]
    assert all(status != "skipped" for status, *_ in results.values()), results
    centre = PlacePage.objects.get(title="大田区民センター")
    assert centre.description.startswith("集会室があります。\n予約は窓口で。")


def test_kodomo_shokudo_rows_with_only_a_code_land_in_the_loaded_municipality(municipalities):
    results = run("kodomo-shokudo", KODOMO)
    assert all(status != "skipped" for status, *_ in results.values()), results
    ota = Area.objects.get(code="131113")
    assert set(PlacePage.objects.values_list("area", flat=True)) == {ota.pk}
    assert not any("未登録" in reason for reasons in results.values() for reason in reasons)
    secret = PlacePage.objects.get(title="ひみつ食堂")
    assert secret.location_mode == LocationMode.CONFIDENTIAL


def test_a_row_that_cannot_be_placed_says_what_is_missing(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(
        "全国地方公共団体コード,名称,開催日時\r\n131113,おおたこども食堂,毎月第2土曜 12:00～14:00\r\n",
        encoding="utf-8",
    )
    results = run("kodomo-shokudo", path)
    status, *reasons = results[2]
    assert status == "skipped"
    assert "コード 131113" in reasons[0] and "load_municipalities" in reasons[0]


def test_a_row_with_only_a_municipality_name_is_placed_by_it(municipalities, tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(
        "地方公共団体名,名称,開催日時\r\n東京都大田区,なまえ食堂,毎月第2土曜 12:00～14:00\r\n",
        encoding="utf-8",
    )
    results = run("kodomo-shokudo", path)
    assert results[2][0] != "skipped", results
    assert PlacePage.objects.get(title="なまえ食堂").area.code == "131113"


def test_a_listing_without_a_point_is_centred_on_its_municipality_when_the_district_is_unknown(
    municipalities, tmp_path
):
    path = tmp_path / "k.csv"
    path.write_text(
        "全国地方公共団体コード,名称,所在地_連結表記,学区,開催日時\r\n"
        "131113,がっく食堂,東京都大田区蒲田1-2-3,存在しない小学校,毎月第2土曜 12:00～14:00\r\n",
        encoding="utf-8",
    )
    run("kodomo-shokudo", path)
    page = PlacePage.objects.get(title="がっく食堂")
    ota = Area.objects.get(code="131113")
    assert page.area == ota and page.lat is None
    assert fallback_centroid(page.area) == (ota.centroid_lat, ota.centroid_lng)
    assert ota.centroid_lat is not None


def test_an_unknown_code_falls_back_to_the_rows_own_municipality_name(municipalities, tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(
        "全国地方公共団体コード,地方公共団体名,名称,所在地_連結表記,開催日時\r\n"
        "139998,東京都大田区,こーど食堂,東京都大田区蒲田1-2-3,毎月第2土曜 12:00～14:00\r\n",
        encoding="utf-8",
    )
    results = run("kodomo-shokudo", path)
    assert PlacePage.objects.get(title="こーど食堂").area.code == "131113"
    assert not Area.objects.filter(code="139998").exists()
    assert any("139998 が未登録のため" in reason for reason in results[2])
