"""A corpus of listings covering every shape the HSDS/iCal exchange has to carry.

`exchange_corpus()` builds: an address place with every optional field and three kinds of rule,
a confidential service that can also be joined online, an online-only event with dates and a
deadline, an event held at a 居場所 venue, a text-only schedule, plus things that must NOT be
exported (a draft listing and a listing of a suspended member).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from functools import cache
from typing import Any

import jsonschema

from directory.listings.schedules import Recurrence
from directory.models import (
    Area,
    CostType,
    EventPage,
    ListingStatus,
    LocationMode,
    Member,
    MemberStatus,
    MemberType,
    PlacePage,
    ServicePage,
)
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    MunicipalityFactory,
    PlacePageFactory,
    ServicePageFactory,
)
from tests.reference import REFERENCE_DIR, reference_path

# Open Referral's compiled service schemas, read where they are (never copied into the project).
SCHEMA_DIR = REFERENCE_DIR / "hsds"
SERVICE_SCHEMAS = {
    "3.0": ("schema", "compiled", "service_with_definitions.json"),
    "3.1-dev": ("3.1-dev", "schema", "compiled", "service_with_definitions.json"),
}


@dataclass
class Corpus:
    member: Member
    other_member: Member
    district: Area
    place: PlacePage
    confidential: ServicePage
    online_event: EventPage
    venue_event: EventPage
    text_only: ServicePage
    draft: PlacePage
    hidden: PlacePage

    @property
    def exported(self) -> list[Any]:
        return [self.place, self.confidential, self.online_event, self.venue_event, self.text_only]


def exchange_corpus() -> Corpus:
    # A valid (fictional) code under 東京都, so an import can recreate it in an empty platform.
    municipality = MunicipalityFactory(code="139998", name="架空市")
    district = AreaFactory(
        code=f"{municipality.code}-01", name="架空第一小学校区", parent=municipality
    )
    member = MemberFactory(
        name="架空こども支援ネット",
        kana="かくうこどもしえんねっと",
        description="地域の子どもと家族を支える NPO です。",
        email="info@example.org",
        website="https://example.org/",
        corporate_number=_corporate_number("101040500999"),
        member_type=MemberType.NPO,
    )
    other = MemberFactory(name="架空市社会福祉協議会", member_type=MemberType.SHAKYO)
    place = PlacePageFactory(
        member=member,
        title="みんなの食堂",
        kana="みんなのしょくどう",
        summary="だれでも一緒にごはんを食べられます。",
        description="毎週の食堂と、月2回の学習会をしています。",
        categories=["kodomo-shokudo", "study-support"],
        targets=["anyone"],
        area=district,
        postal_code="999-0001",
        address="架空市中央1-2-3",
        address_building="中央会館2階",
        lat=Decimal("35.681236"),
        lng=Decimal("139.767125"),
        service_areas=[municipality, district],
        accepts_outside_area=True,
        schedule=[
            Recurrence(
                "weekly",
                weekdays=(0, 2),
                start_time=time(17),
                end_time=time(19),
                exceptions=frozenset({date(2026, 1, 5)}),
            ),
            Recurrence(
                "monthly",
                weekdays=(5,),
                nths=(2, 4),
                start_time=time(10),
                end_time=time(12),
                valid_from=date(2025, 4, 1),
                valid_until=date(2027, 3, 31),
            ),
            Recurrence(
                "weekly", weekdays=(4,), interval=2, start_time=time(15), closed_on_holidays=True
            ),
        ],
        schedule_text="毎週月・水 17:00〜19:00、第2・第4土曜 10:00〜12:00",
        cost_type=CostType.PAID,
        cost_text="子ども無料、大人300円",
        capacity=30,
        how_to_join="当日そのままお越しください。",
        accessibility="車いすで入れます。多目的トイレがあります。",
        languages=["ja", "easy-ja", "jsl"],
        contact_point="食堂係",
        phone="099-000-0001",
        email="shokudo@example.org",
        website="https://example.org/shokudo",
        last_verified=date(2025, 10, 1),
    )
    confidential = ServicePageFactory(
        member=member,
        title="ひみつの相談室",
        summary="安心して話せる相談の場です。",
        categories=["consultation"],
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=district,
        service_areas=[municipality],
        online_available=True,
        online_url="https://example.org/online",
        status=ListingStatus.PAUSED,
        cost_type=CostType.FREE,
        schedule=[Recurrence("monthly", weekdays=(4,), nths=(-1,), start_time=time(18))],
    )
    online_event = EventPageFactory(
        member=other,
        title="オンライン講座",
        summary="おうちから参加できる講座です。",
        location_mode=LocationMode.ONLINE,
        address="",
        lat=None,
        lng=None,
        online_url="https://example.org/zoom",
        schedule=[
            Recurrence(
                "dates",
                dates=(date(2026, 5, 9), date(2026, 6, 13)),
                start_time=time(13, 30),
                end_time=time(15),
            )
        ],
        registration_deadline=date(2026, 5, 1),
        capacity=20,
        status=ListingStatus.ENDED,
    )
    venue_event = EventPageFactory(
        member=member,
        title="食堂でお祭り",
        summary="みんなの食堂で夏祭りをします。",
        address="",
        lat=None,
        lng=None,
        venue=place,
        schedule=[Recurrence("dates", dates=(date(2026, 8, 1),))],
    )
    text_only = ServicePageFactory(
        member=other,
        title="電話相談",
        summary="困りごとを電話で相談できます。",
        schedule_text="平日の日中（祝日を除く）。詳しくはお問い合わせください。",
    )
    draft = PlacePageFactory(member=member, title="下書きの居場所", live=False)
    suspended = MemberFactory(name="停止中の団体")
    hidden = PlacePageFactory(member=suspended, title="停止中団体の居場所")
    suspended.status = MemberStatus.SUSPENDED
    suspended.save()
    return Corpus(
        member,
        other,
        district,
        place,
        confidential,
        online_event,
        venue_event,
        text_only,
        draft,
        hidden,
    )


def _corporate_number(body: str) -> str:
    from directory.listings.validators import corporate_number_check_digit

    return f"{corporate_number_check_digit(body)}{body}"


def _strict(node: Any) -> Any:
    """additionalProperties: false on every object, as the HSDS CI validates examples."""
    if isinstance(node, dict):
        node = {key: _strict(value) for key, value in node.items()}
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_strict(value) for value in node]
    return node


@cache
def service_validators() -> tuple[jsonschema.protocols.Validator, ...]:
    """Strict validators for HSDS 3.0 and the 3.1 development schema (with format checks).

    Skips the calling test where ../shared/reference/hsds/ is absent.
    """
    found = []
    for parts in SERVICE_SCHEMAS.values():
        schema = _strict(json.loads(reference_path("hsds", *parts).read_text(encoding="utf-8")))
        cls = jsonschema.validators.validator_for(schema)
        found.append(cls(schema, format_checker=cls.FORMAT_CHECKER))
    return tuple(found)


def hsds_errors(service: dict[str, Any]) -> list[str]:
    """Every schema error of one service object, as readable strings (empty when valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for validator in service_validators()
        for error in validator.iter_errors(service)
    ]
