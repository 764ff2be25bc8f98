"""From both sources to a student's digest: the real collectors against the fake hh.ru and Работа
России, the real store, and a digest sent through aiogram to the fake Bot API."""

from __future__ import annotations

import random
import re
import sys
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from fake_clock import FakeClock

from bot.collector.run import CollectionRun
from bot.config import Settings
from bot.jobs.digest import DigestJob
from bot.jobs.retrain import Retrainer
from bot.services.model_holder import ModelHolder
from bot.storage.digests import DigestRepository
from bot.storage.repository import Repository
from bot.storage.vacancies import VacancyRepository
from recommender.bundle import load_bundle

from .conftest import TOKEN, FakeTelegram
from .corpus import CITIES, card
from .test_retrain import config as retrain_config

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "collector"))
from fake_hh import FakeHH
from fake_trudvsem import FakeTrudvsem, make_vacancies

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bot"))
from bot_harness import running_bot

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


def _planted_pair(now: datetime, rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same job on both fakes: hh.ru's card today, Работа России's record of it (the fake's
    vacancy 0: 'Программист' at ООО "Компания 0" in Moscow, created three days ago)."""
    hh_card = card(84_000_000, "data", rng, area=CITIES[0])
    hh_card.update(
        name="Программист",
        employer={"id": "0", "name": "Компания 0"},
        published_at=now.strftime("%Y-%m-%dT%H:%M:%S%z"),
        key_skills=[{"name": s} for s in ("Python", "SQL", "Git")],
    )
    return hh_card, make_vacancies(1, newest=now)[0]


async def test_collected_deduped_retrained_answer_and_digest_lead_with_todays_vacancies(
    fakes: tuple[FakeHH, FakeTrudvsem], tg: FakeTelegram, model_dir: Path, base_corpus: Path,
    session_factory: Any, vacancies: VacancyRepository, clock: FakeClock, database_url: str, tmp_path: Path,
) -> None:  # fmt: skip
    """Both fakes collected → the same job merged into one entry → a small bundle retrained on
    the base corpus plus the collection → the bot's answer and a digest put today's vacancies
    first, dated "сегодня", with both links of the merged one and the live searches."""
    hh, trudvsem = fakes
    rng = random.Random(5)
    now = clock.now()
    today = now.strftime("%Y-%m-%dT%H:%M:%S%z")
    hh_twin, trudvsem_twin = _planted_pair(now, rng)
    hh.cards = [
        {**card(85_000_000 + i, "data", rng, area=CITIES[0]), "published_at": today} for i in range(3)
    ] + [hh_twin]
    trudvsem.vacancies = [trudvsem_twin]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        database_url=database_url,
        model_dir=model_dir,
        telegram_api_base=tg.url,
        data_path=str(base_corpus),
        hh_api_base=hh.url,
        trudvsem_api_base=trudvsem.url,
        hh_user_agent="jobrec-tests/0.1 (tests@example.com)",
        hh_rate_limit=1000.0,
        trudvsem_rate_limit=1000.0,
        collect_period_days=30,
        collect_state_path=tmp_path / "collect_state.json",
        rate_limit_count=100,
    )
    users = Repository(session_factory)
    tg.add_user(STUDENT, language_code="ru")
    await users.touch_user(STUDENT, "ru")
    await users.save_skills(STUDENT, "Python, SQL", ["python", "sql"])
    await users.set_digest(STUDENT, "daily")

    clock.advance(60)
    results = await CollectionRun(settings, session_factory, clock=clock).run(["hh", "trudvsem"])
    assert all(stats.ok for stats in results) and [s.new for s in results] == [4, 1]
    served = [v async for v in vacancies.iter_vacancies()]
    twin_key = f"hh:{hh_twin['id']}"
    assert sorted(v.key for v in served) == sorted(f"hh:{c['id']}" for c in hh.cards)  # one entry
    trudvsem_url = trudvsem_twin["vacancy"]["vac_url"]
    assert next(v for v in served if v.key == twin_key).also_at == (trudvsem_url,)

    holder = ModelHolder(load_bundle(model_dir))
    outcome = await Retrainer(retrain_config(model_dir, base_corpus), vacancies, holder).retrain("test")
    assert outcome.status == "promoted", outcome.reason
    assert holder.current is not None and len(holder.current.index) == 250 + 4

    async with running_bot(settings, tg, holder):
        await tg.send_text(STUDENT, "python, sql")
        answer = await _vacancy_list(tg)
        # By relevance, as the bot answers first: today's collection leads its match tier, ahead
        # of the base corpus's closer 2024 matches, and the answer no longer calls itself old.
    assert not answer.plain.startswith("⏳")
    newest = answer.text
    _assert_leads_with_today(newest, [c["alternate_url"] for c in hh.cards], twin=(hh_twin, trudvsem_url))

    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.url))
    bot = Bot(TOKEN, session=session)
    try:
        job = DigestJob(bot, holder, DigestRepository(session_factory), vacancies, users, clock=clock)
        stats = await job.tick()
    finally:
        await bot.session.close()
    assert stats.sent_to == [STUDENT]
    digest = tg.outbox(STUDENT)[-1].text
    _assert_leads_with_today(digest, [c["alternate_url"] for c in hh.cards], twin=(hh_twin, trudvsem_url))
    assert digest.count(trudvsem_url) == 1  # the merged job once, not once per source


async def _vacancy_list(tg: FakeTelegram) -> Any:
    """The answer message that lists vacancies (the bot may send the specialization apart)."""
    await tg.wait_until(lambda: any("hh.ru/vacancy/" in m.text for m in tg.outbox(STUDENT)), timeout=30)
    return next(m for m in tg.outbox(STUDENT) if "hh.ru/vacancy/" in m.text)


def _assert_leads_with_today(text: str, fresh_urls: list[str], *, twin: tuple[dict[str, Any], str]) -> None:
    hh_twin, trudvsem_url = twin
    shown = re.findall(r'href="(https://hh\.ru/vacancy/\d+)"', text)
    assert shown and shown[0] in fresh_urls, shown  # the first vacancy is one collected today
    first_block = text.split("\n\n")[0] if shown[0] in text.split("\n\n")[0] else text
    assert "сегодня" in first_block
    assert hh_twin["alternate_url"] in text and trudvsem_url in text  # the merged job: both links
    assert re.search(r">hh\.ru</a> · <a [^>]*>Работа России</a>", text)
    assert "https://hh.ru/search/vacancy?" in text and "https://trudvsem.ru/vacancy/search?" in text
