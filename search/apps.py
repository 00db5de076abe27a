from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Public search: document building, engines, indexing signals, API and views."""

    name = "search"
    label = "search"
    verbose_name = "検索"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from directory.models import Member, listing_page_models
        from search import indexing, synonyms
        from search.models import SynonymEntry

        page_published.connect(indexing.on_page_changed, dispatch_uid="search-published")
        page_unpublished.connect(indexing.on_page_changed, dispatch_uid="search-unpublished")
        post_page_move.connect(indexing.on_page_changed, dispatch_uid="search-moved")
        for model in listing_page_models():
            post_delete.connect(
                indexing.on_listing_deleted, sender=model, dispatch_uid=f"search-deleted-{model}"
            )
        post_save.connect(indexing.on_member_saved, sender=Member, dispatch_uid="search-member")
        for signal in (post_save, post_delete):
            signal.connect(
                indexing.on_view_restriction_changed,
                sender=PageViewRestriction,
                dispatch_uid=f"search-restriction-{signal is post_save}",
            )
            signal.connect(
                synonyms.on_entry_changed,
                sender=SynonymEntry,
                dispatch_uid=f"search-synonyms-{signal is post_save}",
            )
