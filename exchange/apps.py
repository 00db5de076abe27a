from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data exchange: HSDS, municipal open data, iCal and JSON-LD. Reads and writes the
    directory's records; holds no models of its own."""

    name = "exchange"
    verbose_name = "データ連携"

    def ready(self) -> None:
        """Bump the public content version (core.public_cache) on every change that can alter
        an HSDS answer or a feed: publish, unpublish, move, save or delete of any page (a
        listing, its member page or a page above them), a view restriction set or removed, a
        member, vocabulary term or area saved or deleted."""
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from core.public_cache import on_public_change
        from directory.models import Area, Member, VocabularyTerm

        for signal, name in (
            (page_published, "published"),
            (page_unpublished, "unpublished"),
            (post_page_move, "moved"),
        ):
            signal.connect(on_public_change, dispatch_uid=f"public-cache-{name}")
        # Page subclasses send post_save / post_delete as their own class: no sender filter,
        # the receiver checks the instance.
        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(_on_page_saved_or_deleted, dispatch_uid=f"public-cache-page-{name}")
            for model in (PageViewRestriction, Member, VocabularyTerm, Area):
                signal.connect(
                    on_public_change,
                    sender=model,
                    dispatch_uid=f"public-cache-{model.__name__}-{name}",
                )


def _on_page_saved_or_deleted(sender: object, instance: object, **kwargs: object) -> None:
    from wagtail.models import Page

    from core.public_cache import bump

    if isinstance(instance, Page):
        bump()
