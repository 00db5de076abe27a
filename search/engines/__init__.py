"""Choose the configured engine: embedded (default) or Meilisearch with embedded fallback."""

from django.conf import settings

from search.engines.base import SearchEngine


def get_engine() -> SearchEngine:
    """The engine for public search and indexing, from SEARCH_BACKEND."""
    from search.engines.embedded import EmbeddedEngine

    embedded = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    if settings.SEARCH_BACKEND == "meilisearch":
        from search.engines.fallback import FallbackEngine
        from search.engines.meilisearch import MeilisearchEngine

        return FallbackEngine(primary=MeilisearchEngine.from_settings(), fallback=embedded)
    return embedded
