"""Meilisearch unreachable or slow → the embedded engine answers; writes reach both engines.

After a failure searches skip Meilisearch for MEILISEARCH_RETRY_AFTER seconds: the tests run on
a fake clock and a fresh pause each (see the `clock` fixture), so no test waits or leaks state.
"""

from __future__ import annotations

import logging

import pytest

from search.engines import get_engine
from search.engines.base import SearchQuery, SearchUnavailable
from search.engines.fallback import FallbackEngine, PrimaryPause
from search.engines.meilisearch import MeilisearchEngine
from tests.search.recording_server import (
    assert_on_contract,
    closed_port_url,
    error_body,
    running_server,
    sample_document,
    search_response,
)

# A search reads the synonym list, which includes the 事務局's admin entries.
pytestmark = pytest.mark.django_db

QUERY_TEXT = "ひきこもり相談"
DOCUMENTS = [
    sample_document(),
    sample_document(
        id="0b9d3c1e-0000-4000-8000-000000000002",
        name="ひきこもり相談窓口",
        kana="ひきこもりそうだんまどぐち",
        summary="ご本人もご家族も",
        description="電話でも相談できます。",
        keywords=[],
        kind="service",
    ),
]


@pytest.fixture
def server(monkeypatch):
    # A fresh port may repeat an earlier test's: forget which indexes this process configured.
    monkeypatch.setattr("search.engines.meilisearch._configured_indexes", set())
    with running_server() as recorder:
        yield recorder
        assert_on_contract(recorder)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> FakeClock:
    """A fresh process-wide pause per test, on a clock the test moves."""
    fake = FakeClock()
    monkeypatch.setattr("search.engines.fallback.primary_pause", PrimaryPause(clock=fake))
    return fake


def dead_meilisearch() -> MeilisearchEngine:
    return MeilisearchEngine(closed_port_url(), timeout=0.5, synonyms={})


def live_meilisearch(server, timeout: float = 0.5) -> MeilisearchEngine:
    return MeilisearchEngine(server.url, timeout=timeout, synonyms={})


def search_warnings(caplog) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "tsunagari.search" and r.levelno == logging.WARNING
    ]


def test_unreachable_meilisearch_answers_from_the_embedded_engine(engine, caplog):
    engine.index(DOCUMENTS)
    fallback = FallbackEngine(primary=dead_meilisearch(), fallback=engine)

    with caplog.at_level(logging.WARNING, logger="tsunagari.search"):
        result = fallback.search(SearchQuery(text=QUERY_TEXT))

    assert result.engine == "embedded"
    assert [hit.document["name"] for hit in result.hits] == ["ひきこもり相談窓口"]
    (warning,) = search_warnings(caplog)
    assert "meilisearch unavailable, answering from embedded" in warning.getMessage()
    assert QUERY_TEXT not in warning.getMessage()
    assert "相談" not in warning.getMessage()


def test_a_slow_meilisearch_is_given_up_and_the_embedded_engine_answers(server, engine, caplog):
    engine.index(DOCUMENTS)
    server.reply("POST", "/indexes/listings/search", search_response(), delay=1.5)
    fallback = FallbackEngine(primary=live_meilisearch(server, timeout=0.2), fallback=engine)

    with caplog.at_level(logging.WARNING, logger="tsunagari.search"):
        result = fallback.search(SearchQuery(text="食堂"))

    assert result.engine == "embedded"
    assert [hit.document["name"] for hit in result.hits] == ["みなと子ども食堂"]
    assert len(search_warnings(caplog)) == 1


def test_a_meilisearch_error_answer_falls_back_without_logging_the_servers_message(
    server, engine, caplog
):
    server.reply(
        "POST",
        "/indexes/listings/search",
        error_body("invalid_search_filter", f"Invalid filter near `{QUERY_TEXT}`"),
        status=400,
    )
    fallback = FallbackEngine(primary=live_meilisearch(server), fallback=engine)

    with caplog.at_level(logging.WARNING, logger="tsunagari.search"):
        assert fallback.search(SearchQuery(text=QUERY_TEXT)).engine == "embedded"

    assert QUERY_TEXT not in caplog.text
    assert "invalid_search_filter" in caplog.text


def test_meilisearch_answers_when_it_can(server, engine, caplog):
    hit = {**DOCUMENTS[0], "_rankingScore": 0.8}
    server.reply("POST", "/indexes/listings/search", search_response(hits=[hit], totalHits=1))
    fallback = FallbackEngine(primary=live_meilisearch(server), fallback=engine)

    with caplog.at_level(logging.WARNING, logger="tsunagari.search"):
        result = fallback.search(SearchQuery(text="食堂"))

    assert result.engine == "meilisearch"
    assert result.total == 1
    assert search_warnings(caplog) == []


SEARCH_ROUTE = ("POST", "/indexes/listings/search")


def meilisearch_fails(server) -> None:
    server.reply(*SEARCH_ROUTE, error_body("internal", kind="internal"), status=500)


def meilisearch_recovers(server) -> None:
    hit = {**DOCUMENTS[0], "_rankingScore": 0.8}
    server.reply(*SEARCH_ROUTE, search_response(hits=[hit], totalHits=1))


def test_after_a_failure_searches_skip_meilisearch_until_the_retry_time(
    server, engine, settings, clock, caplog
):
    settings.MEILISEARCH_RETRY_AFTER = 10
    engine.index(DOCUMENTS)
    meilisearch_fails(server)

    with caplog.at_level(logging.WARNING, logger="tsunagari.search"):
        first = FallbackEngine(live_meilisearch(server), engine).search(SearchQuery(text="食堂"))
        clock.advance(9.9)
        # get_engine() builds a new FallbackEngine per request: the pause is the process's.
        second = FallbackEngine(live_meilisearch(server), engine).search(SearchQuery(text="食堂"))

    assert (first.engine, second.engine) == ("embedded", "embedded")
    assert [hit.document["name"] for hit in second.hits] == ["みなと子ども食堂"]
    assert len(server.requests_to(*SEARCH_ROUTE)) == 1, "the second search did not wait for it"
    (warning,) = search_warnings(caplog)
    assert "answering from embedded for 10 s" in warning.getMessage()

    meilisearch_recovers(server)
    clock.advance(0.2)
    third = FallbackEngine(live_meilisearch(server), engine).search(SearchQuery(text="食堂"))

    assert third.engine == "meilisearch"
    assert len(server.requests_to(*SEARCH_ROUTE)) == 2


def test_the_retry_time_defaults_to_30_seconds(server, engine, settings, clock):
    del settings.MEILISEARCH_RETRY_AFTER
    fallback = FallbackEngine(live_meilisearch(server), engine)
    meilisearch_fails(server)

    fallback.search(SearchQuery(text="食堂"))
    clock.advance(29.9)
    fallback.search(SearchQuery(text="食堂"))
    assert len(server.requests_to(*SEARCH_ROUTE)) == 1

    clock.advance(0.2)
    fallback.search(SearchQuery(text="食堂"))
    assert len(server.requests_to(*SEARCH_ROUTE)) == 2


def test_a_failed_retry_pauses_meilisearch_again(server, engine, settings, clock):
    settings.MEILISEARCH_RETRY_AFTER = 10
    fallback = FallbackEngine(live_meilisearch(server), engine)
    meilisearch_fails(server)

    fallback.search(SearchQuery(text="食堂"))
    clock.advance(10)
    retried = fallback.search(SearchQuery(text="食堂"))
    clock.advance(9.9)
    fallback.search(SearchQuery(text="食堂"))

    assert retried.engine == "embedded"
    assert len(server.requests_to(*SEARCH_ROUTE)) == 2


def test_a_retry_time_of_zero_tries_meilisearch_on_every_search(server, engine, settings):
    settings.MEILISEARCH_RETRY_AFTER = 0
    fallback = FallbackEngine(live_meilisearch(server), engine)
    meilisearch_fails(server)

    fallback.search(SearchQuery(text="食堂"))
    fallback.search(SearchQuery(text="食堂"))

    assert len(server.requests_to(*SEARCH_ROUTE)) == 2


def test_writes_still_go_to_meilisearch_while_searches_skip_it(server, engine, settings):
    settings.MEILISEARCH_RETRY_AFTER = 10
    fallback = FallbackEngine(live_meilisearch(server), engine)
    meilisearch_fails(server)
    fallback.search(SearchQuery(text="食堂"))

    fallback.index(DOCUMENTS)
    fallback.delete([DOCUMENTS[0]["id"]])

    assert server.writes[-2:] == [
        "POST /indexes/listings/documents",
        "POST /indexes/listings/documents/delete",
    ]


def test_writes_reach_both_engines(server, engine):
    fallback = FallbackEngine(primary=live_meilisearch(server), fallback=engine)

    fallback.index(DOCUMENTS)
    fallback.delete([DOCUMENTS[0]["id"]])

    assert server.writes == [
        "PATCH /indexes/listings/settings",
        "POST /indexes/listings/documents",
        "POST /indexes/listings/documents/delete",
    ]
    assert [d["id"] for d in server.requests_to("POST", "/indexes/listings/documents")[0].body] == [
        d["id"] for d in DOCUMENTS
    ]
    assert engine.health()["documents"] == 1


def test_a_failed_primary_write_still_updates_the_embedded_engine_then_raises(engine, caplog):
    fallback = FallbackEngine(primary=dead_meilisearch(), fallback=engine)

    with (
        caplog.at_level(logging.WARNING, logger="tsunagari.search"),
        pytest.raises(SearchUnavailable),
    ):
        fallback.index(DOCUMENTS)

    assert engine.health()["documents"] == 2
    (warning,) = search_warnings(caplog)
    assert "meilisearch write failed" in warning.getMessage()

    with pytest.raises(SearchUnavailable):
        fallback.delete([DOCUMENTS[0]["id"]])
    assert engine.health()["documents"] == 1


def test_after_a_primary_failure_later_batches_go_to_the_embedded_engine_only(
    server, engine, monkeypatch
):
    monkeypatch.setattr("search.engines.meilisearch.BATCH_SIZE", 1)
    server.reply(
        "POST", "/indexes/listings/documents", error_body("internal", kind="internal"), status=500
    )
    fallback = FallbackEngine(primary=live_meilisearch(server), fallback=engine)

    with pytest.raises(SearchUnavailable, match="HTTP 500"):
        fallback.index(DOCUMENTS)

    assert len(server.requests_to("POST", "/indexes/listings/documents")) == 1
    assert engine.health()["documents"] == 2


def test_clear_clears_both(server, engine):
    engine.index(DOCUMENTS)

    FallbackEngine(primary=live_meilisearch(server), fallback=engine).clear()

    assert engine.health()["documents"] == 0
    assert server.writes == [
        "DELETE /indexes/listings/documents",
        "PATCH /indexes/listings/settings",
    ]


def test_clear_with_meilisearch_down_keeps_the_fallback_index(engine):
    engine.index(DOCUMENTS)

    with pytest.raises(SearchUnavailable):
        FallbackEngine(primary=dead_meilisearch(), fallback=engine).clear()

    assert engine.health()["documents"] == 2


def test_search_reindex_rebuilds_both_engines(server, settings, engine):
    from django.core.management import call_command

    from tests.factories.directory import PlacePageFactory

    PlacePageFactory(title="駅前フリースペース")
    PlacePageFactory(title="みんなのこども食堂")
    settings.SEARCH_BACKEND = "meilisearch"
    settings.MEILISEARCH_URL = server.url

    call_command("search_reindex", verbosity=0)

    assert engine.health()["documents"] == 2
    (documents,) = server.requests_to("POST", "/indexes/listings/documents")
    assert sorted(d["name"] for d in documents.body) == ["みんなのこども食堂", "駅前フリースペース"]


def test_health_reports_both_and_says_when_degraded(server, engine):
    engine.index(DOCUMENTS)
    server.documents = 2

    healthy = FallbackEngine(primary=live_meilisearch(server), fallback=engine).health()
    degraded = FallbackEngine(primary=dead_meilisearch(), fallback=engine).health()

    assert healthy["ok"] is True and healthy["degraded"] is False
    assert healthy["primary"]["engine"] == "meilisearch"
    assert healthy["fallback"]["engine"] == "embedded"
    assert degraded["ok"] is True and degraded["degraded"] is True
    assert degraded["documents"] == 2
    assert degraded["primary"]["ok"] is False


def test_get_engine_wires_meilisearch_with_the_embedded_fallback(settings):
    settings.SEARCH_BACKEND = "meilisearch"
    settings.MEILISEARCH_URL = closed_port_url()

    chosen = get_engine()

    assert isinstance(chosen, FallbackEngine)
    assert isinstance(chosen.primary, MeilisearchEngine)
    assert chosen.fallback.name == "embedded"


def test_publishing_while_meilisearch_is_down_updates_embedded_and_records_a_retry(
    settings, engine
):
    from search.indexing import sync_listing
    from search.models import PendingIndexUpdate
    from tests.factories.directory import PlacePageFactory

    page = PlacePageFactory(title="駅前フリースペース")
    settings.SEARCH_BACKEND = "meilisearch"
    settings.MEILISEARCH_URL = closed_port_url()

    assert sync_listing(page.uuid, page.pk) is False

    assert PendingIndexUpdate.objects.filter(listing_uuid=page.uuid).exists()
    result = get_engine().search(SearchQuery(text="フリースペース"))
    assert result.engine == "embedded"
    assert [hit.document["id"] for hit in result.hits] == [str(page.uuid)]


@pytest.mark.parametrize("meilisearch", ["refused", "slow", "url not set"])
def test_public_api_and_search_page_answer_while_meilisearch_is_down(
    client, settings, reindex, server, caplog, meilisearch
):
    from django.urls import reverse

    from tests.factories.directory import PlacePageFactory

    PlacePageFactory(title="みんなのこども食堂", categories=["kodomo-shokudo"])
    reindex()
    settings.SEARCH_BACKEND = "meilisearch"
    settings.MEILISEARCH_TIMEOUT = 0.2
    if meilisearch == "refused":
        settings.MEILISEARCH_URL = closed_port_url()
    elif meilisearch == "url not set":
        settings.MEILISEARCH_URL = ""
    else:
        settings.MEILISEARCH_URL = server.url
        server.reply("POST", "/indexes/listings/search", search_response(), delay=1.0)

    with caplog.at_level(logging.WARNING, logger="tsunagari.search"):
        api = client.get(reverse("api-resources"), {"q": "食堂"})
        page = client.get(reverse("search"), {"q": "食堂"})

    assert api.status_code == 200
    assert [r["name"] for r in api.json()["results"]] == ["みんなのこども食堂"]
    assert page.status_code == 200
    assert "みんなのこども食堂" in page.content.decode()
    assert len(search_warnings(caplog)) == 1  # the page's search skipped Meilisearch
    if meilisearch == "slow":
        assert len(server.requests_to(*SEARCH_ROUTE)) == 1
    assert "食堂" not in caplog.text
