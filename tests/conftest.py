"""Fixtures shared by all test folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("JOBREC_SHARED_DATA", ROOT.parent / "shared" / "data"))
# A developer's .env in the project folder is read by every command (bot/config.py); never by the
# tests, nor by the processes they start. Tests of the lookup set JOBREC_ENV_FILE themselves.
os.environ["JOBREC_ENV_FILE"] = os.devnull


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The real hh.ru files beside the checkout; tests that need them skip without them."""
    if not (SHARED_DATA / "hh_it_2021.jsonl.gz").exists():
        pytest.skip(f"shared vacancy data not found at {SHARED_DATA} (it lives beside the checkout)")
    return SHARED_DATA




# --- databases: the suites that store something run on SQLite and on PostgreSQL ------------

sys.path.insert(0, str(Path(__file__).parent))
from databases import (  # noqa: E402
    fresh_postgres_database,
    fresh_redis_prefix,
    postgres_unavailable,
    redis_unavailable,
)


@pytest.fixture(scope="session")
def postgres_skip_reason() -> str | None:
    return postgres_unavailable()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_skip_reason: str | None
) -> Iterator[str]:
    """A fresh, empty database: a SQLite file under tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'var' / 'jobrec.db'}"
        return
    if postgres_skip_reason is not None:
        pytest.skip(postgres_skip_reason)
    yield from fresh_postgres_database()


@pytest.fixture
def postgres_url(postgres_skip_reason: str | None) -> Iterator[str]:
    """PostgreSQL only, for the tests about it (advisory locks, races)."""
    if postgres_skip_reason is not None:
        pytest.skip(postgres_skip_reason)
    yield from fresh_postgres_database()


@pytest.fixture(scope="session")
def redis_skip_reason() -> str | None:
    return redis_unavailable()


@pytest.fixture
def redis_prefix(redis_skip_reason: str | None) -> Iterator[str]:
    """A unique key prefix on the shared Redis (``databases.REDIS_URL``), cleaned up after."""
    if redis_skip_reason is not None:
        pytest.skip(redis_skip_reason)
    yield from fresh_redis_prefix()
