"""Collected vacancies reach every process's answers between retrains; closed and expired ones
leave. Real database (SQLite and PostgreSQL, migrated), real bundle, a second OS process, and
Redis for the wake-up."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from corpus import corpus
from databases import REDIS_URL

from bot.collector.records import to_record
from bot.services.index_follow import IndexFollower, announce_vacancies
from bot.services.model_holder import ModelHolder
from bot.services.model_watch import ModelWatcher
from bot.storage.db import create_engine, create_sessionmaker, upgrade_database
from bot.storage.model_versions import ModelVersionRepository
from bot.storage.vacancies import VacancyRepository
from bot.storage.vacancy_changes import CollectedVacancyChanges
from recommender.bundle import Bundle, load_bundle

QUERY = "terraform kubernetes"
NEWCOMER = {
    "id": "99000001",
    "name": "Terraform SRE-инженер",
    "area": {"id": "1", "name": "Москва"},
    "employer": {"id": "500", "name": "Новая облачная компания"},
    "salary": {"from": 150000, "to": 200000, "currency": "RUR", "gross": False},
    "schedule": {"id": "remote", "name": "Удаленная работа"},
    "experience": {"id": "noExperience", "name": "-"},
    "published_at": "2024-01-20T10:00:00+0300",
    "alternate_url": "https://hh.ru/vacancy/99000001",
    "description": "<p>Terraform, Kubernetes, Docker, Linux. Работа в команде.</p>",
    "key_skills": [{"name": s} for s in ("Terraform", "Kubernetes", "Docker", "Linux")],
}

# What a second process runs: its own bundle, holder and follower on the same database.
SECOND_PROCESS = """
import asyncio, json, sys
from datetime import UTC, datetime, timedelta
from bot.services.index_follow import IndexFollower
from bot.services.model_holder import ModelHolder
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.vacancy_changes import CollectedVacancyChanges
from recommender.bundle import load_bundle

async def main(url, model_dir, query, days_ahead):
    engine = create_engine(url)
    holder = ModelHolder(load_bundle(model_dir))
    clock = lambda: datetime.now(UTC) + timedelta(days=days_ahead)
    follower = IndexFollower(holder, CollectedVacancyChanges(create_sessionmaker(engine), 30), clock=clock)
    await follower.catch_up()
    bundle = holder.current
    print(json.dumps([m.id for m in bundle.recommend(bundle.understand(query).query, k=10).vacancies]))
    await engine.dispose()

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
"""


def top_ids(bundle: Bundle, k: int = 10) -> list[str]:
    return [m.id for m in bundle.recommend(bundle.understand(QUERY).query, k=k).vacancies]


def second_process(url: str, model_dir: Path, days_ahead: float = 0) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS, url, str(model_dir), QUERY, str(days_ahead)],
        capture_output=True, text=True, check=True, timeout=240,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def closed_id(model_dir: Path) -> str:
    """The best match for the query before anything changes: the vacancy the source closes."""
    return top_ids(load_bundle(model_dir))[0]


async def collect(url: str, closed_id: str) -> None:
    """What the worker's collection does: store a new vacancy, and mark one it found closed."""
    engine = create_engine(url)
    repository = VacancyRepository(create_sessionmaker(engine))
    closed = next(card for card in corpus() if card["id"] == closed_id)
    await repository.upsert([to_record(NEWCOMER), to_record(closed)])
    assert await repository.mark_archived([f"hh:{closed_id}"]) == 1
    await engine.dispose()


async def test_collected_and_closed_vacancies_reach_this_and_a_second_process(
    database_url: str, model_dir: Path, closed_id: str
) -> None:
    await asyncio.to_thread(upgrade_database, database_url)
    engine = create_engine(database_url)
    holder = ModelHolder(load_bundle(model_dir))
    follower = IndexFollower(holder, CollectedVacancyChanges(create_sessionmaker(engine), retention_days=30))
    assert await follower.catch_up() == 0  # nothing collected yet
    before = top_ids(holder.current)
    assert NEWCOMER["id"] not in before and closed_id in before

    await collect(database_url, closed_id)
    assert await follower.catch_up() == 2
    after = top_ids(holder.current)
    assert NEWCOMER["id"] in after and closed_id not in after
    assert holder.version == load_bundle(model_dir).version  # the model stays; only the index moved
    assert await follower.catch_up() == 0  # caught up: nothing rebuilt again

    other = await asyncio.to_thread(second_process, database_url, model_dir)
    assert NEWCOMER["id"] in other and closed_id not in other
    await engine.dispose()


async def test_a_vacancy_not_seen_for_the_retention_leaves(
    database_url: str, model_dir: Path, closed_id: str
) -> None:
    await asyncio.to_thread(upgrade_database, database_url)
    await collect(database_url, closed_id)
    engine = create_engine(database_url)
    today = datetime.now(UTC)
    clock = [today]
    holder = ModelHolder(load_bundle(model_dir))
    changes = CollectedVacancyChanges(create_sessionmaker(engine), retention_days=30)
    follower = IndexFollower(holder, changes, clock=lambda: clock[0])
    await follower.catch_up()
    assert NEWCOMER["id"] in top_ids(holder.current)
    clock[0] = today + timedelta(days=29)
    await follower.catch_up()
    assert NEWCOMER["id"] in top_ids(holder.current)
    clock[0] = today + timedelta(days=31)  # unchanged at the source for 31 days: expired
    assert await follower.catch_up() == 1
    assert NEWCOMER["id"] not in top_ids(holder.current)
    # a process started after the expiry never serves it
    assert NEWCOMER["id"] not in await asyncio.to_thread(second_process, database_url, model_dir, 31)
    await engine.dispose()


async def test_a_redis_announcement_wakes_the_follower(
    postgres_url: str, redis_prefix: str, model_dir: Path, closed_id: str
) -> None:
    from redis.asyncio import Redis

    await asyncio.to_thread(upgrade_database, postgres_url)
    engine = create_engine(postgres_url)
    redis = Redis.from_url(REDIS_URL)
    holder = ModelHolder(load_bundle(model_dir))
    changes = CollectedVacancyChanges(create_sessionmaker(engine), retention_days=30)
    follower = IndexFollower(holder, changes, poll_seconds=3600, redis=redis, redis_prefix=redis_prefix)
    task = asyncio.create_task(follower.run())
    try:
        first = holder.current
        await asyncio.sleep(1.0)  # the first catch-up and the subscription
        await collect(postgres_url, closed_id)
        await announce_vacancies(redis, redis_prefix)
        for _ in range(100):
            if holder.current is not first:
                break
            await asyncio.sleep(0.1)
        assert NEWCOMER["id"] in top_ids(holder.current)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await redis.aclose()
        await engine.dispose()


def test_an_update_never_undoes_a_new_model(model_dir: Path) -> None:
    first = load_bundle(model_dir)
    holder = ModelHolder(first)
    newer = load_bundle(model_dir)
    holder.swap(newer)  # the model watcher swapped in a retrain while the index was updated
    assert not holder.replace(first, first.updated([], {"hh:x"}))
    assert holder.current is newer


async def test_a_new_model_is_served_without_the_vacancies_closed_since_its_training(
    database_url: str, model_dir: Path, closed_id: str
) -> None:
    """The moment a bundle is served it is level with the database: its first answer already
    leaves out what closed since its training (the follower's ``level``, run by the watcher)."""
    await asyncio.to_thread(upgrade_database, database_url)
    await collect(database_url, closed_id)  # closed (and one collected) after the bundle's training
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    holder = ModelHolder()
    follower = IndexFollower(holder, CollectedVacancyChanges(sessions, retention_days=30))
    watcher = ModelWatcher(holder, ModelVersionRepository(sessions), model_dir)
    watcher.prepare = follower.level

    assert await watcher.check() is True  # the folder's bundle, served for the first time
    first_answer = top_ids(holder.current)
    assert closed_id not in first_answer and NEWCOMER["id"] in first_answer
    assert holder.version == load_bundle(model_dir).version
    assert await follower.catch_up() == 0  # the follower follows it from there: nothing to redo
    await engine.dispose()
