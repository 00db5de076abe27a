"""Saving one HSDS service record: a member (if new) and a published listing, ids kept.

The values come from exchange.hsds.reading; the file around the records is
exchange.hsds.importer. A listing never moves from one member to another.
"""

from __future__ import annotations

import uuid
from typing import Any

from directory.listings.location import public_location
from directory.membership import lifecycle
from directory.models import (
    ListingPage,
    Member,
    Scheme,
    ServicePage,
    listing_models_by_kind,
)
from directory.page_tree import add_new_page
from exchange.hsds.reading import RecordReader, clean_text, parse_uuid
from exchange.hsds.selection import LISTING_VOCABULARY
from exchange.importing import (
    UPDATED,
    RowResult,
    RowSkipped,
    VocabularyTerms,
    awaits_approval,
    find_listing,
    publish_imported,
    publishes,
)

CREATED = "created"
LOCATION_FIELDS = (
    "location_mode",
    "area",
    "postal_code",
    "address",
    "address_building",
    "lat",
    "lng",
)


class ServiceImporter(RecordReader):
    """Turns one HSDS service object into a member (if new, 申請中) and its listing.

    The listing is published as exchange.importing.publish_imported says: now for an approved
    member, at the 事務局's approval for an applicant, never with `draft`.
    """

    def __init__(
        self,
        record: Any,
        result: RowResult,
        *,
        draft: bool = False,
        terms: VocabularyTerms | None = None,
    ) -> None:
        super().__init__(record, result, terms=terms)
        self.draft = draft

    def run(self) -> None:
        service_uuid = parse_uuid(self.record.get("id"), "サービス（service）")
        name = clean_text(self.record.get("name"), 255)
        if not name:
            raise RowSkipped("名称（name）がありません。")
        member = self.member()
        parent = lifecycle.admit_imported(member)
        vocabulary = self.vocabulary()
        self.areas, self.outside_ok = self.service_areas()
        kind = (vocabulary.pop(Scheme.KIND.value, None) or ["service"])[0]
        model = listing_models_by_kind().get(kind, ServicePage)
        listing = find_listing(uuid=service_uuid)
        if listing is not None:
            if listing.get_parent().pk != parent.pk:
                raise RowSkipped(
                    "この id の掲載は別の団体のものです。団体をまたいで移すことはできません。"
                )
            if not isinstance(listing, model):
                self.note(
                    f"種類（{kind}）は既存の掲載の種類から変更できないため、そのままにしました。"
                )
        else:
            listing = model(uuid=service_uuid, live=False)  # publish_imported decides
            listing.publish_on_approval = awaits_approval(member, draft=self.draft)  # one write
        values = {"title": name, **self.listing_values(listing)}
        if listing.pk is not None and _as_published(listing, values):
            # What we publish for it now (an event's venue, a widened area): nothing to change.
            for key in LOCATION_FIELDS:
                values.pop(key)
        fields_changed = [key for key, value in values.items() if self.differs(listing, key, value)]
        for key in fields_changed:
            setattr(listing, key, values[key])
        relations_changed = self.set_relations(listing, vocabulary)
        notes = _review_notes(
            listing, self.notes, changed=bool(fields_changed or relations_changed)
        )
        if listing.review_notes != notes:
            listing.review_notes = notes
            fields_changed.append("review_notes")
        self.result.reasons = list(self.notes)
        source = self.source()
        unpublished = publishes(member, draft=self.draft) and not listing.live
        waiting = awaits_approval(member, draft=self.draft) != listing.publish_on_approval
        if listing.pk is None or fields_changed or relations_changed or unpublished or waiting:
            listing.hsds_source = source
            if listing.pk is None:
                add_new_page(parent, listing)
                self.result.status = CREATED
            else:
                self.result.status = UPDATED
            revision = listing.save_revision(log_action=False)
            publish_imported(listing, revision, member, draft=self.draft)
            _keep_source(listing, source, revision.pk)
        else:
            self.result.unchanged = True
            self.result.reasons.insert(0, "変更なし")
            _keep_source(listing, source, listing.live_revision_id)

    def member(self) -> Member:
        organization = self.record.get("organization")
        org_id = (organization or {}).get("id") if isinstance(organization, dict) else None
        org_uuid = parse_uuid(org_id or self.record.get("organization_id"), "団体（organization）")
        member = Member.objects.filter(uuid=org_uuid).first()
        if not isinstance(organization, dict):
            if member is None:
                raise RowSkipped("団体（organization）の情報がなく、既存の会員団体でもありません。")
            return member
        values = self.member_values(organization)
        if member is None:
            member = Member(uuid=org_uuid, slug=_member_slug(org_uuid), **values)
            member.full_clean(exclude=["slug"])
            lifecycle.apply_imported(member, source="HSDS 取込")
            return member
        changed = [key for key, value in values.items() if getattr(member, key) != value]
        for key in changed:
            setattr(member, key, values[key])
        if changed:
            member.full_clean()
            member.save()
        return member

    def differs(self, listing: ListingPage, key: str, value: Any) -> bool:
        if key == "schedule":
            return listing.pk is None or listing.recurrences != self.rules
        return getattr(listing, key) != value

    def set_relations(self, listing: ListingPage, vocabulary: dict[str, list[str]]) -> bool:
        """Vocabulary and service areas; True when any of them changed."""
        changed = False
        for scheme, attribute in LISTING_VOCABULARY.items():
            terms = self.terms.terms(scheme, vocabulary.get(scheme, []))
            changed |= _set_m2m(listing, attribute, terms)
        changed |= _set_m2m(listing, "service_areas", self.areas)
        if listing.accepts_outside_area != self.outside_ok:
            listing.accepts_outside_area = self.outside_ok
            changed = True
        return changed


def _review_notes(listing: ListingPage, notes: list[str], *, changed: bool) -> str:
    """What the member is asked to check after this import.

    New or changed data gets this reading's notes. Unchanged data keeps the notes it has
    (they are about what an earlier file held, e.g. what our own export no longer carries)
    and gains only notes not yet among them, so notes it already has never make it 「更新」.
    """
    if listing.pk is None or changed:
        return "\n".join(notes)
    kept = set(listing.review_notes.splitlines())
    new = [note for note in notes if not kept.issuperset(note.splitlines())]
    return "\n".join(filter(None, [listing.review_notes, *new]))


def _keep_source(listing: ListingPage, source: dict[str, Any], revision: int | None) -> None:
    """The imported ids and last_modified, tied to the revision that published them.

    Written beside the revision (not as an edit): the export writes this last_modified while
    that revision is live, and the listing's own publication time once someone edits it.
    """
    kept = {**source, "revision": revision}
    if listing.hsds_source != kept:
        type(listing).objects.filter(pk=listing.pk).update(hsds_source=kept)
        listing.hsds_source = kept


def _as_published(listing: ListingPage, values: dict[str, Any]) -> bool:
    """The incoming place is the one the listing publishes (public_location), as exported."""
    place = public_location(listing)
    point = (values["lat"], values["lng"]) if values["lat"] is not None else None
    published = tuple(map(float, place.point)) if place.point else None
    return (
        place.mode,
        place.area,
        place.postal_code,
        place.address,
        place.building,
        published,
    ) == (
        values["location_mode"],
        values["area"],
        values["postal_code"],
        values["address"],
        values["address_building"],
        tuple(map(float, point)) if point else None,
    )


def _set_m2m(listing: ListingPage, attribute: str, objects: list[Any]) -> bool:
    manager = getattr(listing, attribute)
    before = {obj.pk for obj in manager.all()} if listing.pk else set()
    if before == {obj.pk for obj in objects}:
        return False
    manager.set(objects)
    return True


def _member_slug(org_uuid: uuid.UUID) -> str:
    """An ASCII slug for /members/<slug>/ derived from the organisation id (stable, unique)."""
    for length in (8, 12, 32):
        slug = f"org-{org_uuid.hex[:length]}"
        if not Member.objects.filter(slug=slug).exists():
            return slug
    raise RowSkipped("団体の URL 名を決められませんでした。")
