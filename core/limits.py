"""Abuse limits in one place: named per-client rates, one client key, one 429 answer.

Every limit is a name in `settings.RATE_LIMITS` ("form", "match", "api", …) with a
django-ratelimit rate such as "60/m"; views say which name applies with `@limited(name)`.
Counters live in the `default` cache, which is Redis in production, so the gunicorn workers
share one count. A counter's cache key is django-ratelimit's SHA-256 over the group, the window
and our key, and our key is an HMAC (SECRET_KEY) of the client's network or of an e-mail
address: the cache never holds an IP address, an address or anything of a request, only a count
that expires with its window (docs/privacy.md).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template import loader
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from core.http import Cors, json_response, with_cors

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

# Residents behind one router share an IPv6 /64 (and attackers get a whole one): count per /64.
IPV6_PREFIX = 64


def rate(name: str) -> str:
    """The configured rate for a named limit; an unknown name is a programming error."""
    try:
        return str(settings.RATE_LIMITS[name])
    except KeyError:
        raise ImproperlyConfigured(f"RATE_LIMITS has no limit named {name!r}.") from None


UNKNOWN_CLIENT = "unknown"  # one shared bucket for requests without a usable address


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or what the trusted reverse proxies saw.

    With TRUSTED_PROXY_COUNT = n (nginx in front: 1), the n-th address from the right of
    X-Forwarded-For is the one the outermost proxy received the request from; anything left of
    it was written by the client and is ignored. Also used by django-axes for the lockout.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return UNKNOWN_CLIENT


def lockout_ip(request: HttpRequest) -> str | None:
    """The address django-axes records: None when there is none.

    Axes stores it in a GenericIPAddressField, which PostgreSQL checks: the "unknown" bucket of
    the rate limits would fail there (a request built by the test client's force_login, or a
    proxy that sent nothing usable).
    """
    address = client_ip(request)
    return None if address == UNKNOWN_CLIENT else address


def private_key(kind: str, value: str) -> str:
    """An HMAC of `value`: counters can be found again, the value cannot be read back."""
    return salted_hmac(f"core.limits.{kind}", value).hexdigest()


def client_key(group: str, request: HttpRequest) -> str:
    """The counter key of the client's address (its /64 for IPv6), hashed."""
    address = client_ip(request)
    if ":" in address:
        address = str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return private_key("client", address)


def exceeded(request: HttpRequest, name: str, key: str | None = None) -> int | None:
    """Count one request against limit `name`; the seconds to wait if it is over, else None.

    `key` defaults to the client's hashed address; pass `private_key(...)` to count something
    else (an e-mail address of a password reset).
    """
    usage = get_usage(
        request,
        group=f"tsunagari.{name}",
        key=client_key if key is None else (lambda group, request: key),
        rate=rate(name),
        method=ALL,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(int(usage["time_left"]), 1)


def message(retry_after: int) -> str:
    return gettext(
        "短い時間にアクセスが集中したため、受け付けを一時停止しています。"
        "%(seconds)s 秒ほど待ってから、もう一度お試しください。"
    ) % {"seconds": retry_after}


def too_many_requests(retry_after: int, *, api: bool, cors: Cors) -> HttpResponse:
    """429 with a Japanese message: JSON `{"errors": {"__all__": [...]}}` or the 429 page.

    The page is rendered without context processors or queries: it must stay cheap under load.
    """
    response: HttpResponse
    if api:
        response = json_response(
            {"errors": {"__all__": [message(retry_after)]}}, cors=cors, status=429
        )
    else:
        html = loader.render_to_string("429.html", {"message": message(retry_after)})
        response = with_cors(HttpResponse(html, status=429), cors)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def limited(
    name: str,
    *,
    methods: tuple[str, ...] | None = None,
    api: bool = False,
    cors: Cors = Cors.SAME_ORIGIN,
) -> Callable[[View], View]:
    """Decorate a view: requests (of `methods`, default all) beyond limit `name` get a 429.

    `api` answers in JSON; `cors` is the endpoint's own CORS choice (core.http), so a site
    that may read the endpoint can also read why it has to wait.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if methods is None or request.method in methods:
                retry_after = exceeded(request, name)
                if retry_after is not None:
                    return too_many_requests(retry_after, api=api, cors=cors)
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
