"""Reading messy municipal CSV bytes and cells (pure: no database)."""

from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from exchange.opendata.columns import field_for_header
from exchange.opendata.normalise import (
    clean_kana,
    clean_text,
    coordinates,
    local_government_code,
    parse_date,
    parse_time,
    phone_number,
    postal_code,
    read_fee,
    read_reservation,
    read_targets,
    yes_no,
)
from exchange.opendata.reading import decode, read_table

DATA = Path(__file__).resolve().parent.parent / "data"
HEADER = "名称,所在地_連結表記\r\n"


@pytest.mark.parametrize(
    "data",
    [
        ("\ufeff" + HEADER + "食堂,架空市\r\n").encode(),
        ("\ufeff\ufeff" + HEADER + "食堂,架空市\n").encode(),
        (HEADER + "食堂,架空市").encode("cp932"),
        ("\ufeff" + HEADER + "食堂,架空市").encode("utf-16-le"),
        (HEADER + "食堂,架空市").encode(),
    ],
    ids=["utf8-bom", "utf8-two-boms", "cp932", "utf16", "utf8"],
)
def test_every_encoding_and_bom_gives_the_same_rows(data):
    table = read_table(data)
    assert table.headers == ["名称", "所在地_連結表記"]
    assert [row.values for row in table.rows] == [{"name": "食堂", "address": "架空市"}]


def test_decode_names_the_encoding():
    assert decode("食堂".encode("cp932"))[1] == "cp932"
    assert decode(b"\xef\xbb\xbf\xef\xbb\xbf\xe9\xa3\x9f")[0] == "食"


def test_padding_and_trailing_comma_rows_are_dropped():
    data = "名称,ID\n\u3000食堂\t,\t１\u3000\n,\n,,\n\u3000,\t\n".encode()
    table = read_table(data)
    assert [(row.number, row.values) for row in table.rows] == [(2, {"name": "食堂", "id": "１"})]


def test_short_and_long_rows_are_flagged_and_an_open_quote_is_an_error():
    data = '名称,ID,備考\n短い行\nA,1,x,余分\nB,2,"閉じない\nC,3,x\n'.encode()
    short, long, broken = read_table(data).rows
    assert "少ない" in short.problems[0]
    assert "多い" in long.problems[0]
    assert "引用符" in broken.errors[0]


def test_unknown_columns_are_listed():
    table = read_table("名称,色\nA,赤\n".encode())
    assert table.ignored_columns == ["色"]


def test_tab_separated_files_are_read():
    table = read_table("名称\t住所\nA\t架空市\n".encode())
    assert table.rows[0].values == {"name": "A", "address": "架空市"}


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("NO", "ID", "id"),
        ("都道府県コード又は市区町村コード", "全国地方公共団体コード", "code"),
        ("住所", "所在地_連結表記", "address"),
        ("方書", "建物名等(方書)", "building"),
        ("料金（基本）", "料金(基本)", "fee"),
        ("ｉｄ", "Id", "id"),
        ("イベント名", "名称", "name"),
        ("連絡先電話番号", "電話番号", "phone"),
    ],
)
def test_both_header_generations_mean_the_same_field(old, new, field):
    assert field_for_header(old) == field_for_header(new) == field


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("139998", ("139998", "")),
        ("１３９９９８", ("139998", "")),
        ("13999", ("139998", "")),  # five digits: the check digit is added
        ("", ("", "")),
    ],
)
def test_local_government_codes(value, expected):
    assert local_government_code(value) == expected


@pytest.mark.parametrize("value", ["139997", "13-99", "abc"])
def test_bad_local_government_codes_are_problems(value):
    code, problem = local_government_code(value)
    assert code == "" and problem


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("０３－１２３４－５６７８", "03-1234-5678"),
        ("03‐1234‐5678", "03-1234-5678"),
        ("03ー1234ー5678", "03-1234-5678"),
        ("03(1234)5678", "03-1234-5678"),
        ("0120-000-000", "0120-000-000"),
        ("09000000000", "09000000000"),
    ],
)
def test_phone_numbers_are_normalised(value, expected):
    assert phone_number(value) == (expected, "")


def test_an_unreadable_phone_is_a_problem():
    assert phone_number("代表へ")[1]


@pytest.mark.parametrize(
    ("value", "expected"), [("〒１２３－４５６７", "123-4567"), ("1234567", "123-4567")]
)
def test_postal_codes(value, expected):
    assert postal_code(value) == (expected, "")


def test_coordinates_swapped_outside_and_missing():
    assert coordinates("35.1", "139.2") == (Decimal("35.1"), Decimal("139.2"), "")
    lat, lng, problem = coordinates("139.2", "35.1")
    assert (lat, lng) == (Decimal("35.1"), Decimal("139.2")) and "入れ替" in problem
    assert coordinates("0", "0")[2]
    assert coordinates("北", "東")[2]
    assert coordinates("", "") == (None, None, "")
    assert coordinates("３５．１", "１３９．２")[0] == Decimal("35.1")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("あり", True),
        ("○", True),
        ("有", True),
        ("お弁当配布あり", True),
        ("なし", False),
        ("×", False),
        ("不可", False),
        ("", None),
        ("要相談", None),
    ],
)
def test_yes_no(value, expected):
    assert yes_no(value) is expected


@pytest.mark.parametrize(
    ("texts", "cost_type", "conditions"),
    [
        (("16歳未満：無料 16歳以上：200円",), "varies", {"low-cost"}),
        (("無料",), "free", {"free"}),
        (("0円",), "free", {"free"}),
        (("３００円",), "paid", {"low-cost"}),
        (("1,000円",), "paid", set()),
        (("大人200円、子ども100円",), "varies", {"low-cost"}),
        (("子ども無料・大人300円",), "varies", {"low-cost"}),
        (("カンパ制",), "varies", set()),
        (("ワンコイン",), "paid", {"low-cost"}),
        (("未定",), "", set()),
        (("",), "", set()),
    ],
)
def test_fees_in_free_text(texts, cost_type, conditions):
    reading = read_fee(*texts)
    assert (reading.cost_type, set(reading.conditions)) == (cost_type, conditions)


@pytest.mark.parametrize(
    ("text", "conditions", "contradiction"),
    [
        ("予約不要", {"no-reservation"}, False),
        ("予約はいりません", {"no-reservation"}, False),
        ("電話で要予約", {"reservation-required"}, False),
        ("事前申込が必要です", {"reservation-required"}, False),
        ("予約不要（初回のみ要予約）", set(), True),
        ("", set(), False),
    ],
)
def test_reservation_text(text, conditions, contradiction):
    found, problem = read_reservation(text)
    assert set(found) == conditions
    assert bool(problem) is contradiction


def test_targets():
    assert read_targets("小学生〜中学生とその保護者") == {"children", "parents"}
    assert read_targets("どなたでも") == {"anyone"}
    assert read_targets("ヤングケアラー") == {"young-carers"}


def test_free_text_keeps_its_characters_but_widens_halfwidth_kana():
    assert clean_text("\u3000ｺﾐｭﾆﾃｨｶﾌｪ ①～㈱\t") == "コミュニティカフェ ①～㈱"
    assert clean_kana("ﾐﾝﾅﾉｼｮｸﾄﾞｳ") == "ミンナノショクドウ"
    assert clean_kana("コーヒー") == "コーヒー"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-05", date(2026, 12, 5)),
        ("2026/12/5", date(2026, 12, 5)),
        ("２０２６年１２月５日", date(2026, 12, 5)),
        ("令和8年12月5日", date(2026, 12, 5)),
        ("R8.12.5", date(2026, 12, 5)),
        ("2026-13-01", None),
        ("未定", None),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10:00", time(10)), ("１７：４５", time(17, 45)), ("9時30分", time(9, 30)), ("25:00", None)],
)
def test_times(value, expected):
    assert parse_time(value) == expected


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.csv")))
def test_every_sample_file_is_read(name):
    table = read_table((DATA / name).read_bytes())
    assert table.rows and "name" in {field_for_header(h) for h in table.headers}
