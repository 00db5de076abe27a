"""Abuse limits: every public POST and expensive GET answers 429 past its configured rate.

The tests lower the rates with override_settings instead of sending 60 real requests, and use
whatever `default` cache the settings configure (.ci/run runs them again with REDIS_URL).
"""

import json
import os

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.limits import client_ip, client_key, exceeded, lockout_ip
from tests.factories.directory import AreaFactory, MemberFactory, PlacePageFactory

LOW = 3


def low_rates(**rates: str) -> override_settings:
    """Lower rates, per hour: a counter's fixed window starts at a random second (its key is
    random per test), so a per-minute window could end mid-test and reset the count (a flake
    seen on Redis); an hour makes that about 60 times rarer."""
    from django.conf import settings

    return override_settings(RATE_LIMITS={**settings.RATE_LIMITS, **rates})


@pytest.fixture
def listing(db):
    return PlacePageFactory(title="さくらの居場所")


def endpoints(listing) -> list[tuple[str, str, str, dict | str | None, bool]]:
    """(limit name, method, url, data, is API) for each limited endpoint."""
    area = AreaFactory(code="999990-801", name="つばき小学校区")
    member = MemberFactory()
    profile = json.dumps({"keywords": "将棋"})
    return [
        ("form", "post", reverse("membership-apply"), {"name": "団体"}, False),
        ("form", "post", reverse("listing-report", kwargs={"uuid": listing.uuid}), {}, False),
        ("match", "post", reverse("match"), {"keywords": "将棋"}, False),
        ("match", "post", reverse("match-print"), {"id": [str(listing.uuid)]}, False),
        ("match", "json", reverse("api-match"), profile, True),
        ("api", "get", reverse("api-resources"), None, True),
        ("api", "get", reverse("api-resource", kwargs={"id": listing.uuid}), None, True),
        ("api", "get", reverse("hsds-services"), None, True),
        ("api", "get", reverse("hsds-organizations"), None, True),
        ("api", "get", reverse("api-members"), None, True),
        ("search", "get", reverse("search") + "?q=居場所", None, False),
        ("feed", "get", reverse("listing-ics", kwargs={"uuid": listing.uuid}), None, False),
        ("feed", "get", reverse("area-ics", kwargs={"code": area.code}), None, False),
        ("feed", "get", reverse("member-ics", kwargs={"slug": member.slug}), None, False),
    ]


def send(client, method: str, url: str, data):
    if method == "json":
        return client.post(url, data, content_type="application/json")
    return getattr(client, method)(url, data or {})


@pytest.mark.django_db
def test_each_limited_endpoint_answers_429_past_its_rate(client, listing):
    for name, method, url, data, api in endpoints(listing):
        with low_rates(**{name: f"{LOW}/h"}):
            statuses = [send(client, method, url, data).status_code for _ in range(LOW)]
            assert 429 not in statuses, (url, statuses)
            response = send(client, method, url, data)
        assert response.status_code == 429, url
        assert int(response["Retry-After"]) >= 1, url
        assert "no-store" in response["Cache-Control"], url
        if api:
            message = response.json()["errors"]["__all__"][0]
        else:
            message = response.content.decode()
            assert '<html lang="ja">' in message, url
        assert "秒ほど待ってから" in message, url
        # The next test endpoint of the same limit starts from a fresh budget.
        from django.conf import settings

        settings.RATELIMIT_CACHE_PREFIX += "next:"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["hsds-services", "api-resources", "api-members"],
)
def test_a_public_api_429_keeps_its_cors_so_other_sites_can_show_why(client, url_name):
    with low_rates(api="1/h"):
        client.get(reverse(url_name))
        response = client.get(reverse(url_name))
    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_the_match_api_429_stays_same_origin(client):
    with low_rates(match="1/h"):
        send(client, "json", reverse("api-match"), "{}")
        response = send(client, "json", reverse("api-match"), "{}")
    assert response.status_code == 429
    assert not response.has_header("Access-Control-Allow-Origin")


@pytest.mark.django_db
def test_form_pages_can_be_viewed_without_counting(client, listing):
    with low_rates(form="1/h", match="1/h"):
        for _ in range(5):
            assert client.get(reverse("membership-apply")).status_code == 200
            assert client.get(reverse("match")).status_code == 200
        assert client.post(reverse("membership-apply"), {}).status_code != 429
        assert client.post(reverse("membership-apply"), {}).status_code == 429


@pytest.mark.django_db
def test_limits_count_per_client_address(client, listing):
    url = reverse("api-resources")
    with low_rates(api="2/h"):
        for _ in range(2):
            client.get(url, REMOTE_ADDR="192.0.2.1")
        assert client.get(url, REMOTE_ADDR="192.0.2.1").status_code == 429
        assert client.get(url, REMOTE_ADDR="192.0.2.2").status_code == 200


@pytest.mark.django_db
def test_match_429_echoes_nothing_of_the_profile(client, listing):
    with low_rates(match="1/h"):
        client.post(reverse("match"), {"keywords": "将棋"})
        response = client.post(reverse("match"), {"keywords": "囲碁クラブ"})
        api = client.post(
            reverse("api-match"),
            json.dumps({"keywords": "囲碁クラブ"}),
            content_type="application/json",
        )
    assert response.status_code == api.status_code == 429
    assert "囲碁クラブ" not in response.content.decode()
    assert "囲碁クラブ" not in api.content.decode()
    assert not response.cookies and not api.cookies


def test_trusted_proxy_address_is_used_and_client_written_parts_ignored(settings):
    factory = RequestFactory()
    request = factory.get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    assert client_ip(request) == "10.0.0.5"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # what nginx saw; 203.0.113.9 is client-written
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="x")) == (
        "unknown"
    )


def test_ipv6_clients_are_counted_per_64():
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    same_net = factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other = factory.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert client_key("g", one) == client_key("g", same_net) != client_key("g", other)


def test_counter_keys_hold_no_address(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "k"}
    }
    cache = caches["default"]
    cache.clear()
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.23")
    assert exceeded(request, "api") is None
    stored = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert stored and not any("198.51.100.23" in key for key in stored)
    assert client_key("g", request) != "198.51.100.23"
    cache.clear()


def test_counters_use_the_configured_default_cache(settings):
    """With REDIS_URL set (.ci/run), the limits are counted in Redis, shared by all workers."""
    assert getattr(settings, "RATELIMIT_USE_CACHE", "default") == "default"
    if os.environ.get("REDIS_URL"):
        assert type(caches["default"]).__name__ == "RedisCache"
        assert settings.CACHES["default"]["LOCATION"] == os.environ["REDIS_URL"]


def test_the_lockout_records_no_address_rather_than_a_placeholder():
    """PostgreSQL refuses "unknown" in axes' address column: force_login in every test broke."""
    assert lockout_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
    assert lockout_ip(RequestFactory().get("/", REMOTE_ADDR="192.0.2.4")) == "192.0.2.4"


def test_signing_in_without_an_address_is_not_an_error(django_user_model):
    """The test client's force_login builds a request without REMOTE_ADDR (axes resets on it)."""
    user = django_user_model.objects.create_user("kanrisha", password="x" * 12)
    client = Client()
    client.force_login(user)  # raised ValueError on PostgreSQL before lockout_ip
    assert client.session["_auth_user_id"] == str(user.pk)
