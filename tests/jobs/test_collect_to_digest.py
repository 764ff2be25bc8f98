"""From both sources to a student's digest: the real collectors against the fake hh.ru and Работа
России, the real store, and a digest sent through aiogram to the fake Bot API."""

from __future__ import annotations

import random
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.collector.clock import FakeClock
from bot.collector.run import CollectionRun
from bot.config import Settings
from bot.jobs.digest import DigestJob
from bot.services.model_holder import ModelHolder
from bot.storage.digests import DigestRepository
from bot.storage.repository import Repository
from bot.storage.vacancies import VacancyRepository

from .conftest import TOKEN, FakeTelegram
from .corpus import CITIES, card

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "collector"))
from fake_hh import FakeHH
from fake_trudvsem import FakeTrudvsem, make_vacancies

STUDENT = 601


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeHH, FakeTrudvsem]]:
    hh, trudvsem = FakeHH(), FakeTrudvsem()
    await hh.start()
    await trudvsem.start()
    yield hh, trudvsem
    await hh.stop()
    await trudvsem.stop()


async def test_vacancies_of_both_sources_reach_the_digest(
    fakes: tuple[FakeHH, FakeTrudvsem], tg: FakeTelegram, bundle: Any, session_factory: Any,
    vacancies: VacancyRepository, clock: FakeClock, database_url: str, tmp_path: Path,
) -> None:  # fmt: skip
    hh, trudvsem = fakes
    rng = random.Random(7)
    hh.cards = [card(83_000_000 + i, "data", rng, area=CITIES[0]) for i in range(3)]
    # Работа России: programmers knowing Python and SQL (every fifth of the fake's kinds), in Moscow
    trudvsem.vacancies = [
        v for v in make_vacancies(40, newest=clock.now()) if "Python" in v["vacancy"]["skills"]
    ]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        hh_api_base=hh.url,
        trudvsem_api_base=trudvsem.url,
        hh_user_agent="jobrec-tests/0.1 (tests@example.com)",
        hh_rate_limit=1000.0,
        trudvsem_rate_limit=1000.0,
        collect_period_days=2000,
        collect_state_path=tmp_path / "collect_state.json",
    )
    users = Repository(session_factory)
    tg.add_user(STUDENT)
    await users.touch_user(STUDENT, "ru")
    await users.save_skills(STUDENT, "Python, SQL", ["python", "sql"])
    await users.set_digest(STUDENT, "daily")

    clock.advance(60)
    hh_stats, trudvsem_stats = await CollectionRun(settings, session_factory, clock=clock).run(
        ["hh", "trudvsem"]
    )
    assert hh_stats.ok and trudvsem_stats.ok
    assert (hh_stats.new, trudvsem_stats.new) == (3, len(trudvsem.vacancies))

    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.url))
    bot = Bot(TOKEN, session=session)
    try:
        job = DigestJob(
            bot, ModelHolder(bundle), DigestRepository(session_factory), vacancies, users, clock=clock
        )
        stats = await job.tick()
    finally:
        await bot.session.close()
    assert stats.sent_to == [STUDENT]
    (message,) = tg.outbox(STUDENT)
    # Работа России's vacancies, collected a minute ago, linked to their cards, with the skills matched
    shown = [v["vacancy"]["vac_url"] for v in trudvsem.vacancies if v["vacancy"]["vac_url"] in message.text]
    assert len(shown) >= 3
    assert "✓ есть: Python, SQL" in message.text
    # and the live searches of both sources, for what is newer still
    assert (
        "https://hh.ru/search/vacancy?" in message.text
        and "https://trudvsem.ru/vacancy/search?" in message.text
    )
