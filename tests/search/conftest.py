"""Every search test starts from an empty embedded index (the per-run file of test settings)."""

import pytest

from search.documents import live_documents
from search.engines.embedded import EmbeddedEngine


@pytest.fixture(autouse=True)
def engine(settings):
    settings.SEARCH_BACKEND = "embedded"
    engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    engine.clear()
    return engine


@pytest.fixture
def reindex(engine):
    """Index the live listings now (what search_reindex does), returning the engine."""

    def run() -> EmbeddedEngine:
        engine.clear()
        engine.index(live_documents())
        return engine

    return run
