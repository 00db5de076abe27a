"""Files under ../shared/reference/ (outside material for development and CI, never copied in).

Tests that check our output against an outside specification read it from there; on a clone
without it they skip with the reason, through `reference_path`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

REFERENCE_DIR = Path(settings.BASE_DIR).parent / "shared" / "reference"


def reference_path(*parts: str) -> Path:
    """The path of a reference file, or skip the calling test when it is not on this machine."""
    path = REFERENCE_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"参照資料 {path} がありません（../shared/reference/ は開発と CI にだけあります）"
            f" / reference file {path} is not on this machine"
        )
    return path
