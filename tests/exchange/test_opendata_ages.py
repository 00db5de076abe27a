"""対象年齢 in open data (issue 14, "Age ranges"): read where a row states one, never guessed.

Import: a 対象年齢 column (or 年齢 / 対象年齢層), else the 対象者 cell, when it states exactly one
range in an unambiguous form. Export: the イベント一覧 has no age column, so the range is written
into 対象者 in a form the importer reads back; the 公共施設一覧 has neither, so it is not exported.
"""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from directory.models import EventPage, PlacePage
from exchange.opendata.columns import FORMATS
from exchange.opendata.exporter import target_with_ages
from exchange.opendata.normalise import read_age_range
from exchange.opendata.reading import Row
from exchange.opendata.rows import read_row
from tests.factories.directory import EventPageFactory, PlacePageFactory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6歳〜12歳", (6, 12)),
        ("6〜12歳", (6, 12)),
        ("６歳～１２歳", (6, 12)),  # 全角 digits and tilde
        ("6歳から12歳まで", (6, 12)),
        ("6才-12才", (6, 12)),
        ("小学生（6歳〜12歳）", (6, 12)),
        ("12歳〜18歳の中高生", (12, 18)),
        ("65歳以上", (65, None)),
        ("65歳以上の方", (65, None)),
        ("0歳〜", (0, None)),
        ("12歳から", (12, None)),
        ("18歳以下", (None, 18)),
        ("18歳まで", (None, 18)),
        ("18歳未満", (None, 17)),
        ("6歳", (6, 6)),
        ("中高生（6歳）", (6, 6)),
    ],
)
def test_unambiguous_forms_are_read(text, expected):
    reading = read_age_range(text)
    assert (reading.age_min, reading.age_max) == expected
    assert reading.problem == ""


@pytest.mark.parametrize(
    "text",
    [
        "3歳〜5歳、65歳以上",  # two ranges
        "中学生〜18歳",  # one end is not a number: 中学生 is not guessed as 12
        "6歳以上〜中学生",
        "6歳未満は保護者同伴",  # an age that is a condition, not the target
        "18歳以上は参加費500円",
        "おおむね65歳以上",  # a rough guide, not a hard bound
        "3歳児と保護者",
        "6歳の子",
        "20歳〜10歳",  # min above max
        "200歳以上",  # out of 0–120
    ],
)
def test_anything_else_stays_text_with_a_note(text):
    reading = read_age_range(text)
    assert (reading.age_min, reading.age_max) == (None, None)
    assert "対象年齢は空のままにしました" in reading.problem


@pytest.mark.parametrize("text", ["", "小学生", "どなたでも", "高齢の方", "親子"])
def test_text_without_an_age_reads_as_no_range_without_a_note(text):
    assert read_age_range(text) == read_age_range("")
    assert read_age_range(text).problem == ""


def draft_of(fmt, **values):
    return read_row(FORMATS[fmt], Row(2, {"name": "居場所", **values}), reference=date(2026, 11, 1))


def test_a_range_in_the_target_cell_is_read_and_the_text_kept():
    draft = draft_of("kodomo-shokudo", target="中高生（12〜18歳）")
    assert (draft.age_min, draft.age_max) == (12, 18)
    assert "対象: 中高生（12〜18歳）" in draft.how_to_join


def test_an_age_column_is_read_before_the_target_cell():
    draft = draft_of("facility", ages="65歳以上", target="高齢の方")
    assert (draft.age_min, draft.age_max) == (65, None)
    assert draft.targets == {"older-people"}
    assert not any("対象年齢" in note for note in draft.review)


def test_an_unreadable_age_column_stays_text_on_the_target_line_and_is_flagged():
    draft = draft_of("kodomo-shokudo", ages="おおむね小学生以上", target="子ども")
    assert (draft.age_min, draft.age_max) == (None, None)
    assert "対象: 子ども、おおむね小学生以上" in draft.how_to_join
    draft = draft_of("kodomo-shokudo", ages="6歳未満は保護者同伴")
    assert any("対象年齢「6歳未満は保護者同伴」の年齢は読み取れない" in n for n in draft.review)


def test_age_column_and_target_cell_disagreeing_uses_the_column_and_says_so():
    draft = draft_of("kodomo-shokudo", ages="6〜15歳", target="小中学生（6〜12歳）")
    assert (draft.age_min, draft.age_max) == (6, 15)
    assert any("食い違っています" in note for note in draft.review)


@pytest.mark.django_db
def test_import_stores_the_range_on_the_listing(tmp_path):
    path = tmp_path / "kodomo.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["全国地方公共団体コード", "ID", "名称", "所在地_連結表記", "開催日時", "対象年齢"]
        )
        writer.writerow(
            [
                "139998",
                "101",
                "中高生の居場所ひかり",
                "東京都架空市中央1-2-3",
                "毎週水曜 16:00〜19:00",
                "12歳〜18歳",
            ]
        )
        writer.writerow(
            [
                "139998",
                "102",
                "だれでも食堂",
                "東京都架空市中央1-2-4",
                "毎週金曜 17:00〜19:00",
                "どなたでも",
            ]
        )
    call_command(
        "import_opendata", "--format", "kodomo-shokudo", str(path),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    teen = PlacePage.objects.get(title="中高生の居場所ひかり")
    assert (teen.age_min, teen.age_max) == (12, 18)
    anyone = PlacePage.objects.get(title="だれでも食堂")
    assert (anyone.age_min, anyone.age_max) == (None, None)
    assert "どなたでも" in anyone.how_to_join  # kept as text


@pytest.mark.parametrize(
    ("target", "age_min", "age_max", "written"),
    [
        ("中高生", 12, 18, "中高生（12〜18歳）"),
        ("", 65, None, "65歳以上"),
        ("中高生（12〜18歳）", 12, 18, "中高生（12〜18歳）"),  # already says it: not twice
        ("子ども", None, None, "子ども"),
        ("小学生", 6, 6, "小学生（6歳）"),
    ],
)
def test_target_with_ages_writes_a_range_the_importer_reads_back(target, age_min, age_max, written):
    assert target_with_ages(target, age_min, age_max) == written
    reading = read_age_range(written)
    assert (reading.age_min, reading.age_max) == (age_min, age_max)


def export_rows(fmt, tmp_path):
    out = tmp_path / f"{fmt}.csv"
    call_command("export_opendata", "--format", fmt, "--out", str(out), stderr=io.StringIO())
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return out, list(csv.DictReader(handle))


@pytest.mark.django_db
def test_event_export_writes_the_range_into_the_target_column_and_imports_back(tmp_path):
    event = EventPageFactory(title="中高生のボードゲーム会", age_min=12, age_max=18)
    out, rows = export_rows("event", tmp_path)
    (row,) = rows
    assert "12〜18歳" in row["対象者"]
    EventPage.objects.filter(pk=event.pk).update(age_min=None, age_max=None)
    call_command(
        "import_opendata", "--format", "event", str(out), stdout=io.StringIO(), stderr=io.StringIO()
    )
    again = EventPage.objects.get(title="中高生のボードゲーム会")
    assert (again.age_min, again.age_max) == (12, 18)


@pytest.mark.django_db
def test_facility_export_has_no_column_for_the_range(tmp_path):
    PlacePageFactory(title="フリースクールそら", age_min=6, age_max=15)
    _, rows = export_rows("facility", tmp_path)
    (row,) = rows
    assert not any("歳" in value for value in row.values())
