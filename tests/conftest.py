"""Fixtures shared by all test folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("JOBREC_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The real hh.ru files beside the checkout; tests that need them skip without them."""
    if not (SHARED_DATA / "hh_it_2021.jsonl.gz").exists():
        pytest.skip(f"shared vacancy data not found at {SHARED_DATA} (it lives beside the checkout)")
    return SHARED_DATA
