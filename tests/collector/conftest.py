"""Fixtures for the collector tests: a fake hh.ru server, a real database (a SQLite file and a
PostgreSQL database), a fake clock."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable

import pytest
from fake_clock import FakeClock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.collector.hh_auth import HHAuth
from bot.collector.hh_client import HHClient, HHClientConfig
from bot.collector.http import HttpConfig
from bot.collector.throttle import Backoff
from bot.collector.trudvsem_client import TrudvsemClient
from bot.storage.db import create_engine, create_sessionmaker, upgrade_database
from bot.storage.sources import SourceStateRepository
from bot.storage.vacancies import VacancyRepository

from .fake_hh import FakeHH
from .fake_trudvsem import FakeTrudvsem


@pytest.fixture
async def fake_hh(clock: FakeClock) -> AsyncIterator[FakeHH]:
    server = FakeHH(now=clock.now)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def session_factory(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    await asyncio.to_thread(upgrade_database, database_url)  # the real migrations, as in production
    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def repository(session_factory: async_sessionmaker[AsyncSession]) -> VacancyRepository:
    return VacancyRepository(session_factory)


@pytest.fixture
def sources(session_factory: async_sessionmaker[AsyncSession]) -> SourceStateRepository:
    return SourceStateRepository(session_factory)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(fake_hh: FakeHH, clock: FakeClock) -> Callable[..., HHClient]:
    def build(auth: HHAuth | None = None, **overrides: object) -> HHClient:
        settings: dict[str, object] = {
            "user_agent": "jobrec-tests/0.1 (tests@example.com)",
            "base_url": fake_hh.url,
            "rate_limit": 1000.0,
            "concurrency": 4,
            "timeout": 5.0,
            "backoff": Backoff(base=0.5, cap=8.0, max_retries=3),
        }
        settings.update(overrides)
        config = HHClientConfig(**settings)  # type: ignore[arg-type]
        return HHClient(config, auth=auth, clock=clock, rng=random.Random(0))

    return build


@pytest.fixture
async def fake_trudvsem() -> AsyncIterator[FakeTrudvsem]:
    server = FakeTrudvsem()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def make_trudvsem_client(fake_trudvsem: FakeTrudvsem, clock: FakeClock) -> Callable[..., TrudvsemClient]:
    def build(**overrides: object) -> TrudvsemClient:
        settings: dict[str, object] = {
            "base_url": fake_trudvsem.url,
            "user_agent": "jobrec-tests/0.1 (tests@example.com)",
            "rate_limit": 1000.0,
            "concurrency": 2,
            "timeout": 5.0,
            "backoff": Backoff(base=0.5, cap=8.0, max_retries=3),
        }
        settings.update(overrides)
        return TrudvsemClient(HttpConfig(**settings), clock=clock, rng=random.Random(0))  # type: ignore[arg-type]

    return build
