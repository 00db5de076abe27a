"""The English catalogue covers every Japanese string of the site, and its .mo is up to date.

Why: a template or form that gains a Japanese string without an English entry shows Japanese in
the English UI, and an edited .po that was not compiled changes nothing. Both are caught here,
on the same source `make messages` reads, without touching the committed catalogue.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES"
SOURCE_IGNORED = (".*", "var", "tests", "bench", "node_modules", "media", "static", "__pycache__")

pytestmark = pytest.mark.skipif(
    not shutil.which("msgattrib"), reason="GNU gettext (msgattrib) is not installed"
)


def entries(mo: Path) -> dict[str, str]:
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    return {key: value for key, value in catalogue._catalog.items() if key}  # type: ignore[attr-defined]


def test_every_source_string_has_an_english_translation(tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*SOURCE_IGNORED))
    command = [
        sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete",
        "--ignore", "templates/wagtailadmin/*",
    ]  # fmt: skip
    made = subprocess.run(command, cwd=copy, capture_output=True, text=True, check=False)  # noqa: S603
    assert made.returncode == 0, made.stderr
    po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    missing = subprocess.run(  # noqa: S603
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    fuzzy = subprocess.run(  # noqa: S603
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert not missing, f"untranslated — run `make messages` and translate:\n{missing}"
    assert not fuzzy, f"fuzzy guesses to check:\n{fuzzy}"


def test_the_compiled_catalogue_matches_the_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603
        ["msgfmt", "-o", str(compiled), str(CATALOGUE / "django.po")],  # noqa: S607
        check=True,
    )
    assert entries(CATALOGUE / "django.mo") == entries(compiled), "run `make messages`"
