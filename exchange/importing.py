"""The skeleton both importers share (open-data CSV rows, HSDS service records).

One rule for each step of "a file becomes pages": a report line per row, a reason for every
row that is skipped, model errors as readable messages, one savepoint per row so one bad row
never stops the file, a dry run as one transaction rolled back at the end, areas found or
created from their 全国地方公共団体コード, and listings found across every listing model.
The importers keep only what their formats need (columns and drafts, HSDS objects).

Admission (docs/data-exchange.md, 「取込と団体の承認」): an organisation an import registers is
申請中 and what is imported for it waits, unpublished, for the 事務局's approval
(publish_imported); --draft publishes nothing. An id repeated within one file is reported on
its row and not applied (RepeatedIds).

Speed and resuming (docs/data-exchange.md): a real run commits every BATCH_ROWS rows, and a
row enters the report only once its batch has committed, so a crash midway loses nothing the
report called imported and a re-run carries on. Within a batch, the per-save index work Wagtail
enqueues (its reference index and admin search, through django-tasks) and the public search
sync are collected and done once at the batch's end, inside its transaction.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models import Value
from django.db.models.signals import post_save
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from modelsearch import index as modelsearch_index
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler as modelsearch_on_save
from tqdm import tqdm
from wagtail.models import ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

from directory.membership.lifecycle import TransitionRefused, check_importable
from directory.models import (
    Area,
    ListingPage,
    Member,
    MemberStatus,
    VocabularyTerm,
    listing_page_models,
)
from exchange.municipalities import area_name, hiragana
from exchange.opendata.normalise import prefecture_code
from search import indexing

logger = logging.getLogger(__name__)
UPDATED, SKIPPED = "updated", "skipped"
# Rows per committed batch: large enough that the per-batch index work is shared, small enough
# that a crash loses little and the progress bar moves.
BATCH_ROWS = 100
Item = TypeVar("Item")


@dataclass
class RowResult:
    """One line of an import report: a CSV row or an HSDS record, by its number in the file."""

    row: int
    status: str
    listing_id: str = ""
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    unchanged: bool = False  # skipped because the listing already matches the row


@dataclass
class ImportReport:
    """What happened to every row of one file."""

    results: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> Counter[str]:
        return Counter(result.status for result in self.results)

    def count(self, status: str) -> int:
        return self.counts[status]


class ImportInterrupted(Exception):
    """The file stopped midway (an error outside any row, Ctrl-C): the batch in progress is
    rolled back; `report` holds the rows committed before it, `row` the first row not saved."""

    def __init__(self, report: ImportReport, row: int, cause: BaseException) -> None:
        super().__init__(f"row {row}: {type(cause).__name__}")
        self.report, self.row, self.cause = report, row, cause

    def message(self) -> str:
        done = len(self.report.results)
        return (
            f"{self.row}行目で中断しました（{type(self.cause).__name__}）。それより前の{done}行は"
            "保存済みです。同じファイルをもう一度取り込むと、保存済みの行は更新（変更なし）として"
            "扱われ、続きから取り込まれます。"
        )


class RowSkipped(Exception):
    """A row that cannot be imported; the message is the Japanese reason shown in the report."""


def validation_messages(
    error: ValidationError, labels: Mapping[str, str] | None = None
) -> list[str]:
    """One "field: message" per model error, the field named by `labels` (else by its name)."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    labels = labels or {}
    return [
        f"{labels.get(name, name)}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def listing_field_labels() -> dict[str, str]:
    """The Japanese label of every listing field, for messages people read (「緯度: …」)."""
    labels = {
        f.name: str(getattr(f, "verbose_name", f.name)) for f in ListingPage._meta.get_fields()
    }
    labels["__all__"] = "入力内容"
    return labels


def unexpected_error(error: Exception, unit: str) -> str:
    """The class name only: an exception's message may echo what the file contains."""
    return f"{unit}を保存できませんでした（{type(error).__name__}）。"


def save_row(
    result: RowResult,
    save: Callable[[RowResult], None],
    *,
    unit: str,
    invalid: Callable[[ValidationError], list[str]],
) -> RowResult:
    """Run `save` in its own savepoint; any failure rolls the row back and skips it.

    The failure's reason comes first, followed by the notes `save` had already put on the
    result. Never raises: one row must not stop the rest of the file.
    """
    try:
        with transaction.atomic():
            save(result)
    except (RowSkipped, TransitionRefused) as error:  # our own Japanese messages
        reasons = [str(error)]
    except ValidationError as error:
        reasons = invalid(error)
    except Exception as error:
        reasons = [unexpected_error(error, unit)]
    else:
        return result
    result.status, result.reasons = SKIPPED, [*reasons, *result.reasons]
    return result


def import_in_batches(
    items: Iterable[Item],
    import_one: Callable[[Item], RowResult],
    report: ImportReport,
    *,
    dry_run: bool,
    committed: Callable[[list[RowResult]], None] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> None:
    """Import `items` BATCH_ROWS at a time, each batch one transaction, then report it.

    `committed` is called with a batch's results once it is saved (to move what the rows
    created into the report); then the results join `report`. A dry run is one transaction
    rolled back at the end, as `file_transaction`. Anything that escapes a row (save_row keeps
    row errors in the row) rolls back the batch and is raised as ImportInterrupted.
    """
    iterator = iter(items)
    with file_transaction(dry_run=dry_run), prefectures_read_once():
        while True:
            first = len(report.results) + 1
            try:
                with transaction.atomic(), deferred_index_updates():
                    results = [import_one(item) for item in islice(iterator, batch_rows)]
            except (Exception, KeyboardInterrupt) as error:
                raise ImportInterrupted(report, first, error) from error
            if not results:
                return
            if committed is not None:
                committed(results)
            report.results.extend(results)


def progress_bar(
    command: BaseCommand, *, unit: str, quiet: bool = False
) -> Callable[[Iterable[Item]], Iterable[Item]]:
    """Wrap a command's rows in a progress bar on stderr (rows/s, ETA): off when `quiet`
    (--quiet, verbosity 0) or when stderr is not a terminal (tqdm's own check, disable=None)."""
    # tqdm writes to the raw stream: OutputWrapper would add a newline to every refresh.
    stream = command.stderr._out
    off = True if quiet else None

    def wrap(items: Iterable[Item]) -> Iterable[Item]:
        return tqdm(items, desc="取込", unit=unit, file=stream, disable=off, smoothing=0.1)

    return wrap


@contextmanager
def deferred_index_updates() -> Iterator[None]:
    """Index what a batch saved once at its end instead of at every save.

    Each page save makes Wagtail enqueue a reference-index and an admin-search update
    (django-tasks' immediate backend runs them inline: three saves a page, six updates), and
    each publish queues a public search sync. Here the saves are only noted; at the end, still
    inside the batch's transaction, each object saved is updated once by the same tasks, and
    the search syncs run as one bulk call after the commit (search.indexing.deferred_sync).
    Only for the thread of an import: the admin-search signal is reconnected on the way out.
    """
    saved: dict[type[models.Model], set[Any]] = defaultdict(set)

    def note(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        if not kwargs.get("raw"):
            saved[sender].add(instance.pk)

    indexed = [
        model
        for model in modelsearch_index.get_indexed_models()
        if getattr(model, "search_auto_update", True)
    ]
    for model in indexed:
        post_save.disconnect(modelsearch_on_save, sender=model)
    post_save.connect(note, weak=False, dispatch_uid="exchange-deferred-index")
    try:
        with disable_reference_index_auto_update(), indexing.deferred_sync():
            yield
            post_save.disconnect(dispatch_uid="exchange-deferred-index")
            _update_indexes(saved, set(indexed))
    finally:
        post_save.disconnect(dispatch_uid="exchange-deferred-index")
        for model in indexed:
            post_save.connect(modelsearch_on_save, sender=model)


def _update_indexes(
    saved: dict[type[models.Model], set[Any]], indexed: set[type[models.Model]]
) -> None:
    """Once per object saved, what Wagtail's reference-index and admin-search tasks do, with
    the objects read once per model and each model's search entries written in one call (the
    tasks read every object again and refresh the index's title norms after every object)."""
    for model, pks in saved.items():
        tracked, searched = model in ReferenceIndex.tracked_models, model in indexed
        if not (tracked or searched):
            continue
        if tracked and _has_parental_key(model):  # indexed through its parent: the task's walk
            for pk in pks:
                try:
                    update_reference_index_task.call(
                        model._meta.app_label, model._meta.model_name, str(pk)
                    )
                except ObjectDoesNotExist:  # saved, then rolled back with its row
                    continue
            tracked = False
        # Objects saved and then rolled back with their row are simply not found. Their child
        # objects (comments, keywords), which the reference index reads, come in one query each.
        children = [rel.get_accessor_name() for rel in get_all_child_relations(model)]
        instances = list(
            model.objects.filter(pk__in=pks).prefetch_related(*children)  # type: ignore[attr-defined]
        )
        if tracked and ReferenceIndex.is_indexed(model):
            for instance in instances:
                with transaction.atomic():
                    ReferenceIndex.create_or_update_for_object(instance)
        if searched:
            _index_for_search(instances)


def _has_parental_key(model: type[models.Model]) -> bool:
    return any(isinstance(field, ParentalKey) for field in model._meta.get_fields())


def _index_for_search(instances: list[models.Model]) -> None:
    """modelsearch's insert_or_update_object for many objects: the indexed instance of each,
    if its model still indexes it, added to every auto-updated backend one model at a time."""
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for instance in instances:
        indexed_instance = instance.get_indexed_instance()  # type: ignore[attr-defined]
        if indexed_instance is not None:
            by_model[type(indexed_instance)].append(indexed_instance)
    for model, objects in by_model.items():
        kept = set(
            model.get_indexed_objects()  # type: ignore[attr-defined]
            .filter(pk__in=[obj.pk for obj in objects])
            .values_list("pk", flat=True)
        )
        objects = [obj for obj in objects if obj.pk in kept]
        if not objects:
            continue
        for name, backend in get_search_backends_with_name(with_auto_update=True):
            try:
                backend.add_bulk(model, objects)
            except Exception:
                logger.exception("Exception raised while adding into the '%s' backend", name)
                if not backend.catch_indexing_errors:  # a database backend: the batch fails
                    raise


@contextmanager
def file_transaction(*, dry_run: bool) -> Iterator[None]:
    """A dry run: the whole file in one transaction, rolled back at the end.

    So in a dry run later rows see the members and areas earlier rows would create, and the
    report says exactly what a real run would do. A real run commits batch by batch instead
    (import_in_batches), so this is no transaction at all.
    """
    if not dry_run:
        yield
        return
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def resolve_area(code: str, name: str = "", kana: str = "") -> tuple[Area | None, bool]:
    """The area a row means and whether it was created just now.

    By code first; when the code is unknown (or absent), the municipality its name
    (「東京都大田区」, 「大田区」, 「札幌市 中央区」) or kana names, if exactly one fits — the one
    rule every importer uses. Only then is a missing municipality created under its
    prefecture, or a missing 学区 (「コード-番号」) under its municipality, and only when the
    row names it; otherwise (None, False). Raises ValidationError for a code the model refuses.
    """
    if code:
        area = Area.objects.filter(code=code).first()
        if area is not None:
            return area, False
    parent_code, sub, _ = code.partition("-")
    prefecture = (
        Area.objects.filter(code=prefecture_code(code), level=Area.Level.PREFECTURE).first()
        if code
        else None
    )
    if not sub:
        found = find_municipality(name, kana, prefecture=prefecture)
        if found is not None:
            return found, False
    if not code:
        return None, False
    name = municipality_name(name)[1] if not sub else name
    if sub:
        level = Area.Level.SCHOOL_DISTRICT
        parent = Area.objects.filter(code=parent_code, level=Area.Level.MUNICIPALITY).first()
    else:
        level, parent = Area.Level.MUNICIPALITY, prefecture
    if parent is None or not name:
        return None, False
    max_length = Area._meta.get_field("name").max_length
    area = Area(code=code, name=name[:max_length], level=level, parent=parent)
    area.full_clean()
    area.save()
    return area, True


# The prefectures, read once per file while one is imported (an import never creates one).
_file_prefectures: ContextVar[list[Area] | None] = ContextVar("file_prefectures", default=None)


@contextmanager
def prefectures_read_once() -> Iterator[None]:
    token = _file_prefectures.set(list(Area.objects.filter(level=Area.Level.PREFECTURE)))
    try:
        yield
    finally:
        _file_prefectures.reset(token)


def _prefectures() -> Iterable[Area]:
    known = _file_prefectures.get()
    return Area.objects.filter(level=Area.Level.PREFECTURE) if known is None else known


def municipality_name(name: str) -> tuple[Area | None, str]:
    """(prefecture, the rest): 「東京都大田区」 → (東京都, 「大田区」); spaces and widths folded."""
    text = area_name(name)
    for prefecture in _prefectures():
        if text.startswith(prefecture.name) and text != prefecture.name:
            return prefecture, text[len(prefecture.name) :]
    return None, text


def find_municipality(name: str, kana: str = "", *, prefecture: Area | None = None) -> Area | None:
    """The one municipality (or 政令市の区) a name or kana means, else None (unknown or ambiguous).

    A prefecture in the name, or the one given, narrows the search; a bare ward name
    (「中央区」 within 北海道) matches 「札幌市中央区」 when only one ward has that name.
    """
    named_prefecture, rest = municipality_name(name)
    prefecture = named_prefecture or prefecture
    municipalities = Area.objects.filter(level=Area.Level.MUNICIPALITY)
    if prefecture is not None:
        municipalities = municipalities.filter(parent=prefecture)
    lookups: list[dict[str, str]] = []
    if rest:
        lookups.append({"name": rest})
        if prefecture is not None:
            lookups.append({"name__endswith": rest})
    if kana and hiragana(kana):
        lookups.append({"kana": hiragana(kana)})
    for lookup in lookups:
        found = list(municipalities.filter(**lookup)[:2])
        if len(found) == 1:
            return found[0]
    return None


class VocabularyTerms:
    """Each scheme's terms, read once per file instead of once per row and scheme.

    An import never creates a term and a term's slug never changes, so what one file's rows
    are given is what `VocabularyTerm.objects.filter(scheme=…, slug__in=…)` gives, in its order.
    """

    def __init__(self) -> None:
        self._schemes: dict[str, list[VocabularyTerm]] = {}

    def terms(self, scheme: str, slugs: Iterable[str]) -> list[VocabularyTerm]:
        if scheme not in self._schemes:
            self._schemes[scheme] = list(VocabularyTerm.objects.filter(scheme=scheme))
        wanted = set(slugs)
        return [term for term in self._schemes[scheme] if term.slug in wanted]


class RepeatedIds:
    """The first row of each id in one file: a later row with the same id is not applied.

    Otherwise the later row silently overwrote what the earlier one had just saved.
    """

    def __init__(self, *, unit: str, ordinal: str) -> None:
        self.unit, self.ordinal = unit, ordinal  # 「この行」, 「行目」
        self._first: dict[str, int] = {}

    def check(self, key: str, row: int, what: str) -> None:
        """Raise RowSkipped naming the first row if `key` was seen; else remember `row`.

        `what` names the id in the message (「ID「001」」).
        """
        first = self._first.setdefault(key, row)
        if first != row:
            raise RowSkipped(
                f"{what}は{first}{self.ordinal}と重複しているため、{self.unit}は取り込みませんでした。"
            )


def publishes(member: Member, *, draft: bool) -> bool:
    """Whether an import publishes the member's listings now: approved, and not --draft."""
    return member.status == MemberStatus.APPROVED and not draft


def awaits_approval(member: Member, *, draft: bool) -> bool:
    """Whether the 事務局's approval of the member (申請中) is to publish what is imported."""
    return member.status == MemberStatus.APPLIED and not draft


def publish_imported(
    listing: ListingPage, revision: Revision, member: Member, *, draft: bool
) -> None:
    """The one rule of what an import makes public, once `revision` of `listing` is saved.

    --draft: nothing (the member's editors publish). An approved member: published now. An
    applicant (申請中): kept unpublished and marked, so the 事務局's approval publishes it.
    Any other member is refused (an import must not undo the 事務局's decision).
    """
    check_importable(member)
    waiting = awaits_approval(member, draft=draft)
    if listing.publish_on_approval != waiting:
        type(listing).objects.filter(pk=listing.pk).update(publish_on_approval=waiting)
        listing.publish_on_approval = waiting
    if publishes(member, draft=draft):
        revision.publish()


def find_listing(**lookup: Any) -> ListingPage | None:
    """The listing of any kind matching `lookup` (uuid=…, external_id=…), or None.

    One query asks every listing model (a new row, the usual case, costs no more), then the
    match is read that asking each model in turn found first: the first model's, lowest path.
    """
    models = listing_page_models()
    asked = [
        model.objects.filter(**lookup)
        .order_by()
        .annotate(model_order=Value(order))
        .values_list("model_order", "path", "pk")
        for order, model in enumerate(models)
    ]
    found = list(asked[0].union(*asked[1:], all=True))
    if not found:
        return None
    order, _, pk = min(found)
    return models[order].objects.get(pk=pk)
