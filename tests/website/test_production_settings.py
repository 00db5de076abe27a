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
}


def load_production_settings(**overrides: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in REQUIRED}
    env.update({**REQUIRED, **overrides})
    return subprocess.run(
        [sys.executable, "-c", "import website.settings.production"],
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
