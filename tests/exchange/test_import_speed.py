"""Import speed (issue 17): the work per row is the same whether a file has 10 rows or 30.

Each file is imported twice into one database, small then larger, so a look-up that grows
with what is already saved (or with the rows before it in the file) shows as more queries per
row in the larger file. What the deferred index work leaves behind is checked too: the admin
search and the reference index hold every imported listing, as if each save had indexed it.
"""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ReferenceIndex
from wagtail.search.models import IndexEntry

from directory.models import Area, PlacePage, ServicePage
from exchange.hsds.importer import import_services
from exchange.opendata.importer import OpendataImporter
from tests.factories.directory import MunicipalityFactory

pytestmark = pytest.mark.django_db

KODOMO_HEADERS = ["全国地方公共団体コード", "ID", "地方公共団体名", "名称", "所在地_連結表記",
                  "緯度", "経度", "開催日時", "参加費", "対象者", "運営団体"]  # fmt: skip
EVENT_HEADERS = ["全国地方公共団体コード", "ID", "地方公共団体名", "イベント名", "開始日", "終了日",
                 "開始時間", "終了時間", "主催者", "所在地_連結表記", "緯度", "経度"]  # fmt: skip


def _csv(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([headers, *rows])
    return out.getvalue().encode("utf-8")


def _kodomo(first: int, count: int) -> bytes:
    """こども食堂 rows, each with an organiser of its own (a new member per row)."""
    return _csv(
        KODOMO_HEADERS,
        [
            ["139990", f"K{n}", "東京都架空市", f"こども食堂{n}", f"東京都架空市中央{n}-1",
             "35.70", "139.70", "毎週水曜 17:00～19:00", "無料", "どなたでも", f"みんなの会{n}"]
            for n in range(first, first + count)
        ],
    )  # fmt: skip


def _events(first: int, count: int) -> bytes:
    """Events with two organisers in all, so later rows find the members earlier rows made."""
    return _csv(
        EVENT_HEADERS,
        [
            ["139990", f"E{n}", "東京都架空市", f"つどい{n}", "2027/1/16", "2027/1/16", "13:30",
             "15:30", f"架空市社会福祉協議会{n % 2}", f"東京都架空市本町{n}-1", "35.70", "139.70"]
            for n in range(first, first + count)
        ],
    )  # fmt: skip


def _services(first: int, count: int) -> list[dict[str, object]]:
    """HSDS services in organisations of three, each served in 架空市."""
    ids = uuid.UUID(int=7)
    return [
        {
            "id": str(uuid.uuid5(ids, f"service-{n}")),
            "name": f"相談窓口{n}",
            "description": "ご相談ください。",
            "organization": {
                "id": str(uuid.uuid5(ids, f"org-{n // 3}")),
                "name": f"相談会{n // 3}",
            },
            "service_areas": [{"uri": "urn:tsunagari:area:139990", "name": "架空市"}],
        }
        for n in range(first, first + count)
    ]


def _queries_per_row(run, rows: int) -> float:
    with CaptureQueriesContext(connection) as queries:
        report = run()
    assert len(report.results) == rows
    assert all(result.status != "skipped" for result in report.results), report.results
    return len(queries) / rows


@pytest.fixture
def town() -> Area:
    """架空市 (139990) under 東京都, where every generated row is."""
    return MunicipalityFactory(code="139990", name="架空市")  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("format_slug", "rows_of"), [("kodomo-shokudo", _kodomo), ("event", _events)]
)
def test_opendata_queries_per_row_do_not_grow_with_the_file(town, format_slug, rows_of):
    def run(first: int, count: int):
        return lambda: OpendataImporter(format_slug, source_name="x.csv").run(rows_of(first, count))

    small = _queries_per_row(run(1, 10), 10)
    large = _queries_per_row(run(100, 30), 30)
    assert large <= small, (small, large)


def test_hsds_queries_per_record_do_not_grow_with_the_file(town):
    small = _queries_per_row(lambda: import_services(_services(0, 9)), 9)
    large = _queries_per_row(lambda: import_services(_services(30, 30)), 30)
    assert large <= small, (small, large)


def _indexed(page) -> tuple[bool, bool]:
    """(in the admin search, its area in the reference index)."""
    searched = IndexEntry.objects.filter(
        content_type__model=page._meta.model_name, object_id=str(page.pk)
    ).exists()
    referenced = ReferenceIndex.get_references_for_object(page).filter(
        to_object_id=str(page.area_id)
    )
    return searched, referenced.exists()


def test_every_imported_listing_is_indexed_once_its_batch_is_saved(town):
    OpendataImporter("kodomo-shokudo", source_name="x.csv").run(_kodomo(1, 10))
    import_services(_services(0, 6))
    pages = [*PlacePage.objects.all(), *ServicePage.objects.all()]
    assert len(pages) == 16
    assert {_indexed(page) for page in pages} == {(True, True)}
