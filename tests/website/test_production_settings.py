"""Production settings refuse to start without what a real deployment needs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "tsunagari.example.jp",
    "WAGTAILADMIN_BASE_URL": "https://tsunagari.example.jp",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
OPT_OUT = "TSUNAGARI_SINGLE_PROCESS"


# Loads the settings and prints the cache backend they chose.
PROGRAM = 'import website.settings.production as s; print(s.CACHES["default"]["BACKEND"])'


def load_production_settings(**overrides: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {*REQUIRED, OPT_OUT}}
    env.update({**REQUIRED, **overrides})
    return subprocess.run(  # noqa: S603 - our fixed program, our own interpreter
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_load_with_everything_set():
    assert load_production_settings().returncode == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "short"),
        ("ALLOWED_HOSTS", ""),
        ("WAGTAILADMIN_BASE_URL", ""),
        ("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000"),
    ],
)
def test_production_settings_refuse_a_missing_or_unsafe_value(name, value):
    result = load_production_settings(**{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_production_cache_is_redis_from_redis_url():
    result = load_production_settings()
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_production_settings_refuse_to_start_without_redis_url():
    result = load_production_settings(REDIS_URL="")
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr and OPT_OUT in result.stderr


def test_single_process_opt_out_keeps_the_local_cache():
    result = load_production_settings(REDIS_URL="", **{OPT_OUT: "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
