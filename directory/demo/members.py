"""The demo's member organisations (members.yaml), approved through the lifecycle."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from directory.demo.base import (
    DemoDataError,
    DemoResult,
    Lookup,
    member_uuid,
)
from directory.membership.lifecycle import approve_member
from directory.models import (
    Member,
    MemberPage,
    MemberStatus,
)

MEMBER_FIELDS = (
    "name",
    "kana",
    "member_type",
    "role",
    "description",
    "contact_point",
    "phone",
    "email",
    "website",
    "address",
)
MEMBER_RELATIONS = ("fields", "targets", "areas", "offers", "looks_for")


# -- members ---------------------------------------------------------------------------------
def load_members(rows: list[dict[str, Any]], lookup: Lookup, result: DemoResult) -> None:
    for row in rows:
        try:
            lookup.members[row["slug"]] = _sync_member(row, lookup, result)
        except (DemoDataError, ValidationError, KeyError) as error:
            raise DemoDataError(f"members.yaml: {row.get('slug', '?')}: {error}") from error


def _sync_member(row: dict[str, Any], lookup: Lookup, result: DemoResult) -> Member:
    values = {
        "name": row["name"],
        "kana": row["kana"],
        "member_type": row["type"],
        "role": row.get("role", "general"),
        "description": row["description"].strip(),
        "contact_point": row.get("contact_point", ""),
        "phone": row["phone"],
        "email": row["email"],
        "website": row.get("website", ""),
        "address": row.get("address", ""),
    }
    relations: dict[str, list[Any]] = {
        "fields": lookup.vocabulary("category", row.get("fields")),
        "targets": lookup.vocabulary("target", row.get("targets")),
        "areas": [lookup.area(key) for key in row.get("areas") or ["city"]],
        "offers": lookup.vocabulary("offer", row.get("offers")),
        "looks_for": lookup.vocabulary("offer", row.get("looks_for")),
    }
    member = Member.objects.filter(slug=row["slug"]).first()
    if member is None:
        member = Member(slug=row["slug"], uuid=member_uuid(row["slug"]), **values)
        member.full_clean()
        member.save()
        result.created["member"] += 1
    elif any(getattr(member, k) != v for k, v in values.items()) or any(
        set(getattr(member, k).all()) != set(v) for k, v in relations.items()
    ):
        for key, value in values.items():
            setattr(member, key, value)
        member.full_clean()
        member.save()
        result.updated["member"] += 1
    else:
        result.unchanged["member"] += 1
    for key, value in relations.items():
        if set(getattr(member, key).all()) != set(value):
            getattr(member, key).set(value)
    if (
        member.status != MemberStatus.APPROVED
        or not MemberPage.objects.filter(member=member).exists()
    ):
        approve_member(member)
    return member
