"""import_opendata on messy sample files: what is created, flagged, skipped and reported."""

import csv
import io
import random
from datetime import date, time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from directory.listings.schedules import Recurrence
from directory.models import Area, EventPage, Member, MemberPage, MemberStatus, PlacePage
from exchange.importing import listing_field_labels, validation_messages
from exchange.opendata.importer import OpendataImporter
from exchange.opendata.reading import Row
from tests.factories.directory import MemberFactory, PlacePageFactory
from tests.factories.membership import approve_applicants

DATA = Path(__file__).resolve().parent.parent / "data"
KODOMO = DATA / "kodomo_shokudo_cp932.csv"
KODOMO_OLD = DATA / "kodomo_shokudo_old_headers_double_bom.csv"
EVENTS = DATA / "event_utf8_bom_crlf.csv"
FACILITIES = DATA / "facility_old_headers_tab_padding.csv"

pytestmark = pytest.mark.django_db


def run(fmt, path, *extra, report=None):
    out, err = io.StringIO(), io.StringIO()
    args = ["import_opendata", "--format", fmt, str(path), *extra]
    if report:
        args += ["--report", str(report)]
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def report_rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def slugs(page, attribute):
    return {term.slug for term in getattr(page, attribute).all()}


def test_cp932_kodomo_shokudo_file_becomes_published_listings_with_vocabulary():
    run("kodomo-shokudo", KODOMO)
    approve_applicants()
    hidamari = PlacePage.objects.get(title="みんなの食堂ひだまり")
    assert hidamari.live
    assert hidamari.external_id == "139998:001"
    assert hidamari.kana == "ミンナノショクドウヒダマリ"  # 半角カナ widened
    assert hidamari.address == "東京都架空市中央1丁目2-3"  # 全角 digits, ー between digits
    assert hidamari.address_building == "コミュニティセンター2階"  # U+3000 padding trimmed
    assert hidamari.phone == "03-1234-5678"
    assert slugs(hidamari, "categories") == {"kodomo-shokudo"}
    assert slugs(hidamari, "conditions") == {
        "meal",
        "low-cost",
        "no-reservation",
        "family-ok",
        "takeout",
    }
    assert slugs(hidamari, "targets") >= {"children", "parents", "anyone"}
    assert hidamari.cost_type == "varies"
    assert hidamari.cost_text == "16歳未満：無料 16歳以上：200円"
    assert hidamari.schedule_text == "毎月第2・第4土曜 11:30～13:30"
    assert hidamari.recurrences == [
        Recurrence(
            "monthly", weekdays=(5,), nths=(2, 4), start_time=time(11, 30), end_time=time(13, 30)
        )
    ]
    assert "①調理体験あり" in hidamari.description  # free text is not NFKC-folded
    assert hidamari.keywords.filter(name="架空第一小学校").exists()
    assert hidamari.get_parent().specific.member.name == "特定非営利活動法人ひだまりネット"
    assert hidamari.get_parent().specific.member.member_type == "npo"


def test_two_sessions_packed_weekdays_and_pantry_column():
    run("kodomo-shokudo", KODOMO)
    tsukimi = PlacePage.objects.get(title="こども食堂 月見")  # TAB padding trimmed
    assert tsukimi.external_id == "139998:002"  # 全角 code and ID
    assert [(r.start_time, r.end_time) for r in tsukimi.recurrences] == [
        (time(17), time(17, 45)),
        (time(17, 45), time(18, 30)),
    ]
    assert slugs(tsukimi, "categories") == {"kodomo-shokudo", "food-support"}
    assert "reservation-required" in slugs(tsukimi, "conditions")
    assert tsukimi.lat is None and "geocode_missing" in tsukimi.review_notes
    # No organiser column value: the こども食堂 itself is the member.
    assert tsukimi.get_parent().specific.member.name == "こども食堂 月見"
    pokapoka = PlacePage.objects.get(title="地域食堂ぽかぽか")
    assert pokapoka.recurrences == [
        Recurrence(
            "weekly",
            weekdays=(0, 1, 2, 3, 4),
            start_time=time(17),
            end_time=time(19),
            closed_on_holidays=True,
        )
    ]
    assert pokapoka.cost_type == "free" and "free" in slugs(pokapoka, "conditions")


def test_unknown_municipality_is_created_under_its_prefecture():
    run("kodomo-shokudo", KODOMO_OLD)
    town = Area.objects.get(code="149993")  # 5-digit code in the file: check digit added
    assert (town.name, town.level, town.parent.name) == ("見本町", "municipality", "神奈川県")
    assert PlacePage.objects.get(title="見本町こども食堂").area == town


def test_contradictions_and_unparsed_schedule_are_flagged_not_dropped(tmp_path):
    report = tmp_path / "report.csv"
    run("kodomo-shokudo", KODOMO_OLD, report=report)
    approve_applicants()
    swapped = PlacePage.objects.get(title="見本町こども食堂")
    assert (float(swapped.lat), float(swapped.lng)) == (35.4, 139.5)
    assert "入れ替" in swapped.review_notes
    assert "予約不要と要予約の両方" in swapped.review_notes
    assert not slugs(swapped, "conditions") & {"no-reservation", "reservation-required"}
    assert swapped.live  # flagged rows are published too
    cafe = PlacePage.objects.get(title="隔週カフェ")
    assert cafe.schedule_text == "隔週火曜 10:00〜12:00、毎月15日"
    assert "毎月15日" in cafe.review_notes and "隔週" in cafe.review_notes
    assert cafe.recurrences == [
        Recurrence("weekly", weekdays=(1,), interval=2, start_time=time(10), end_time=time(12))
    ]
    rows = {row["row"]: row for row in report_rows(report)}
    assert rows["2"]["status"] == "needs_review"
    assert rows["4"] == {
        "row": "4",
        "status": "skipped",
        "listing_id": "",
        "reasons": "名称がありません。",
    }
    assert rows["6"]["status"] == "skipped" and "引用符" in rows["6"]["reasons"]
    assert rows["2"]["listing_id"] == str(swapped.uuid)


def test_report_csv_columns_and_statuses(tmp_path):
    report = tmp_path / "report.csv"
    run("event", EVENTS, report=report)
    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = report_rows(report)
    assert list(rows[0]) == ["row", "status", "listing_id", "reasons"]
    assert [(r["row"], r["status"]) for r in rows] == [
        ("2", "imported"),
        ("3", "needs_review"),
        ("4", "needs_review"),
        ("5", "skipped"),
        ("6", "skipped"),
    ]
    assert "開催日が読み取れない" in rows[3]["reasons"]


def test_event_rows_become_dated_events():
    run("event", EVENTS)
    seminar = EventPage.objects.get(title="ひきこもり家族セミナー")
    assert seminar.recurrences == [
        Recurrence(
            "dates", dates=(date(2027, 1, 16),), start_time=time(13, 30), end_time=time(15, 30)
        )
    ]
    assert seminar.capacity == 30
    assert seminar.registration_deadline == date(2027, 1, 10)
    assert seminar.cost_type == "free"
    assert "reservation-required" in slugs(seminar, "conditions")
    assert seminar.get_parent().specific.member.member_type == "government"
    party = EventPage.objects.get(title="親子クリスマス会")
    assert party.recurrences == [
        Recurrence(
            "dates",
            dates=(date(2027, 12, 4), date(2027, 12, 18)),
            start_time=time(11),
            end_time=time(13),
        )
    ]
    assert party.cost_type == "varies" and "食い違" in party.review_notes
    exhibit = EventPage.objects.get(title="長期展示 まちの居場所")
    (rule,) = exhibit.recurrences
    assert (rule.frequency, rule.valid_from, rule.valid_until) == (
        "weekly",
        date(2027, 2, 1),
        date(2027, 3, 31),
    )
    assert "雨天中止" in exhibit.schedule_text and "一致しません" in exhibit.review_notes


def test_facility_file_with_old_headers_and_weekday_columns():
    run("facility", FACILITIES)
    hall = PlacePage.objects.get(title="架空市中央公民館")
    assert hall.recurrences == [
        Recurrence(
            "weekly",
            weekdays=(0, 1, 2, 3, 4),
            start_time=time(9),
            end_time=time(21),
            closed_on_holidays=True,
            closed_year_end=True,
        )
    ]
    assert "祝日・年末年始は休館" in hall.schedule_text
    assert "wheelchair" in slugs(hall, "conditions")
    kids = PlacePage.objects.get(title="児童館 ひろば")
    assert len(kids.recurrences) == 2 and kids.cost_type == "varies"
    cafe = PlacePage.objects.get(title="コミュニティカフェ ぽっと")  # 半角カナ widened
    # No organiser: one import member per file, 申請中 (with a draft page) like any other.
    member = cafe.get_parent().specific.member
    assert member.slug.startswith("import-") and member.status == MemberStatus.APPLIED


def test_reimport_updates_instead_of_duplicating(tmp_path):
    run("kodomo-shokudo", KODOMO)
    first = {p.external_id: p.uuid for p in PlacePage.objects.all()}
    members = Member.objects.count()
    report = tmp_path / "again.csv"
    run("kodomo-shokudo", KODOMO, report=report)
    assert {p.external_id: p.uuid for p in PlacePage.objects.all()} == first
    assert Member.objects.count() == members
    assert [r["status"] for r in report_rows(report)] == ["updated", "needs_review", "updated"]
    assert "更新しました" in report_rows(report)[1]["reasons"]


def test_dry_run_writes_nothing_but_reports(tmp_path):
    before = (Member.objects.count(), Area.objects.count(), MemberPage.objects.count())
    report = tmp_path / "dry.csv"
    output = run("kodomo-shokudo", KODOMO, "--dry-run", report=report)
    assert (Member.objects.count(), Area.objects.count(), MemberPage.objects.count()) == before
    assert not PlacePage.objects.exists()
    assert [r["status"] for r in report_rows(report)] == ["imported", "needs_review", "imported"]
    assert "保存していません" in output


def test_draft_saves_unpublished_listings():
    run("kodomo-shokudo", KODOMO, "--draft")
    assert PlacePage.objects.count() == 3
    assert not PlacePage.objects.live().exists()


def test_member_option_attaches_every_listing_to_that_member():
    member = MemberFactory(slug="kaso-shakyo")
    run("facility", FACILITIES, "--member", "kaso-shakyo")
    parents = {p.get_parent().specific.member for p in PlacePage.objects.all()}
    assert parents == {member}


def test_member_option_never_updates_another_members_listing(tmp_path):
    run("kodomo-shokudo", KODOMO)
    other = MemberFactory(slug="other")
    report = tmp_path / "r.csv"
    with pytest.raises(CommandError):  # nothing imported: a non-zero exit
        run("kodomo-shokudo", KODOMO, "--member", "other", report=report)
    assert {r["status"] for r in report_rows(report)} == {"skipped"}
    assert "別の団体" in report_rows(report)[0]["reasons"]
    assert not PlacePage.objects.descendant_of(MemberPage.objects.get(member=other)).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--member", "nobody"], "会員団体がありません"),
        (["--format", "event"], "1件も取り込めません"),
    ],
)
def test_command_errors_are_japanese(args, message, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("イベント名\n", encoding="utf-8")
    fmt = args[1] if args[0] == "--format" else "kodomo-shokudo"
    extra = args if args[0] == "--member" else []
    with pytest.raises(CommandError, match=message):
        run(fmt, path, *extra)


def test_unapproved_member_is_refused():
    MemberFactory(slug="pending", status=MemberStatus.APPLIED)
    with pytest.raises(CommandError, match="承認されていない"):
        run("facility", FACILITIES, "--member", "pending")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="読めません"):
        run("facility", tmp_path / "nope.csv")


def test_a_row_without_address_is_shown_by_area_only():
    run("kodomo-shokudo", KODOMO_OLD)
    assert not PlacePage.objects.filter(title__contains="壊れた").exists()
    importer = OpendataImporter("kodomo-shokudo", source_name="x.csv")
    result = importer.import_row(
        Row(2, {"code": "139998", "name": "場所非公開の食堂", "municipality_name": "架空市"})
    )
    page = PlacePage.objects.get(uuid=result.listing_id)
    assert (
        page.location_mode == "confidential" and page.address == "" and page.area.code == "139998"
    )
    assert result.status == "needs_review"


def test_a_row_without_address_or_area_is_skipped():
    result = OpendataImporter("kodomo-shokudo").import_row(Row(2, {"name": "どこにもない食堂"}))
    assert result.status == "skipped" and "場所" in result.reasons[0]


def test_our_own_uuid_as_id_updates_that_listing():
    listing = PlacePageFactory(title="元の名前")
    result = OpendataImporter("facility").import_row(
        Row(2, {"id": str(listing.uuid), "name": "新しい名前", "address": "架空市中央1丁目"})
    )
    assert result.status in ("updated", "needs_review")
    listing.refresh_from_db()
    assert listing.title == "新しい名前"


FIELDS = [
    "code",
    "id",
    "name",
    "address",
    "lat",
    "lng",
    "schedule",
    "fee",
    "reservation",
    "takeout",
]


@pytest.mark.parametrize("seed", range(6))
def test_random_rows_never_raise(seed):
    rng = random.Random(seed)
    importer = OpendataImporter(rng.choice(["kodomo-shokudo", "event", "facility"]))
    for number in range(5):
        values = {
            field: "".join(chr(rng.randint(0x20, 0x30FF)) for _ in range(rng.randint(0, 12)))
            for field in rng.sample(FIELDS, rng.randint(0, len(FIELDS)))
        }
        result = importer.import_row(Row(number + 2, values))
        assert result.status in ("imported", "updated", "needs_review", "skipped")


@pytest.mark.parametrize("seed", range(4))
def test_random_bytes_files_never_raise(seed, tmp_path):
    rng = random.Random(seed)
    data = "名称,所在地_連結表記,緯度\n".encode() + bytes(rng.randint(0, 255) for _ in range(400))
    report = OpendataImporter("kodomo-shokudo").run(data)
    assert all(r.status in ("imported", "needs_review", "skipped") for r in report.results)


def test_an_absurd_capacity_is_kept_as_text():
    result = OpendataImporter("facility").import_row(
        Row(2, {"name": "大きすぎる定員", "address": "架空市中央1丁目", "capacity": "99999999999"})
    )
    page = PlacePage.objects.get(uuid=result.listing_id)
    assert page.capacity is None and "定員: 99999999999" in page.how_to_join


def test_model_errors_are_reported_with_japanese_field_labels():
    error = ValidationError(
        {"lat": ["緯度は日本国内の値を入力してください。"], "__all__": ["不正"]}
    )
    assert validation_messages(error, listing_field_labels()) == [
        "緯度: 緯度は日本国内の値を入力してください。",
        "入力内容: 不正",
    ]


def test_a_row_shown_by_area_only_keeps_no_address_part():
    """A postal code or building without an address must not stay on a 所在地非公開 listing."""
    importer = OpendataImporter("kodomo-shokudo", source_name="x.csv")
    cells = {"code": "139998", "name": "方書だけの食堂", "municipality_name": "架空市"}
    result = importer.import_row(
        Row(2, {**cells, "postal_code": "100-0001", "building": "ひだまり会館 2階"})
    )
    page = PlacePage.objects.get(uuid=result.listing_id)
    assert page.location_mode == "confidential"
    assert (page.postal_code, page.address_building, page.address) == ("", "", "")
    assert (page.lat, page.lng) == (None, None)
    live = page.get_latest_revision_as_object()
    assert (live.postal_code, live.address_building) == ("", "")
