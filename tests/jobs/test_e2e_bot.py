"""End to end with the real bot on the fake Bot API: the scheduler's digest tick fires for an
imported batch of vacancies, and a retrain swaps the model the running bot answers with."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import AsyncIterator
from pathlib import Path

from bot.app import BotRuntime, create_runtime, serve
from bot.collector.importer import import_files
from bot.config import Settings
from bot.jobs.scheduler import setup_scheduler
from bot.services.model_holder import ModelHolder
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.vacancies import VacancyRepository
from recommender.bundle import load_bundle

from .conftest import TOKEN, FakeTelegram
from .corpus import card, write_jsonl

ADMIN, STUDENT = 1000, 2000


@contextlib.asynccontextmanager
async def running_bot(settings: Settings, tg: FakeTelegram, holder: ModelHolder) -> AsyncIterator[BotRuntime]:
    runtime = await create_runtime(settings, holder=holder)
    task = asyncio.create_task(serve(runtime, handle_signals=False, polling_timeout=1, probation=0))
    await tg.wait_until(lambda: any(method == "getUpdates" for method, _ in tg.calls), timeout=20)
    try:
        yield runtime
    finally:
        runtime.stop()
        await asyncio.wait_for(task, timeout=20)


async def admin_stats(tg: FakeTelegram) -> str:
    before = len(tg.outbox(ADMIN))
    await tg.send_text(ADMIN, "/stats")
    return (await tg.wait_messages(ADMIN, before + 1))[-1].plain


async def test_digest_tick_and_retrain_on_the_running_bot(
    tmp_path: Path, database_url: str, tg: FakeTelegram, model_dir: Path, base_corpus: Path
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=database_url,
        model_dir=model_dir,
        telegram_api_base=tg.url,
        admin_ids=str(ADMIN),  # type: ignore[arg-type]  # parsed by the settings validator
        data_path=str(base_corpus),
        retrain_models="nmf",
        retrain_salary=False,
        digest_tick_seconds=0.3,
        rate_limit_count=100,
    )
    tg.add_user(ADMIN, language_code="ru")
    tg.add_user(STUDENT, language_code="ru")
    holder = ModelHolder(load_bundle(model_dir))
    old_version = holder.version
    engine = create_engine(settings.database_url)
    async with running_bot(settings, tg, holder) as runtime:
        scheduler = setup_scheduler(settings, runtime.bot, runtime.holder, create_sessionmaker(engine))
        try:
            assert str(old_version) in await admin_stats(tg)

            await runtime.repo.touch_user(STUDENT, "ru")
            await runtime.repo.save_skills(STUDENT, "python, sql", ["python", "sql"])
            await runtime.repo.set_digest(STUDENT, "daily")
            rng = random.Random(1)
            fresh = [card(95_000_000 + i, "data", rng) for i in range(3)]
            await asyncio.sleep(0.01)  # first_seen_at strictly after the subscription
            stats = await import_files(
                [write_jsonl(tmp_path / "new.jsonl", fresh)], VacancyRepository(create_sessionmaker(engine))
            )
            assert stats.new == 3

            (digest,) = await tg.wait_messages(STUDENT, 1, timeout=30)
            assert all(c["alternate_url"] in digest.text for c in fresh)
            await asyncio.sleep(1.0)  # three more ticks
            assert len(tg.outbox(STUDENT)) == 1

            result = await scheduler.fresh_data.retrain()  # type: ignore[attr-defined]
            assert result.ok, result.line()
            outcome = result.value
            assert outcome.status == "promoted", outcome.reason
            assert outcome.version != old_version
            shown = await admin_stats(tg)
            assert str(outcome.version) in shown
            # The gate's decision on the served version, as recorded when it was promoted.
            assert f"Гейт качества: {outcome.decision.summary()}" in shown

            await tg.send_text(STUDENT, "python, sql")
            await tg.wait_messages(STUDENT, 3, timeout=30)
            manifest = json.loads((model_dir / "current" / "manifest.json").read_text())
            assert manifest["version"] == outcome.version
        finally:
            scheduler.shutdown(wait=False)
            await engine.dispose()
