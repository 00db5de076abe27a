"""/events/ reads the search index: each test starts from an empty one, as tests/search does."""

from tests.search.conftest import engine, reindex  # noqa: F401
