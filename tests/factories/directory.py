"""Factories for members, areas and listings. Vocabulary comes from the migrated fixture.

Listings take vocabulary as slug lists: `PlacePageFactory(categories=["salon"], targets=["anyone"])`.
Schedules take Recurrence objects: `schedule=[Recurrence("weekly", weekdays=(2,))]`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Page

from directory.listings.schedules import Recurrence, recurrence_to_block
from directory.listings.validators import local_government_check_digit
from directory.membership.lifecycle import approve_member
from directory.models import (
    Area,
    EventPage,
    ListingStatus,
    LocationMode,
    Member,
    MemberPage,
    MemberStatus,
    MemberType,
    PlacePage,
    ServicePage,
    VocabularyTerm,
)

VOCABULARY_SCHEMES = {"categories": "category", "targets": "target", "conditions": "condition"}


def terms(scheme: str, slugs: list[str]) -> list[VocabularyTerm]:
    found = list(VocabularyTerm.objects.filter(scheme=scheme, slug__in=slugs))
    missing = set(slugs) - {t.slug for t in found}
    if missing:
        raise ValueError(f"unknown {scheme} slugs: {sorted(missing)}")
    return found


def municipality_code(n: int) -> str:
    body = f"99{n:03d}"
    return body + str(local_government_check_digit(body))


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"999990-{n:03d}")
    name = factory.Sequence(lambda n: f"テスト{n}小学校区")
    level = Area.Level.SCHOOL_DISTRICT
    parent = factory.LazyFunction(lambda: MunicipalityFactory())
    centroid_lat = Decimal("35.700000")
    centroid_lng = Decimal("139.700000")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = municipality_code(990)
    name = "架空市"
    level = Area.Level.MUNICIPALITY
    parent = factory.LazyFunction(lambda: Area.objects.get(code="130001"))
    centroid_lat = Decimal("35.700000")
    centroid_lng = Decimal("139.700000")


class MemberFactory(factory.django.DjangoModelFactory):
    """An approved member with its page, group and collection (pass status= to skip that)."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"テスト団体{n}")
    kana = factory.Sequence(lambda n: f"てすとだんたい{n}")
    slug = factory.Sequence(lambda n: f"member-{n}")
    member_type = MemberType.NPO
    status = MemberStatus.APPROVED
    phone = "03-0000-0000"

    @factory.post_generation
    def provision(obj: Member, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and obj.status == MemberStatus.APPROVED:
            approve_member(obj)


def member_page_for(member: Member | None) -> MemberPage:
    member = member or MemberFactory()
    return MemberPage.objects.get(member=member)


class EditorFactory(factory.django.DjangoModelFactory):
    """A member editor: `EditorFactory(member=member)`."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"editor{n}")
    email = factory.Sequence(lambda n: f"editor{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def member(obj: Any, create: bool, extracted: Member | None, **kwargs: Any) -> None:
        if extracted is not None:
            obj.groups.add(extracted.group)
        obj.save()


class ListingFactory(factory.django.DjangoModelFactory):
    """Base for the three listing factories; adds the page under its member's page."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"テスト掲載{n}")
    summary = "だれでも気軽に立ち寄れる場所です。"
    location_mode = LocationMode.ADDRESS
    address = "架空市中央1丁目"
    lat = Decimal("35.700000")
    lng = Decimal("139.700000")
    status = ListingStatus.ACTIVE

    @classmethod
    def _create(cls, model_class: type[Page], *args: Any, **kwargs: Any) -> Page:
        member = kwargs.pop("member", None)
        parent = kwargs.pop("parent", None) or member_page_for(member)
        vocab = {key: kwargs.pop(key, None) for key in ("categories", "targets", "conditions")}
        keywords = kwargs.pop("keywords", None)
        schedule = kwargs.pop("schedule", None)
        live = kwargs.pop("live", True)
        service_areas = kwargs.pop("service_areas", None)
        if schedule is not None:
            # Raw {"type", "value"} dicts, so StreamField converts dates and times to Python.
            kwargs["schedule"] = [
                dict(zip(("type", "value"), recurrence_to_block(rule), strict=True))
                for rule in schedule
            ]
        page = model_class(live=live, **kwargs)
        for key, slugs in vocab.items():
            if slugs:
                getattr(page, key).set(terms(VOCABULARY_SCHEMES[key], slugs))
        if keywords:
            page.keywords.add(*keywords)
        if service_areas:
            page.service_areas.set(service_areas)
        parent.add_child(instance=page)
        page.save_revision(log_action=False)
        return page


class PlacePageFactory(ListingFactory):
    class Meta:
        model = PlacePage


class ServicePageFactory(ListingFactory):
    class Meta:
        model = ServicePage


class EventPageFactory(ListingFactory):
    class Meta:
        model = EventPage

    schedule = factory.LazyFunction(lambda: [Recurrence("weekly", weekdays=(2,))])
