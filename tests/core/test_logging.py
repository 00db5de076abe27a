"""core.logging.StripQueryStrings: search words never reach a log line (issue 11)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from core.logging import StripQueryStrings

ROOT = Path(__file__).resolve().parents[2]
PATHS = ["/search/", "/api/v1/resources"]
PHONE = "090-1234-5678"


def formatted(record: logging.LogRecord) -> str:
    assert StripQueryStrings(PATHS).filter(record) is True  # rewrites, never drops
    return record.getMessage()


def record(msg: str, args: tuple | dict | None = None, **extra) -> logging.LogRecord:
    made = logging.LogRecord("django.server", logging.INFO, __file__, 1, msg, args, None)
    made.__dict__.update(extra)
    return made


def test_runserver_request_line_of_a_search_loses_its_query_string():
    line = formatted(record('"%s" %s %s', (f"GET /search/?q={PHONE}&area=1 HTTP/1.1", "200", "9")))
    assert line == '"GET /search/ HTTP/1.1" 200 9'


def test_the_resources_api_and_its_percent_encoded_words_are_stripped_too():
    line = formatted(record("Bad Request: /api/v1/resources?q=%E5%B1%B1%E7%94%B0 done"))
    assert line == "Bad Request: /api/v1/resources done"


def test_other_paths_keep_their_query_strings():
    line = formatted(record('"%s" %s', ("GET /api/hsds/services?page=2 HTTP/1.1", "200")))
    assert "page=2" in line


def test_gunicorn_access_atoms_lose_query_request_line_and_referer():
    atoms = {
        "r": f"GET /api/v1/resources?q={PHONE} HTTP/1.1",
        "U": "/api/v1/resources",
        "q": f"q={PHONE}",
        "f": f"https://tsunagari.example.jp/search/?q={PHONE}",
        "s": "200",
    }
    line = formatted(record("%(r)s|%(U)s|%(q)s|%(f)s|%(s)s", atoms))
    assert PHONE not in line
    assert (
        line
        == "GET /api/v1/resources HTTP/1.1|/api/v1/resources||https://tsunagari.example.jp/search/|200"
    )


def test_the_request_of_an_error_report_has_no_query_and_the_real_one_is_untouched(rf):
    request = rf.get("/search/", {"q": PHONE})
    made = record("Internal Server Error: %s", ("/search/",), request=request)
    formatted(made)
    assert made.request.get_full_path() == "/search/" and not made.request.GET
    assert request.GET["q"] == PHONE


def test_production_logging_strips_search_words_from_django_server_and_request():
    code = (
        "import django, logging; django.setup();"
        f"logging.getLogger('django.server').info('%s', 'GET /search/?q={PHONE} HTTP/1.1');"
        f"logging.getLogger('django.request').warning('Bad: %s', '/api/v1/resources?q={PHONE}')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "tsunagari.example.jp",
        "WAGTAILADMIN_BASE_URL": "https://tsunagari.example.jp",
        "TSUNAGARI_SINGLE_PROCESS": "1",
    }
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "GET /search/ HTTP/1.1" in result.stderr
    assert "Bad: /api/v1/resources" in result.stderr
    assert PHONE not in result.stderr


@pytest.mark.parametrize("paths", [(), ["/search/"]])
def test_a_record_without_a_listed_path_is_unchanged(paths):
    made = record("%s", ("GET /match/ HTTP/1.1",))
    assert StripQueryStrings(paths).filter(made) and made.getMessage() == "GET /match/ HTTP/1.1"


@pytest.mark.parametrize("path", ["/search/map/", "/events/", "/partners/", "/api/v1/members"])
def test_every_public_path_that_takes_typed_words_is_stripped_in_production(path):
    """Found: /search/map/?q= and /events/?q= kept their words (only /search/ was listed)."""
    made = record("%s", (f"GET {path}?q={PHONE} HTTP/1.1",))
    assert StripQueryStrings(settings.QUERYLESS_LOG_PATHS).filter(made)
    assert made.getMessage() == f"GET {path} HTTP/1.1"
