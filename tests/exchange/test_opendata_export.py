"""export_opendata: standard column order, UTF-8 with BOM and CRLF, and a stable round trip."""

import csv
import io
from datetime import date, time
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.listings.schedules import Recurrence, rule_text
from directory.models import EventPage, PlacePage
from exchange.opendata.columns import EVENT_COLUMNS, FACILITY_COLUMNS
from exchange.opendata.schedule_text import parse_schedule_text
from tests.factories.directory import EventPageFactory, MunicipalityFactory, PlacePageFactory
from tests.factories.membership import approve_applicants

DATA = Path(__file__).resolve().parent.parent / "data"

pytestmark = pytest.mark.django_db


def export(fmt, tmp_path):
    out = tmp_path / f"{fmt}.csv"
    call_command("export_opendata", "--format", fmt, "--out", str(out), stderr=io.StringIO())
    return out


def rows_of(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load(fmt, path):
    call_command(
        "import_opendata", "--format", fmt, str(path), stdout=io.StringIO(), stderr=io.StringIO()
    )


@pytest.mark.parametrize(
    ("fmt", "columns"), [("event", EVENT_COLUMNS), ("facility", FACILITY_COLUMNS)]
)
def test_export_has_the_standard_columns_in_order_with_bom_and_crlf(fmt, columns, tmp_path):
    EventPageFactory(title="講座")
    PlacePageFactory(title="居場所")
    raw = export(fmt, tmp_path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 2 and b"\n" not in raw.replace(b"\r\n", b"")
    header = raw[3:].split(b"\r\n")[0].decode()
    assert header.split(",")[:4] == [c for c, _ in columns][:4]
    assert next(csv.reader([header])) == [c for c, _ in columns]
    assert header.startswith("全国地方公共団体コード,ID,地方公共団体名")


def test_only_live_listings_of_the_format_are_exported(tmp_path):
    EventPageFactory(title="公開中の講座")
    EventPageFactory(title="下書きの講座", live=False)
    PlacePageFactory(title="居場所")
    names = [row["イベント名"] for row in rows_of(export("event", tmp_path))]
    assert names == ["公開中の講座"]


def test_native_listing_exports_its_uuid_municipality_and_schedule(tmp_path):
    area = MunicipalityFactory()
    listing = PlacePageFactory(
        title="サロン",
        area=area,
        schedule=[
            Recurrence(
                "monthly", weekdays=(2,), nths=(2, 4), start_time=time(15), end_time=time(17)
            )
        ],
        cost_type="free",
        phone="03-0000-0000 内線12",
    )
    (row,) = rows_of(export("facility", tmp_path))
    assert row["ID"] == str(listing.uuid)
    assert row["全国地方公共団体コード"] == area.code
    assert row["地方公共団体名"] == "東京都架空市"
    assert row["利用可能日時特記事項"] == "毎月第2・第4水曜 15:00〜17:00"
    assert (row["開始時間"], row["終了時間"]) == ("15:00", "17:00")
    assert (row["料金(基本)"], row["電話番号"], row["内線番号"]) == ("0", "03-0000-0000", "12")


@pytest.mark.parametrize(
    "rule",
    [
        Recurrence("weekly", weekdays=(0, 2, 4), start_time=time(10), end_time=time(16)),
        Recurrence("weekly", weekdays=(1,), interval=2),
        Recurrence(
            "weekly", weekdays=(0,), start_time=time(10), end_time=time(12), closed_on_holidays=True
        ),
        Recurrence("monthly", weekdays=(5, 6), nths=(-1, 1), start_time=time(9, 30)),
        Recurrence(
            "dates",
            dates=(date(2027, 1, 9), date(2027, 2, 13)),
            start_time=time(13),
            end_time=time(15),
        ),
    ],
)
def test_rule_text_reads_back_as_the_same_rule(rule):
    assert parse_schedule_text(rule_text(rule, exact=True)).rules == (rule,)


FIELDS = (
    "title",
    "kana",
    "address",
    "address_building",
    "lat",
    "lng",
    "schedule_text",
    "cost_type",
    "cost_text",
)


def snapshot(model):
    return {
        page.external_id: (
            *(getattr(page, f) for f in FIELDS),
            page.recurrences,
            page.phone,
            page.get_parent().id,
            sorted(t.slug for t in page.targets.all()),
        )
        for page in model.objects.all()
    }


@pytest.mark.parametrize(
    ("fmt", "source", "model"),
    [
        ("event", "event_utf8_bom_crlf.csv", EventPage),
        ("facility", "facility_old_headers_tab_padding.csv", PlacePage),
    ],
)
def test_round_trip_through_the_importer_is_stable(fmt, source, model, tmp_path):
    load(fmt, DATA / source)
    approve_applicants()
    before = snapshot(model)
    exported = export(fmt, tmp_path)
    load(fmt, exported)
    assert snapshot(model) == before
    again = tmp_path / "again"
    again.mkdir()
    assert export(fmt, again).read_bytes() == exported.read_bytes()


def test_export_to_stdout_without_out(tmp_path):
    PlacePageFactory(title="居場所")
    out = io.StringIO()
    call_command("export_opendata", "--format", "facility", stdout=out)
    assert out.getvalue().startswith("\ufeff全国地方公共団体コード")


ADDRESS_PARTS = ("所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下")


def test_kana_is_written_in_zenkaku_katakana(tmp_path):
    PlacePageFactory(title="架空公民館", kana="かくうこうみんかん ー")
    (row,) = rows_of(export("facility", tmp_path))
    assert row["名称_カナ"] == "カクウコウミンカン ー"


@pytest.mark.parametrize("address", ["架空市中央1丁目", "東京都架空市中央1丁目", "中央1丁目"])
def test_address_has_the_prefecture_and_is_split_into_its_parts(address, tmp_path):
    PlacePageFactory(area=MunicipalityFactory(), address=address, address_building="2階")
    (row,) = rows_of(export("facility", tmp_path))
    assert row["所在地_連結表記"] == "東京都架空市中央1丁目"
    assert tuple(row[c] for c in ADDRESS_PARTS) == ("東京都", "架空市", "中央", "1丁目")
    assert row["建物名等(方書)"] == "2階"


def test_confidential_place_exports_no_address_part(tmp_path):
    PlacePageFactory(
        area=MunicipalityFactory(),
        location_mode="confidential",
        address="架空市中央1丁目",
        address_building="2階",
    )
    (row,) = rows_of(export("facility", tmp_path))
    assert row["所在地_連結表記"] == "" and row["建物名等(方書)"] == ""
    assert all(row[c] == "" for c in ADDRESS_PARTS)
    assert (row["緯度"], row["経度"], row["郵便番号"]) == ("", "", "")


def test_event_at_a_venue_names_the_venue_and_its_address(tmp_path):
    venue = PlacePageFactory(
        title="架空市民会館", area=MunicipalityFactory(), address="架空市西町3-5"
    )
    EventPageFactory(title="講座", venue=venue, address="", area=None)
    (row,) = rows_of(export("event", tmp_path))
    assert row["場所名称"] == "架空市民会館"
    assert row["所在地_連結表記"] == "東京都架空市西町3-5"
    assert (row["所在地_町字"], row["所在地_番地以下"]) == ("西町", "3-5")


def test_event_at_a_confidential_venue_names_it_without_its_address(tmp_path):
    venue = PlacePageFactory(
        title="ひだまり", area=MunicipalityFactory(), location_mode="confidential"
    )
    EventPageFactory(title="講座", venue=venue, address="", area=None)
    (row,) = rows_of(export("event", tmp_path))
    assert row["場所名称"] == "ひだまり"
    assert row["所在地_連結表記"] == "" and all(row[c] == "" for c in ADDRESS_PARTS)


def test_address_in_another_municipality_of_the_prefecture_is_kept_as_written(tmp_path):
    PlacePageFactory(area=MunicipalityFactory(), address="東京都別市本町2-3")
    (row,) = rows_of(export("facility", tmp_path))
    assert row["所在地_連結表記"] == "東京都別市本町2-3"
    assert tuple(row[c] for c in ADDRESS_PARTS) == ("東京都", "", "", "")
