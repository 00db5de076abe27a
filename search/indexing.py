"""Keep the search index in step with the page tree, after each transaction commits.

Publishing, unpublishing, moving or deleting a listing, adding or removing a view restriction
(a password) on it or on an ancestor, and saving its member re-sync the listing's document:
indexed if residents see it (`for_residents()`, through build_document), removed otherwise — so
a published revision with status 休止中/終了, or a password, takes the listing out of search.

An engine failure never blocks saving a page: it is logged on "tsunagari.search" (listing id
and error type only) and recorded as a PendingIndexUpdate, retried after the next successful
update and by `search_reindex`, which rebuilds everything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import F
from wagtail.models import Page, PageViewRestriction

from directory.models import ListingPage, Member, MemberPage
from search.documents import Lookups, build_document
from search.engines import get_engine
from search.models import PendingIndexUpdate

logger = logging.getLogger("tsunagari.search")
RETRY_BATCH = 50
_deferred = threading.local()  # .pairs: the syncs a bulk job collects (see `deferred_sync`)


def sync_listing(listing_uuid: UUID | str, page_id: int | None) -> bool:
    """Index or remove one listing's document now; on failure, record it for a retry."""
    try:
        page = Page.objects.filter(pk=page_id).first() if page_id else None
        document = build_document(page) if page is not None else None
        engine = get_engine()
        if document is not None and document["id"] == str(listing_uuid):
            engine.index([document])
        else:
            engine.delete([str(listing_uuid)])
    except Exception as error:  # an index failure must never reach the editor's request
        logger.warning(
            "search index update failed for listing %s (%s); will retry",
            listing_uuid,
            type(error).__name__,
        )
        updated = PendingIndexUpdate.objects.filter(listing_uuid=listing_uuid).update(
            attempts=F("attempts") + 1, last_error=type(error).__name__, page_id=page_id
        )
        if not updated:
            PendingIndexUpdate.objects.create(
                listing_uuid=listing_uuid, page_id=page_id, last_error=type(error).__name__
            )
        return False
    PendingIndexUpdate.objects.filter(listing_uuid=listing_uuid).delete()
    return True


def retry_pending(limit: int = RETRY_BATCH) -> int:
    """Retry the oldest recorded failures; returns how many succeeded."""
    done = 0
    for pending in list(PendingIndexUpdate.objects.order_by("updated_at")[:limit]):
        done += sync_listing(pending.listing_uuid, pending.page_id)
    return done


def sync_listings(pairs: list[tuple[str, int | None]]) -> bool:
    """Index or remove many listings in one engine call per kind of change; False on failure.

    The documents share one Lookups (areas, member pages), so a thousand listings cost one
    read of the areas, not a thousand. On failure every listing is recorded for a retry.
    """
    ids = [page_id for _, page_id in pairs if page_id]
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    lookups = Lookups.load()
    try:
        documents, gone = [], []
        for listing_uuid, page_id in pairs:
            page = pages.get(page_id) if page_id else None
            document = build_document(page, lookups) if page is not None else None
            if document is not None and document["id"] == str(listing_uuid):
                documents.append(document)
            else:
                gone.append(str(listing_uuid))
        engine = get_engine()
        if documents:
            engine.index(documents)
        if gone:
            engine.delete(gone)
    except Exception as error:  # as sync_listing: the saved pages stand, the index catches up
        logger.warning(
            "search index update failed for %d listings (%s); will retry",
            len(pairs),
            type(error).__name__,
        )
        for listing_uuid, page_id in pairs:
            PendingIndexUpdate.objects.update_or_create(
                listing_uuid=listing_uuid,
                defaults={"page_id": page_id, "last_error": type(error).__name__},
            )
        return False
    PendingIndexUpdate.objects.filter(listing_uuid__in=[uuid for uuid, _ in pairs]).delete()
    return True


@contextmanager
def deferred_sync() -> Iterator[None]:
    """Collect the listing syncs of a bulk job (an import batch) and run them as one.

    The listings are first recorded as PendingIndexUpdate in the job's own transaction, so if
    the process dies after the commit but before the engine call, `search_reindex` (or the
    next successful update) still indexes them: nothing saved stays out of the index silently.
    """
    outer = getattr(_deferred, "pairs", None)
    _deferred.pairs = pairs = outer if outer is not None else {}
    try:
        yield
    finally:
        if outer is None:
            del _deferred.pairs
    if outer is not None or not pairs:
        return
    collected = list(pairs.items())
    PendingIndexUpdate.objects.bulk_create(
        [PendingIndexUpdate(listing_uuid=uuid, page_id=page_id) for uuid, page_id in collected],
        ignore_conflicts=True,
    )

    def run() -> None:
        if sync_listings(collected):
            retry_pending()

    transaction.on_commit(run)


def _sync_after_commit(pairs: list[tuple[str, int | None]]) -> None:
    deferred = getattr(_deferred, "pairs", None)
    if deferred is not None:
        deferred.update(pairs)
        return

    def run() -> None:
        results = [sync_listing(uuid, page_id) for uuid, page_id in pairs]  # every one, always
        if all(results):
            retry_pending()

    if pairs:
        transaction.on_commit(run)


def schedule_sync(page: Page) -> None:
    """Re-sync a listing, or every listing below another page, once the transaction commits."""
    specific = page if isinstance(page, ListingPage) else page.specific
    if isinstance(specific, ListingPage):
        _sync_after_commit([(str(specific.uuid), specific.pk)])
    else:
        _sync_after_commit([(str(listing.uuid), listing.pk) for listing in listings_below(page)])


def listings_below(page: Page) -> list[ListingPage]:
    from directory.models import listing_page_models

    found: list[ListingPage] = []
    for model in listing_page_models():
        found.extend(model.objects.descendant_of(page).only("pk", "uuid"))
    return found


# -- signal handlers (connected in SearchConfig.ready) --------------------------------------
def on_page_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    """page_published / page_unpublished / post_page_move."""
    schedule_sync(instance)


def on_listing_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, ListingPage):
        _sync_after_commit([(str(instance.uuid), None)])


def on_view_restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    """A password (or login/group restriction) set or removed: the page and all below it."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        schedule_sync(page)


def on_member_saved(sender: Any, instance: Member, created: bool = False, **kwargs: Any) -> None:
    """A renamed member: its listings carry the member's name in their documents."""
    if created:
        return
    member_page = MemberPage.objects.filter(member=instance).first()
    if member_page is not None:
        schedule_sync(member_page)
