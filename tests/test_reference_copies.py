"""No tracked file of the project is a copy of a file under ../shared/reference/.

Those files are there for development and tests only; the project describes its own APIs and
the tests read the originals from there.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.reference import reference_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tracked_files(root: Path) -> list[Path]:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git がないため追跡中のファイルを一覧できません / git is not installed")
    listed = subprocess.run(  # noqa: S603 (a fixed command, no input)
        [git, "ls-files", "-z"], cwd=root, capture_output=True, check=True
    ).stdout.decode()
    return [root / name for name in listed.split("\0") if name]


def test_no_project_file_is_a_copy_of_a_reference_file() -> None:
    reference = reference_path()
    by_size: dict[int, list[Path]] = {}
    for path in reference.rglob("*"):
        if path.is_file() and path.stat().st_size > 0:
            by_size.setdefault(path.stat().st_size, []).append(path)
    root = Path(settings.BASE_DIR)
    copies = [
        f"{path.relative_to(root)} = {original.relative_to(reference)}"
        for path in _tracked_files(root)
        if path.is_file() and path.stat().st_size in by_size
        for original in by_size[path.stat().st_size]
        if _digest(path) == _digest(original)
    ]
    assert copies == []


def test_a_missing_reference_file_skips_with_the_reason() -> None:
    with pytest.raises(pytest.skip.Exception, match="shared/reference"):
        reference_path("no-such-specification", "schema.json")
