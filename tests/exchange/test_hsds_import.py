"""import_hsds: members and listings from HSDS, ids kept, idempotent, one bad record never fatal."""

import copy
import json
import uuid
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Collection, Page

from directory.listings.schedules import Recurrence
from directory.models import (
    Area,
    EventPage,
    ListingPage,
    Member,
    MemberPage,
    PlacePage,
    ServicePage,
)
from directory.models.listings import listing_page_models
from exchange.hsds.export import export_services
from exchange.hsds.importer import import_services
from exchange.hsds.schedules import HOLIDAY_NOTE, convert_schedules
from tests.factories.hsds import exchange_corpus, hsds_errors
from tests.factories.membership import approve_applicants

pytestmark = pytest.mark.django_db


def all_listings() -> list[ListingPage]:
    return [page for model in listing_page_models() for page in model.objects.all()]


def empty_the_platform() -> None:
    """Back to what `migrate` leaves: no members, pages, listings or local areas."""
    for page in MemberPage.objects.all():
        page.delete()
    groups = [m.group_id for m in Member.objects.all()]
    collections = [m.collection_id for m in Member.objects.all()]
    Member.objects.all().delete()
    Group.objects.filter(pk__in=groups).delete()
    Collection.objects.filter(pk__in=collections).delete()
    for level in (Area.Level.SCHOOL_DISTRICT, Area.Level.MUNICIPALITY):
        Area.objects.filter(level=level).delete()


def comparable(services: list[dict]) -> list[dict]:
    """Services without publication times, arrays of schedules in id order."""
    result = []
    for service in copy.deepcopy(services):
        service.pop("last_modified", None)
        service["schedules"] = sorted(service.get("schedules", []), key=lambda s: s["id"])
        result.append(service)
    return sorted(result, key=lambda s: s["id"])


def write(tmp_path, data, name="hsds.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def exported():
    exchange_corpus()
    return list(export_services())


def test_export_import_export_into_an_empty_platform_is_stable(exported, tmp_path):
    empty_the_platform()
    assert not all_listings() and not Member.objects.exists()
    stdout = StringIO()
    call_command("import_hsds", str(write(tmp_path, exported)), stdout=stdout)
    assert "新規 5 件" in stdout.getvalue(), stdout.getvalue()
    approve_applicants()
    again = list(export_services())
    assert comparable(again) == comparable(exported)
    for service in again:
        assert hsds_errors(service) == []


def test_import_creates_members_with_pages_and_keeps_ids(exported):
    empty_the_platform()
    report = import_services(exported)
    assert report.count("created") == 5
    assert set(Member.objects.values_list("status", flat=True)) == {"applied"}
    approve_applicants()
    for service in exported:
        member = Member.objects.get(uuid=service["organization"]["id"])
        assert member.status == "approved" and member.slug.startswith("org-")
        page = MemberPage.objects.get(member=member)
        listing = next(p for p in all_listings() if str(p.uuid) == service["id"])
        assert listing.live and listing.get_parent().pk == page.pk
    place = PlacePage.objects.get(title="みんなの食堂")
    assert {t.slug for t in place.categories.all()} == {"kodomo-shokudo", "study-support"}
    assert place.recurrences[0] == Recurrence(
        "weekly",
        weekdays=(0, 2),
        start_time=place.recurrences[0].start_time,
        end_time=place.recurrences[0].end_time,
        exceptions=place.recurrences[0].exceptions,
    )
    assert place.schedule_text.startswith("毎週月・水")
    assert [r.closed_on_holidays for r in place.recurrences] == [False, False, True]
    assert place.capacity == 30 and place.accepts_outside_area
    event = EventPage.objects.get(title="オンライン講座")
    assert str(event.registration_deadline) == "2026-05-01"
    assert event.location_mode == "online" and event.status == "ended"
    secret = ServicePage.objects.get(title="ひみつの相談室")
    assert secret.location_mode == "confidential" and secret.area.code == "139998-01"
    assert not secret.address and secret.lat is None


MONDAYS = {"freq": "WEEKLY", "byday": "MO", "opens_at": "10:00+09:00"}


def test_holiday_mark_sets_the_flag_and_keeps_only_exdates_that_are_not_holidays():
    notes = HOLIDAY_NOTE + "休み（EXDATE）: 2027-01-11, 2027-02-01, 2027-03-22"
    [rule] = convert_schedules([{**MONDAYS, "notes": notes}]).rules
    assert rule.closed_on_holidays
    assert rule.exceptions == frozenset({date(2027, 2, 1)})


def test_exdates_from_elsewhere_stay_hand_entered_exceptions_even_on_holidays():
    notes = "休み（EXDATE）: 2027-01-11, 2027-02-01"
    [rule] = convert_schedules([{**MONDAYS, "notes": notes}]).rules
    assert not rule.closed_on_holidays
    assert rule.exceptions == frozenset({date(2027, 1, 11), date(2027, 2, 1)})


def test_second_import_changes_nothing(exported, tmp_path):
    path = write(tmp_path, exported)
    call_command("import_hsds", str(path), stdout=StringIO())
    revisions = {p.pk: p.latest_revision_id for p in all_listings()}
    stdout = StringIO()
    call_command("import_hsds", str(path), stdout=stdout)
    assert "変更なし 5 件" in stdout.getvalue()
    assert {p.pk: p.latest_revision_id for p in all_listings()} == revisions
    assert comparable(list(export_services())) == comparable(exported)


def test_an_update_is_applied_by_id(exported):
    service = copy.deepcopy(exported[0])
    service["name"] = "新しい名前"
    report = import_services([service])
    assert report.results[0].status == "updated"
    assert Page.objects.get(title="新しい名前").specific.uuid == uuid.UUID(service["id"])


def test_dry_run_writes_nothing(exported, tmp_path):
    empty_the_platform()
    stdout = StringIO()
    call_command("import_hsds", str(write(tmp_path, exported)), "--dry-run", stdout=stdout)
    assert "試行のみ" in stdout.getvalue() and "新規 5 件" in stdout.getvalue()
    assert not Member.objects.exists() and not all_listings()


def test_services_wrapper_object_is_accepted(exported, tmp_path):
    empty_the_platform()
    call_command("import_hsds", str(write(tmp_path, {"services": exported[:1]})), stdout=StringIO())
    assert len(all_listings()) == 1


def foreign_service(**overrides):
    """An HSDS record from another directory, with shapes the platform cannot keep as is."""
    service = {
        "id": str(uuid.uuid4()),
        "name": "Foreign Advice Line",
        "status": "active",
        "description": "A phone line.",
        "organization": {"id": str(uuid.uuid4()), "name": "Other Org", "description": ""},
        "contacts": [{"id": str(uuid.uuid4()), "name": "山田太郎"}],
        "attributes": [
            {
                "id": str(uuid.uuid4()),
                "taxonomy_term": {
                    "id": str(uuid.uuid4()),
                    "name": "x",
                    "description": "x",
                    "code": "no-such-slug",
                    "taxonomy": "tsunagari-category",
                },
            },
            {
                "id": str(uuid.uuid4()),
                "taxonomy_term": {
                    "id": str(uuid.uuid4()),
                    "name": "y",
                    "description": "y",
                    "taxonomy": "OpenEligibility",
                },
            },
        ],
        "service_at_locations": [
            {
                "id": str(uuid.uuid4()),
                "location": {
                    "id": str(uuid.uuid4()),
                    "location_type": "physical",
                    "name": "London office",
                    "latitude": 51.5,
                    "longitude": -0.12,
                    "addresses": [
                        {"id": str(uuid.uuid4()), "address_1": "1 Some Street", "city": "London"}
                    ],
                },
            }
        ],
        "schedules": [
            {
                "id": str(uuid.uuid4()),
                "freq": "MONTHLY",
                "bymonthday": "15",
                "description": "毎月15日",
            },
            {
                "id": str(uuid.uuid4()),
                "freq": "WEEKLY",
                "byday": "TU",
                "opens_at": "01:00Z",
                "closes_at": "03:00Z",
            },
        ],
        "languages": [{"id": str(uuid.uuid4()), "code": "xx"}],
    }
    return {**service, **overrides}


def test_foreign_record_is_imported_with_flags_and_no_personal_name():
    report = import_services([foreign_service()])
    [result] = report.results
    assert result.status == "created"
    listing = ServicePage.objects.get(title="Foreign Advice Line")
    reasons = "\n".join(result.reasons)
    assert "no-such-slug" in reasons and "OpenEligibility" in reasons
    assert "日本国内" in listing.review_notes and listing.lat is None
    assert "毎月15日" in listing.schedule_text and "bymonthday" in reasons
    assert listing.recurrences == [
        Recurrence(
            "weekly",
            weekdays=(1,),
            start_time=listing.recurrences[0].start_time,
            end_time=listing.recurrences[0].end_time,
        )
    ]
    assert listing.recurrences[0].start_time.hour == 10  # 01:00Z is 10:00 in Japan
    assert "山田" not in json.dumps(
        [listing.contact_point, listing.review_notes, listing.description]
    )
    assert "個人名" in reasons


def test_bad_records_are_skipped_with_reasons_and_the_rest_imported(tmp_path):
    good = foreign_service()
    bad = [
        "not an object",
        foreign_service(id="not-a-uuid"),
        foreign_service(name=""),
        foreign_service(organization=None, organization_id=str(uuid.uuid4())),
        foreign_service(
            attributes=[
                {
                    "id": str(uuid.uuid4()),
                    "taxonomy_term": {
                        "id": str(uuid.uuid4()),
                        "name": "e",
                        "description": "e",
                        "code": "event",
                        "taxonomy": "tsunagari-kind",
                    },
                }
            ],
            schedules=[],
        ),
        foreign_service(service_at_locations="oops", schedules=[None, 5]),
    ]
    stdout = StringIO()
    call_command("import_hsds", str(write(tmp_path, [*bad, good])), stdout=stdout)
    output = stdout.getvalue()
    assert "新規 2 件" in output and "スキップ 5 件" in output, output
    assert "UUID ではありません" in output and "名称（name）がありません" in output
    assert "開催日" in output  # the event without dates


def test_nothing_importable_exits_non_zero(tmp_path):
    with pytest.raises(CommandError, match="1件も取り込めませんでした"):
        call_command(
            "import_hsds", str(write(tmp_path, [foreign_service(id="x")])), stdout=StringIO()
        )
    assert not all_listings()


@pytest.mark.parametrize("content", ["{not json", '{"nope": 1}', '"text"'])
def test_unreadable_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.json"):
        call_command("import_hsds", str(path), stdout=StringIO())


def test_a_listing_of_another_member_is_not_moved(exported):
    service = copy.deepcopy(exported[0])
    service["organization"] = {"id": str(uuid.uuid4()), "name": "乗っ取り団体", "description": ""}
    [result] = import_services([service]).results
    assert result.status == "skipped" and "別の団体" in result.reasons[0]


def test_areas_named_later_in_the_file_are_ready_for_earlier_records(exported, tmp_path):
    empty_the_platform()
    secret = next(s for s in exported if s["name"] == "ひみつの相談室")
    place = next(s for s in exported if s["name"] == "みんなの食堂")
    secret = {**secret, "service_areas": []}  # only its 学区, whose municipality comes later
    stdout = StringIO()
    call_command("import_hsds", str(write(tmp_path, [secret, place])), stdout=stdout)
    assert "地域「架空市」（139998）を新しく登録しました" in stdout.getvalue()
    assert ServicePage.objects.get(title="ひみつの相談室").area.code == "139998-01"
    assert Area.objects.get(code="139998-01").parent.code == "139998"


def test_an_area_first_seen_without_a_name_is_named_by_a_later_record(exported, tmp_path):
    empty_the_platform()
    festival = next(s for s in exported if s["name"] == "食堂でお祭り")  # 学区 code, no name
    place = next(s for s in exported if s["name"] == "みんなの食堂")  # names the 学区
    import_services([festival, place])
    assert EventPage.objects.get(title="食堂でお祭り").area.name == "架空第一小学校区"
