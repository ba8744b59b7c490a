"""Access to ../shared/data for the tests that need real text (skipped with a message without it)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def require_shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is absent ({SHARED_DATA.resolve()}): real-text tests need it")
    return SHARED_DATA
