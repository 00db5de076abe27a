"""The PF rule for matching, tested: a match request leaves nothing behind.

100 varied requests (form, API and hand-out; valid and rejected; with a starting point typed,
taken from 近くをさがす or a 小学校区; もっと見る; hand-outs of chosen results) must leave the row
count of every table, the cache, the session store and the logs exactly as they were, send
none of their text to the database, set no cookie, send `Cache-Control: no-store`, and link to
nothing outside the site. The one thing allowed in the cache is the abuse-limit counter
(core/limits.py): a hashed key and a number, nothing of the request.
"""

import json
import logging
import random
import re
from datetime import time
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.db.models.signals import post_delete, pre_save
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.listings.schedules import Recurrence
from directory.models import LocationMode
from matching import views
from tests.factories.directory import AreaFactory, EventPageFactory, PlacePageFactory

CACHE_WRITES = ("set", "add", "set_many", "delete", "delete_many", "incr", "touch", "clear")
AGE_BANDS = ["", "under-12", "13-18", "19-29", "30-39", "40-64", "65-74", "75-plus"]
TARGETS = ["futoko", "hikikomori", "foreign-roots", "single-parents", "disability", "lgbtq"]
WANTS = ["ibasho", "companions", "role", "work", "learning", "consultation", "food", "outing"]
CATEGORIES = ["salon", "youth-space", "study-support", "kodomo-shokudo", "hobby-sports"]
CONDITIONS = ["free", "no-reservation", "anonymous-ok", "small-group", "solo-ok", "wheelchair"]
REJECTED_KEYWORDS = ["山田花子", "090-1234-5678", "hanako@example.jp", "本町3丁目2番地"]
# What a person types or their browser measures; none of it may reach the database either.
TYPED = ("keywords", "place", "near_lat", "near_lng")
PUBLIC_NAMES = {"さくらの居場所"}  # a listing's name typed as a place: public, and in the pages
CHECKBOX_ID = re.compile(r'<input type="checkbox" name="id" value="([0-9a-f-]+)"')


@pytest.fixture
def platform(db):
    area = AreaFactory(code="999990-800", name="さくら小学校区")
    PlacePageFactory(
        title="さくらの居場所",
        categories=["youth-space"],
        targets=["youth"],
        conditions=["free"],
        schedule=[Recurrence("weekly", weekdays=(2,), start_time=time(15), end_time=time(18))],
        area=area,
    )
    PlacePageFactory(
        title="ないしょの家",
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=area,
    )
    EventPageFactory(title="ふれあいサロン", categories=["salon"], targets=["older-people"])
    return area


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


def is_rate_counter(key: str) -> bool:
    return settings.RATELIMIT_CACHE_PREFIX in key


def cache_contents() -> dict[str, list[str]]:
    return {
        alias: sorted(
            key for key in getattr(caches[alias], "_cache", {}) if not is_rate_counter(key)
        )
        for alias in caches.settings
        if isinstance(caches[alias], LocMemCache)
    }


def refuse_cache_write(name: str):
    """Patch LocMemCache.<name> to fail, except for the abuse-limit counter (an int)."""
    original = getattr(LocMemCache, name)

    def write(cache, *args, **kwargs):
        key = args[0] if args else kwargs.get("key")
        value = args[1] if len(args) > 1 else kwargs.get("value", 0)
        if isinstance(key, str) and is_rate_counter(key) and isinstance(value, int):
            return original(cache, *args, **kwargs)
        raise AssertionError(f"cache.{name}")

    return mock.patch.object(LocMemCache, name, autospec=True, side_effect=write)


def varied_requests(rng: random.Random, area_code: str) -> list[tuple[str, object]]:
    """100 requests: form and API, valid and rejected, with unique keywords to trace in logs."""
    requests: list[tuple[str, object]] = []
    for n in range(100):
        keyword = rng.choice(REJECTED_KEYWORDS) if n % 10 == 9 else f"将棋{n}"
        profile = {
            "age_band": rng.choice(AGE_BANDS),
            "targets": rng.sample(TARGETS, rng.randint(0, 2)),
            "wants": rng.sample(WANTS, rng.randint(0, 2)),
            "interests": rng.sample(CATEGORIES, rng.randint(0, 2)),
            "preferred": rng.sample(CONDITIONS, rng.randint(0, 2)),
            "keywords": keyword,
        }
        if n % 3 == 0:
            profile.update(area=area_code, max_km=rng.choice([1, 3, 10]))
        if n % 4 == 0:
            weekday = rng.randint(0, 6)
            profile["times"] = [{"weekday": weekday, "from": "15:00", "to": "18:00"}]
        if n % 2 == 0:
            requests.append(("api", profile))
        else:
            form = {key: value for key, value in profile.items() if key != "times"}
            if "times" in profile:
                form.update(weekdays=[str(profile["times"][0]["weekday"])], periods=["evening"])
            form.update(starting_point(n))
            if n % 7 == 1:
                form["limit"] = "20"  # もっと見る
            requests.append(("form", form))
    return requests


def starting_point(n: int) -> dict[str, str]:
    """A typed place (one found nowhere, or a listing's name), 近くをさがす or none (the area)."""
    if n % 5 == 1:
        return {"place": f"まーかー{n}丁目のあたり", "max_km": "3"}
    if n % 5 == 3:
        return {"place": "さくらの居場所", "max_km": "5"}
    if n % 5 == 4:
        return {"near_lat": f"35.7{n:02d}9", "near_lng": f"139.6{n:02d}1", "max_km": "10"}
    return {}


def send(client, kind: str, data):
    if kind == "api":
        return client.post(reverse("api-match"), json.dumps(data), content_type="application/json")
    return client.post(reverse("match"), data)


def submitted_values(data) -> set[str]:
    values: set[str] = set()
    for value in data.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and len(item) >= 4:
                values.add(item)
    return values


EXTERNAL_LINK = re.compile(r'(?:src|href|action)=["\'](?:https?:)?//(?!testserver)', re.I)


def assert_private(response) -> None:
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies, f"cookies set: {list(response.cookies)}"
    assert not response.has_header("Set-Cookie")
    if response["Content-Type"].startswith("text/html"):
        assert not EXTERNAL_LINK.search(response.content.decode())


def test_one_hundred_requests_leave_nothing_behind(client, platform, caplog):
    client.get(reverse("match"))  # first page view: site settings row, if any, is created here
    rng = random.Random(20261122)
    requests = varied_requests(rng, platform.code)
    before_tables, before_cache = table_counts(), cache_contents()
    saved: list[str] = []

    def record_write(sender, **kwargs):
        saved.append(sender.__name__)

    pre_save.connect(record_write, weak=False)
    post_delete.connect(record_write, weak=False)
    cache_writes = {name: refuse_cache_write(name) for name in CACHE_WRITES}
    statuses: list[int] = []
    handouts = 0
    try:
        for patch in cache_writes.values():
            patch.start()
        with caplog.at_level(logging.DEBUG), CaptureQueriesContext(connection) as queries:
            for kind, data in requests:
                response = send(client, kind, data)
                statuses.append(response.status_code)
                assert_private(response)
                assert response.status_code in (200, 422)
                if response.status_code != 200:
                    continue
                if kind == "api":
                    ids = [r["id"] for r in response.json()["results"]]
                else:  # the coordinator ticks every other result for the hand-out
                    ids = CHECKBOX_ID.findall(response.content.decode())[::2]
                if ids:
                    handout = client.post(reverse("match-print"), {"id": ids})
                    assert_private(handout)
                    assert handout.status_code == 200
                    handouts += 1
    finally:
        for patch in cache_writes.values():
            patch.stop()
        pre_save.disconnect(record_write)
        post_delete.disconnect(record_write)

    assert statuses.count(422) >= 10  # the rejected keywords and places found nowhere
    assert statuses.count(200) >= 70
    assert handouts >= 50
    assert saved == []
    assert table_counts() == before_tables
    assert cache_contents() == before_cache
    assert "sessionid" not in client.cookies and "csrftoken" not in client.cookies
    logged = "\n".join(record.getMessage() for record in caplog.records)
    sent_to_database = "\n".join(query["sql"] for query in queries)
    forms = [data for kind, data in requests if kind == "form"]
    assert (
        sum("place" in data for data in forms) >= 10
        and sum("near_lat" in data for data in forms) >= 5
    )
    assert sum("limit" in data for data in forms) >= 5
    for _, data in requests:
        for value in submitted_values(data):
            assert value not in logged
        for name in TYPED:
            if data.get(name) and data[name] not in PUBLIC_NAMES:
                assert data[name] not in sent_to_database, data[name]


def test_get_form_sets_no_cookie_and_is_not_cached(client, platform):
    response = client.get(reverse("match"))
    assert_private(response)
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_profile_never_travels_in_a_url(client, platform):
    page = client.get(reverse("match")).content.decode()
    assert re.findall(r'<form[^>]*method="(\w+)"', page) == ["post"]
    response = client.get(reverse("match"), {"age_band": "75-plus", "wants": "companions"})
    assert "合いそうな候補" not in response.content.decode()
    results = client.post(reverse("match"), {"age_band": "75-plus"}).content.decode()
    # The results page adds the hand-out form and もっと見る (a button of the match form): POST.
    assert re.findall(r'<form[^>]*method="(\w+)"', results) == ["post", "post"]


@pytest.mark.parametrize("view", [views.match_page, views.match_api, views.match_print])
def test_post_parameters_are_hidden_from_error_reports(view, db):
    request = RequestFactory().post("/", {"keywords": "将棋"})
    view(request)
    assert request.sensitive_post_parameters == "__ALL__"
