"""Fixtures for the scheduled-jobs tests: a synthetic API-shaped corpus, a real bundle trained
once per session, a migrated database (SQLite and PostgreSQL), a fake clock and the fake Telegram server."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fake_clock import FakeClock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import create_engine, create_sessionmaker, upgrade_database
from bot.storage.vacancies import VacancyRepository

# The bot engineer's fake Telegram Bot API server (tests/bot/fake_telegram.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bot"))
from fake_telegram import FakeTelegram

# The bundle fixtures shared with the scale-out suite (tests/jobs/bundle_fixtures.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_fixtures

base_corpus = bundle_fixtures.base_corpus
trained_dir = bundle_fixtures.trained_dir
model_dir = bundle_fixtures.model_dir

TOKEN = "123456789:AAtestTOKENtestTOKENtestTOKEN12345"


@pytest.fixture(scope="session")
def bundle(trained_dir: Path) -> Any:
    from recommender.bundle import load_bundle

    return load_bundle(trained_dir)


@pytest.fixture
async def session_factory(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    await asyncio.to_thread(upgrade_database, database_url)
    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def vacancies(session_factory: async_sessionmaker[AsyncSession]) -> VacancyRepository:
    return VacancyRepository(session_factory)


@pytest.fixture
def clock() -> FakeClock:
    # Starts at the real "now": the bot's repository stamps subscriptions with the wall clock.
    return FakeClock(start=datetime.now(UTC))


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(TOKEN)
    await server.start()
    yield server
    await server.stop()
