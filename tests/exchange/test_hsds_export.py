"""export_hsds: every public listing as an HSDS service that validates against the schemas."""

import json
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from directory.listings.schedules import (
    HORIZON_DAYS,
    JST,
    Recurrence,
    holidays_hit,
    recurrence_to_block,
)
from exchange.hsds.export import (
    export_services,
    taxonomy_term_id,
)
from exchange.hsds.schedules import HOLIDAY_MARK, HOLIDAY_NOTE
from exchange.rrule import HOLIDAY_LOOKBACK
from tests.factories.hsds import exchange_corpus, hsds_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return exchange_corpus()


@pytest.fixture
def exported(corpus):
    return {service["id"]: service for service in export_services()}


def test_only_public_listings_of_approved_members_are_exported(corpus, exported):
    assert set(exported) == {str(listing.uuid) for listing in corpus.exported}


def test_every_exported_service_validates_against_hsds_3_0_and_3_1(exported):
    for service in exported.values():
        assert hsds_errors(service) == [], service["name"]


def test_schema_check_catches_a_wrong_field(exported):
    service = next(iter(exported.values()))
    assert hsds_errors({**service, "nmae": "typo"})
    assert hsds_errors({**service, "status": "open"})


def test_place_carries_every_field(corpus, exported):
    place = corpus.place
    service = exported[str(place.uuid)]
    assert service["organization"]["id"] == str(corpus.member.uuid)
    assert service["organization"]["organization_identifiers"][0]["identifier_scheme"] == "JP-JCN"
    assert service["alternate_name"] == "みんなのしょくどう"
    assert service["description"].startswith("だれでも一緒にごはんを食べられます。\n\n毎週")
    assert service["assured_date"] == "2025-10-01"
    assert service["fees_description"] == "子ども無料、大人300円"
    assert service["cost_options"][0]["option"] == "有料"
    assert "定員: 30名" in service["application_process"]
    assert [lang["code"] for lang in service["languages"]] == ["ja", "ja-x-easy", "jsl"]
    assert service["phones"][0]["number"] == "099-000-0001"
    assert service["contacts"][0]["department"] == "食堂係"
    [location] = [sal["location"] for sal in service["service_at_locations"]]
    assert (location["latitude"], location["longitude"]) == (35.681236, 139.767125)
    address = location["addresses"][0]
    assert (
        address["address_1"],
        address["address_2"],
        address["city"],
        address["state_province"],
    ) == (
        "架空市中央1-2-3",
        "中央会館2階",
        "架空市",
        "東京都",
    )
    assert location["accessibility"][0]["description"].startswith("車いす")
    assert location["external_identifier"] == corpus.district.code
    uris = [area["uri"] for area in service["service_areas"]]
    assert f"urn:tsunagari:area:{corpus.district.code}" in uris
    assert "urn:tsunagari:outside-area-ok" in uris


def test_schedules_use_rrule_fields_and_keep_the_japanese_text(corpus, exported):
    schedules = exported[str(corpus.place.uuid)]["schedules"]
    weekly, monthly, biweekly = schedules
    assert (weekly["freq"], weekly["byday"], weekly["wkst"]) == ("WEEKLY", "MO,WE", "MO")
    assert (weekly["opens_at"], weekly["closes_at"]) == ("17:00+09:00", "19:00+09:00")
    assert weekly["notes"] == "休み（EXDATE）: 2026-01-05"
    assert (monthly["freq"], monthly["byday"]) == ("MONTHLY", "2SA,4SA")
    assert (monthly["valid_from"], monthly["valid_to"], monthly["until"]) == (
        "2025-04-01",
        "2027-03-31",
        "2027-03-31",
    )
    assert monthly["dtstart"] == "2025-04-12"
    assert (biweekly["interval"], biweekly["dtstart"]) == (2, "2024-01-05")
    assert {s["description"] for s in schedules} == {corpus.place.schedule_text}


def test_rule_closed_on_holidays_says_so_and_lists_the_holidays_it_skips(corpus, exported):
    biweekly = exported[str(corpus.place.uuid)]["schedules"][2]
    rule = corpus.place.recurrences[2]
    today = datetime.now(JST).date()
    skipped = holidays_hit(rule, today - HOLIDAY_LOOKBACK, today + timedelta(HORIZON_DAYS))
    assert biweekly["notes"] == HOLIDAY_NOTE + (
        "休み（EXDATE）: " + ", ".join(d.isoformat() for d in skipped) if skipped else ""
    )
    assert HOLIDAY_MARK in HOLIDAY_NOTE and "EXDATE" not in HOLIDAY_NOTE


def test_dates_closed_on_holidays_export_only_the_days_that_are_sessions(corpus):
    corpus.venue_event.schedule = [
        dict(
            zip(
                ("type", "value"),
                recurrence_to_block(
                    Recurrence(
                        "dates",
                        dates=(date(2027, 1, 10), date(2027, 1, 11)),
                        closed_on_holidays=True,
                    )
                ),
                strict=True,
            )
        )
    ]
    corpus.venue_event.save_revision().publish()
    service = next(s for s in export_services() if s["id"] == str(corpus.venue_event.uuid))
    assert [s["dtstart"] for s in service["schedules"]] == ["2027-01-10"]


def test_dates_become_one_schedule_each_and_text_only_is_kept(corpus, exported):
    dates = exported[str(corpus.online_event.uuid)]["schedules"]
    assert [(s["dtstart"], s["valid_to"], s.get("freq")) for s in dates] == [
        ("2026-05-09", "2026-05-09", None),
        ("2026-06-13", "2026-06-13", None),
    ]
    assert dates[0]["description"] == "5月9日、6月13日 13:30〜15:00"
    [text] = exported[str(corpus.text_only.uuid)]["schedules"]
    assert text["description"].startswith("平日の日中") and "freq" not in text


def test_confidential_location_has_no_address_or_point(corpus, exported):
    service = exported[str(corpus.confidential.uuid)]
    physical, virtual = (sal["location"] for sal in service["service_at_locations"])
    assert "addresses" not in physical and "latitude" not in physical
    assert physical["name"] == "架空第一小学校区"
    assert "架空市中央" not in json.dumps(service, ensure_ascii=False)
    assert (virtual["location_type"], virtual["url"]) == ("virtual", "https://example.org/online")
    assert service["status"] == "temporarily closed"


def test_online_event_and_venue_event(corpus, exported):
    online = exported[str(corpus.online_event.uuid)]
    assert [sal["location"]["location_type"] for sal in online["service_at_locations"]] == [
        "virtual"
    ]
    assert online["status"] == "defunct"
    assert "申込締切: 2026-05-01" in online["application_process"]
    venue = exported[str(corpus.venue_event.uuid)]
    location = venue["service_at_locations"][0]["location"]
    assert location["addresses"][0]["address_1"] == "架空市中央1-2-3"
    assert (location["latitude"], location["longitude"]) == (35.681236, 139.767125)


def test_vocabulary_is_attributes_with_tsunagari_taxonomies(corpus, exported):
    attributes = exported[str(corpus.place.uuid)]["attributes"]
    pairs = [(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]) for a in attributes]
    assert pairs[0] == ("tsunagari-kind", "place")
    assert ("tsunagari-category", "kodomo-shokudo") in pairs
    assert ("tsunagari-target", "anyone") in pairs
    assert attributes[1]["taxonomy_term_id"] == taxonomy_term_id(
        "category", attributes[1]["taxonomy_term"]["code"]
    )


def test_export_is_stable_between_runs(corpus):
    assert list(export_services()) == list(export_services())


def test_command_writes_a_json_array(corpus, tmp_path):
    out = tmp_path / "hsds.json"
    stderr = StringIO()
    call_command("export_hsds", "--out", str(out), stderr=stderr)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data) == 5 and "5 件" in stderr.getvalue()
    stdout = StringIO()
    call_command("export_hsds", stdout=stdout)
    assert json.loads(stdout.getvalue()) == data
