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
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import F
from wagtail.models import Page, PageViewRestriction

from directory.models import ListingPage, Member, MemberPage
from search.documents import build_document
from search.engines import get_engine
from search.models import PendingIndexUpdate

logger = logging.getLogger("tsunagari.search")
RETRY_BATCH = 50


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


def _sync_after_commit(pairs: list[tuple[str, int | None]]) -> None:
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
