"""Drafts → members, municipalities and listing pages, one savepoint per row, with a report.

Idempotent: a row's key is 「全国地方公共団体コード:ID」 (ListingPage.external_id), so importing the
same file again updates the same listings. A row whose ID is one of our listing UUIDs (our own
export) updates that listing. The row skeleton (report lines, skips, savepoints, dry run, areas)
is exchange.importing, shared with the HSDS importer.
"""

from __future__ import annotations

import csv
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from core.geo import haversine_km
from directory.listings.schedules import recurrence_to_block
from directory.membership import lifecycle
from directory.models import (
    Area,
    EventPage,
    ListingPage,
    LocationMode,
    Member,
    MemberPage,
    MemberType,
    listing_models_by_kind,
)
from directory.page_tree import add_new_page
from exchange.importing import (
    SKIPPED,
    UPDATED,
    ImportReport,
    RepeatedIds,
    RowResult,
    RowSkipped,
    VocabularyTerms,
    awaits_approval,
    find_listing,
    import_in_batches,
    listing_field_labels,
    municipality_name,
    publish_imported,
    resolve_area,
    save_row,
    unexpected_error,
    validation_messages,
)
from exchange.opendata.columns import FORMATS, Format
from exchange.opendata.reading import Row, read_table
from exchange.opendata.rows import Draft, read_row

IMPORTED, NEEDS_REVIEW = "imported", "needs_review"
UNIT = "この行"
# A swapped-back point farther than this from its municipality's centre is refused (a ward or
# town is a few km across; the largest municipalities reach about 30 km from their office).
NEIGHBOURHOOD_KM = 30
LISTING_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:tsunagari:opendata-listing")
REPORT_COLUMNS = ("row", "status", "listing_id", "reasons")
STATUS_LABELS = {
    IMPORTED: "新規",
    UPDATED: "更新",
    NEEDS_REVIEW: "要確認",
    SKIPPED: "取込せず",
}
# Organisation type from words in its name (first match wins).
MEMBER_TYPE_WORDS: list[tuple[str, str]] = [
    ("社会福祉協議会|社協", MemberType.SHAKYO),
    ("社会福祉法人", MemberType.SOCIAL_WELFARE),
    ("特定非営利活動法人|NPO", MemberType.NPO),
    ("一般社団法人|一般財団法人|公益社団法人|公益財団法人", MemberType.GENERAL_INCORPORATED),
    ("株式会社|有限会社|合同会社", MemberType.COMPANY),
    ("協同組合|生協", MemberType.COOPERATIVE),
    ("自治会|町内会|町会|地区社協", MemberType.NEIGHBOURHOOD),
    (
        "[都道府県市区町村]役所|[市区町村]役場|[都道府県市区町村].*課$|^\\S{1,8}[都道府県市区町村]$",
        MemberType.GOVERNMENT,
    ),
]


@dataclass
class OpendataReport(ImportReport):
    format: str = ""
    encoding: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    created_members: list[str] = field(default_factory=list)
    created_areas: list[str] = field(default_factory=list)

    @property
    def imported_anything(self) -> bool:
        return any(result.status != SKIPPED for result in self.results)

    def lines(self) -> list[tuple[str, str]]:
        """The report as (tone, text) lines; tone is "", "success", "warning" or "error"."""
        lines = [("", f"文字コード: {self.encoding}")]
        if self.ignored_columns:
            lines.append(("", f"読み込まなかった列: {'、'.join(self.ignored_columns)}"))
        lines += [("warning", problem) for problem in self.problems]
        for result in self.results:
            line = f"{result.row}行目 [{STATUS_LABELS[result.status]}] {result.name} {result.listing_id}"
            tone = {SKIPPED: "error", NEEDS_REVIEW: "warning"}.get(result.status, "success")
            lines.append((tone, line.rstrip()))
            lines += [("", f"    - {reason}") for reason in result.reasons]
        lines += [
            ("", f"団体を登録しました（申請中・事務局の承認後に公開）: {name}")
            for name in self.created_members
        ]
        lines += [("", f"市区町村を登録しました: {name}") for name in self.created_areas]
        counts = self.counts
        summary = "、".join(f"{STATUS_LABELS[s]} {counts[s]}件" for s in STATUS_LABELS)
        prefix = "（試行・保存していません）" if self.dry_run else ""
        lines.append(("", f"{prefix}合計 {len(self.results)}行: {summary}"))
        return lines

    def write_csv(self, handle: IO[str]) -> None:
        """The per-row report: row, status, listing_id, reasons (joined by ' / ')."""
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(REPORT_COLUMNS)
        for result in self.results:
            writer.writerow(
                [result.row, result.status, result.listing_id, " / ".join(result.reasons)]
            )


def listing_uuid(external_id: str) -> uuid.UUID:
    """The UUID of the listing a row creates, the same in every run of the same file."""
    return uuid.uuid5(LISTING_NAMESPACE, external_id)


def short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()[:12]


class OpendataImporter:
    """Import one file in one format; see `run`."""

    def __init__(
        self,
        format_slug: str,
        *,
        member: Member | None = None,
        source_name: str = "",
        draft: bool = False,
        reference: date | None = None,
    ) -> None:
        self.format: Format = FORMATS[format_slug]
        self.member = member
        self.source_name = source_name or "upload.csv"
        self.draft = draft
        self.reference = reference
        self.report = OpendataReport(format=format_slug)
        self._created_members: list[str] = []  # by the row being saved
        self._created_areas: list[str] = []
        self._batch_members: list[str] = []  # by the saved rows of the batch not yet committed
        self._batch_areas: list[str] = []
        self._repeated = RepeatedIds(unit=UNIT, ordinal="行目")
        self._owners: dict[str, Member] = {}  # member page path → its member
        self._vocabulary = VocabularyTerms()

    # -- the file --------------------------------------------------------------------------
    def run(
        self,
        data: bytes,
        *,
        dry_run: bool = False,
        progress: Callable[[Iterable[Row]], Iterable[Row]] | None = None,
    ) -> OpendataReport:
        """Import every row. `progress` wraps the row iterator (e.g. tqdm)."""
        table = read_table(data)
        self.report.encoding = table.encoding
        self.report.dry_run = dry_run
        self.report.ignored_columns = table.ignored_columns
        self.report.problems = table.problems
        if not table.headers:
            self.report.problems.append("見出し行がありません（空のファイルです）。")
        rows: Iterable[Row] = progress(table.rows) if progress else table.rows
        import_in_batches(
            rows, self.import_row, self.report, dry_run=dry_run, committed=self._committed
        )
        return self.report

    def _committed(self, results: list[RowResult]) -> None:
        """A batch is saved: what its rows created joins the report."""
        self.report.created_members.extend(self._batch_members)
        self.report.created_areas.extend(self._batch_areas)
        self._batch_members, self._batch_areas = [], []

    # -- one row ---------------------------------------------------------------------------
    def import_row(self, row: Row) -> RowResult:
        """Never raises: every failure becomes a skipped row with its reason."""
        try:
            draft = read_row(self.format, row, self.reference)
        except Exception as error:  # an unforeseen cell must not stop the file
            return RowResult(row.number, SKIPPED, reasons=[unexpected_error(error, UNIT)])
        if draft.errors:
            return RowResult(row.number, SKIPPED, name=draft.name, reasons=draft.errors)
        self._created_members, self._created_areas = [], []
        result = save_row(
            RowResult(row.number, SKIPPED, name=draft.name),
            lambda result: self._save(draft, result),
            unit=UNIT,
            invalid=lambda error: validation_messages(error, listing_field_labels()),
        )
        if result.status != SKIPPED:
            self._batch_members.extend(self._created_members)
            self._batch_areas.extend(self._created_areas)
        return result

    def _save(self, draft: Draft, result: RowResult) -> None:
        external_id = self._external_id(draft)
        named = f"ID「{draft.source_id}」" if draft.source_id else f"名称と所在地（{draft.name}）"
        self._repeated.check(external_id, result.row, named)
        municipality = self._municipality(draft)
        area = self._area(draft, municipality)
        page = self._existing(external_id, draft.source_id)
        created = page is None
        if page is None:
            parent, member = self._member_page(draft, municipality)
            model = listing_models_by_kind()[self.format.listing_kind]
            # From the source, not the run: a dry run reports the ids the real run creates.
            page = model(
                slug=f"od-{short_hash(external_id)}", live=False, uuid=listing_uuid(external_id)
            )
            page.publish_on_approval = awaits_approval(member, draft=self.draft)  # one write
        else:
            parent, member = None, self._owner(page)
        self._fill(page, draft, area, external_id)
        if parent is not None:
            add_new_page(parent, page)  # validates the new page (full_clean) as it saves
        revision = page.save_revision(clean=parent is None)
        publish_imported(page, revision, member, draft=self.draft)
        result.status = NEEDS_REVIEW if draft.review else (IMPORTED if created else UPDATED)
        result.listing_id = str(page.uuid)
        result.reasons = list(draft.review)
        if result.status == NEEDS_REVIEW:
            result.reasons.insert(0, "新規に取り込みました。" if created else "更新しました。")

    # -- where the row goes ----------------------------------------------------------------
    def _external_id(self, draft: Draft) -> str:
        """自治体コード:ID; without an ID, the name and address stand in for it."""
        key = draft.source_id or f"name-{short_hash(draft.name, draft.address)}"
        return f"{draft.code or '-'}:{key}"[:120]

    def _existing(self, external_id: str, source_id: str) -> ListingPage | None:
        found = find_listing(external_id=external_id)
        if found is None and _is_uuid(source_id):
            found = find_listing(uuid=source_id)
        if found is None:
            return None
        if self.member is not None and self._owner(found).pk != self.member.pk:
            raise RowSkipped("同じIDの掲載が別の団体の下にあるため、更新しませんでした。")
        if (found.kind == "event") != (self.format.listing_kind == "event"):
            raise RowSkipped(
                f"同じIDの掲載が別の種類（{found._meta.verbose_name}）で登録されています。"
            )
        return found

    def _owner(self, page: ListingPage) -> Member:
        """The member whose page holds `page`, read once per member page in a file."""
        path = page.path[: -page.steplen]
        if path not in self._owners:
            self._owners[path] = MemberPage.objects.select_related("member").get(path=path).member
        return self._owners[path]

    def _member_page(self, draft: Draft, municipality: Area | None) -> tuple[MemberPage, Member]:
        """Where a new listing goes: the --member, its organiser (approved or 申請中), else the
        file's own 取込用の団体. An organiser new to the PF is registered as 申請中."""
        if self.member is not None:
            return MemberPage.objects.get(member=self.member), self.member
        if draft.organiser:
            member = Member.objects.filter(name=draft.organiser).first()
            if member is None:
                member = self._new_member(
                    draft.organiser, f"od-{short_hash(draft.organiser)}", municipality
                )
            if member.status in lifecycle.IMPORTABLE:
                return lifecycle.admit_imported(member), member
            draft.review.append(
                f"団体「{member.name}」は承認されていないため、取込用の団体の下に登録しました。"
            )
        name = f"オープンデータ取込（{self.source_name}）"
        member = Member.objects.filter(slug=f"import-{short_hash(self.source_name)}").first()
        member = member or self._new_member(
            name[:120], f"import-{short_hash(self.source_name)}", municipality
        )
        return lifecycle.admit_imported(member), member

    def _new_member(self, name: str, slug: str, municipality: Area | None) -> Member:
        member = Member(
            name=name,
            slug=slug,
            member_type=_member_type(name),
            application_note=f"オープンデータ「{self.source_name}」の取込で登録しました。",
        )
        member.full_clean()
        lifecycle.apply_imported(member, source="オープンデータ取込")
        if municipality is not None:
            member.areas.add(municipality)
        self._created_members.append(name)
        return member

    def _municipality(self, draft: Draft) -> Area | None:
        """The row's municipality: by code, else by its 地方公共団体名; created when unknown."""
        name = municipality_name(draft.municipality_name)[1]
        if not (draft.code or name):
            return None
        area, created = resolve_area(draft.code, name)
        if area is None:
            draft.review.append(f"{self._unplaced(draft)}地域を設定できませんでした。")
        elif created:
            prefecture = area.parent.name if area.parent else ""
            self._created_areas.append(f"{prefecture}{area.name}（{area.code}）")
        elif draft.code and area.code != draft.code:
            draft.review.append(
                f"全国地方公共団体コード {draft.code} が未登録のため、地方公共団体名「{name}」から"
                f"{area.name}（{area.code}）としました。"
            )
        elif name and name not in area.name and area.name not in name:
            draft.review.append(
                f"全国地方公共団体コード {draft.code}（{area.name}）と地方公共団体名「{name}」が一致しません。"
            )
        if area is not None:
            self._check_point(draft, area)
        return area

    def _unplaced(self, draft: Draft) -> str:
        """Why the row's municipality is unknown, in the words of what the row does carry."""
        name = municipality_name(draft.municipality_name)[1]
        hint = "（`manage.py load_municipalities` で市区町村一覧を読み込むと見つかります）"
        if draft.code and name:
            return (
                f"市区町村（コード {draft.code}）が未登録で、地方公共団体名「{name}」にも"
                f"当たる市区町村がないため{hint}、"
            )
        if draft.code:
            return f"市区町村（コード {draft.code}）が未登録で名称も分からないため{hint}、"
        if name:
            return f"地方公共団体名「{name}」に当たる市区町村が見つからないため{hint}、"
        return "全国地方公共団体コードも地方公共団体名もないため、"

    def _check_point(self, draft: Draft, area: Area) -> None:
        """A swapped-back point far from the municipality is not where the row means: drop it."""
        municipality = area.municipality
        centre = municipality.centroid if municipality is not None else None
        if not (draft.coordinates_swapped and centre and draft.lat is not None and draft.lng):
            return
        distance = haversine_km(float(draft.lat), float(draft.lng), *centre)
        if distance > NEIGHBOURHOOD_KM:
            draft.review.append(
                f"緯度と経度を入れ替えた位置（{draft.lat}, {draft.lng}）は{municipality}の中心から"
                f"約{distance:.0f}km 離れているため、位置を取り込みませんでした（住所または地図で"
                "位置を指定してください）。"
            )
            draft.lat = draft.lng = None

    def _area(self, draft: Draft, municipality: Area | None) -> Area | None:
        if not (draft.school_district and municipality):
            return municipality
        stem = draft.school_district.removesuffix("区").removesuffix("校").removesuffix("学")
        stem = stem.removesuffix("小学").removesuffix("小")
        district = (
            Area.objects.filter(parent=municipality, name__startswith=stem)
            .exclude(level=Area.Level.MUNICIPALITY)
            .first()
        )
        return district or municipality

    # -- the listing's fields ----------------------------------------------------------------
    def _fill(self, page: ListingPage, draft: Draft, area: Area | None, external_id: str) -> None:
        page.title = draft.name
        page.kana = draft.kana
        page.summary = draft.summary
        page.description = draft.description
        page.area = area
        page.postal_code = draft.postal_code
        page.address_building = draft.address_building
        if draft.address:
            page.location_mode = LocationMode.ADDRESS
            page.address, page.lat, page.lng = draft.address, draft.lat, draft.lng
        elif area is not None:
            page.location_mode = LocationMode.CONFIDENTIAL
            page.address, page.lat, page.lng = "", None, None
            draft.review.append(
                "住所がないため、地域（市区町村・学区）だけを表示する設定で取り込みました。"
            )
        else:
            raise RowSkipped(f"住所がなく、{self._unplaced(draft)}場所を決められません。")
        # Raw stream data ({"type", "value"}), so Wagtail converts times and dates on assignment.
        blocks = (recurrence_to_block(rule) for rule in draft.rules)
        page.schedule = [{"type": kind, "value": value} for kind, value in blocks]
        page.schedule_text = draft.schedule_text
        page.cost_type = draft.cost_type
        page.cost_text = draft.cost_text
        page.capacity = draft.capacity
        page.age_min, page.age_max = draft.age_min, draft.age_max
        page.how_to_join = draft.how_to_join
        page.accessibility = draft.accessibility
        page.contact_point = draft.contact_point
        page.phone = draft.phone
        page.email = draft.email
        page.website = draft.website
        page.external_id = external_id
        if isinstance(page, EventPage):
            page.registration_deadline = self._deadline(page, draft)
        for attribute, scheme in (
            ("categories", "category"),
            ("targets", "target"),
            ("conditions", "condition"),
        ):
            slugs = getattr(draft, attribute)
            getattr(page, attribute).set(self._vocabulary.terms(scheme, slugs))
        page.keywords.set([draft.school_district] if draft.school_district else [])
        page.review_notes = "\n".join(f"・{note}" for note in draft.review)

    def _deadline(self, page: EventPage, draft: Draft) -> date | None:
        upcoming = page.next_occurrences(count=1)
        deadline = draft.registration_deadline
        if deadline and upcoming and deadline > upcoming[0].day:
            draft.review.append(
                f"参加申込終了日 {deadline} が開催日より後のため、使いませんでした。"
            )
            return None
        return deadline


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _member_type(name: str) -> str:
    for words, member_type in MEMBER_TYPE_WORDS:
        if re.search(words, name):
            return member_type
    return MemberType.VOLUNTARY
