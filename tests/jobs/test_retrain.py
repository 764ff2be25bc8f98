"""Retraining for real: a child process trains on the base corpus plus collected vacancies."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
from pathlib import Path
from typing import Any

from bot.collector.records import to_record
from bot.jobs.retrain import REJECTED_DIR, RetrainConfig, Retrainer, export_collected
from bot.services.advisor import Advisor
from bot.services.model_holder import ModelHolder
from bot.services.model_watch import bundle_sha256
from bot.storage.model_versions import ModelVersionRepository
from bot.storage.vacancies import VacancyRepository
from recommender.bundle import VERSIONS_DIR, load_bundle, resolve_current

from .corpus import FIELDS, card, write_jsonl


async def collect_some(vacancies: VacancyRepository, n: int = 60) -> None:
    rng = random.Random(11)
    fields = list(FIELDS)
    await vacancies.upsert([to_record(card(90_000_000 + i, fields[i % len(fields)], rng)) for i in range(n)])


def config(model_dir: Path, base: Path, **overrides: Any) -> RetrainConfig:
    values: dict[str, Any] = {
        "model_dir": model_dir,
        "base_data": [str(base)],
        "models": "nmf",
        "salary": False,
        "tolerance": 0.05,
        "timeout": 240,
    }
    values.update(overrides)
    return RetrainConfig(**values)


async def test_export_writes_the_databases_vacancies(vacancies: VacancyRepository, tmp_path: Path) -> None:
    from bot.jobs.vacancy_file import read_vacancies

    await collect_some(vacancies, 12)
    stored = [v async for v in vacancies.iter_vacancies()]
    closed = stored[3].key
    await vacancies.mark_archived([closed])  # learned after collection: no raw payload says so
    count = await export_collected(vacancies, tmp_path / "out.vacancies.pkl", batch=5)
    exported = list(read_vacancies(tmp_path / "out.vacancies.pkl"))
    assert count == len(exported) == 12
    assert {v.key for v in exported} == {v.key for v in stored}
    assert [v.key for v in exported if v.archived] == [closed]
    assert all(v.detail == "card" and v.key_skills for v in exported)


async def test_retrain_promotes_and_the_bot_answers_with_the_new_model(
    model_dir: Path, base_corpus: Path, vacancies: VacancyRepository, session_factory: Any
) -> None:
    await collect_some(vacancies)
    serving = load_bundle(model_dir)
    holder = ModelHolder(serving)
    advisor = Advisor(holder)  # the bot's service, kept across the swap: no restart
    before = await advisor.recommend(serving.understand("python, sql").query)
    assert before is not None
    in_flight = holder.current

    versions = ModelVersionRepository(session_factory)
    announced: list[str] = []

    async def announce(version: str) -> None:
        announced.append(version)

    retrainer = Retrainer(
        config(model_dir, base_corpus), vacancies, holder, versions=versions, announce=announce
    )
    outcome = await retrainer.retrain("test")

    assert outcome.status == "promoted", outcome.reason
    # The version row is what "current" means to every other process; they were told.
    recorded = await versions.current()
    assert recorded is not None and recorded.version == outcome.version and announced == [outcome.version]
    assert recorded.sha256 == bundle_sha256(Path(recorded.path)) and recorded.metrics
    assert not any((model_dir / "staging").glob("*"))  # its staging folder is gone
    promoted = holder.current
    assert promoted is not None and promoted is not serving
    after = await advisor.recommend(promoted.understand("python, sql").query)
    assert after is not None
    assert after.model_version == outcome.version != before.model_version
    assert resolve_current(model_dir) == (model_dir / VERSIONS_DIR / str(outcome.version)).resolve()
    # A request that took the old bundle before the swap still finishes on it.
    assert in_flight is not None and in_flight.version == before.model_version
    assert in_flight.recommend(in_flight.understand("python, sql").query).vacancies
    manifest = json.loads((model_dir / "current" / "manifest.json").read_text())
    assert manifest["data"]["rows"] == 250 + 60  # base corpus + collected vacancies


async def test_retrain_trains_on_the_history_kept_only(
    model_dir: Path, base_corpus: Path, vacancies: VacancyRepository, tmp_path: Path
) -> None:
    """TRAINING_HISTORY_MONTHS reaches the child: rows older than the bound are left out of training."""
    await collect_some(vacancies)
    rng = random.Random(5)
    old = [card(80_000_000 + i, list(FIELDS)[i % len(FIELDS)], rng) for i in range(40)]
    for record in old:  # three years before the rest (2024)
        record["published_at"] = "2021-01-15T10:00:00+0300"
    old_file = write_jsonl(tmp_path / "old.jsonl", old)
    retrainer = Retrainer(
        config(model_dir, base_corpus, base_data=[str(base_corpus), str(old_file)], history_months=18),
        vacancies,
        ModelHolder(load_bundle(model_dir)),
    )
    outcome = await retrainer.retrain("test")
    assert outcome.status == "promoted", outcome.reason
    manifest = json.loads((model_dir / "current" / "manifest.json").read_text())
    assert manifest["data"]["rows"] == 250 + 60  # the 40 rows of 2021 are out of the 18 months


async def test_worse_bundle_is_rejected_and_kept_aside(
    model_dir: Path, base_corpus: Path, vacancies: VacancyRepository
) -> None:
    await collect_some(vacancies)
    holder = ModelHolder(load_bundle(model_dir))
    serving_before = resolve_current(model_dir)
    # Deliberately worse: trained on only 12 vacancies, it misses most skills' neighbours.
    worse = config(model_dir, base_corpus, sample=12)

    outcome = await Retrainer(worse, vacancies, holder).retrain("test")

    assert outcome.status == "rejected", outcome.reason
    assert outcome.decision is not None and outcome.decision.regressions
    assert resolve_current(model_dir) == serving_before
    assert holder.version == load_bundle(model_dir).version
    kept = model_dir / REJECTED_DIR / str(outcome.version)
    assert (kept / "manifest.json").is_file() and (kept / "gate_decision.json").is_file()


async def test_killed_training_leaves_the_old_bundle_serving(
    model_dir: Path, base_corpus: Path, vacancies: VacancyRepository
) -> None:
    await collect_some(vacancies)
    holder = ModelHolder(load_bundle(model_dir))
    serving_before = resolve_current(model_dir)
    versions_before = sorted(p.name for p in (model_dir / VERSIONS_DIR).iterdir())
    retrainer = Retrainer(config(model_dir, base_corpus), vacancies, holder)

    task = asyncio.create_task(retrainer.retrain("test"))
    for _ in range(600):  # wait (up to a minute) until the child is at work: its log has begun
        logs = list((model_dir / "staging").glob("*/train.log"))
        if retrainer.process is not None and logs and logs[0].stat().st_size > 0:
            break
        await asyncio.sleep(0.1)
    assert retrainer.process is not None and retrainer.process.returncode is None
    os.kill(retrainer.process.pid, signal.SIGKILL)
    outcome = await task

    assert outcome.status == "failed"
    assert resolve_current(model_dir) == serving_before
    assert sorted(p.name for p in (model_dir / VERSIONS_DIR).iterdir()) == versions_before
    assert holder.version == load_bundle(model_dir).version
    still = holder.current
    assert (
        still is not None and (await Advisor(holder).recommend(still.understand("figma").query)) is not None
    )


async def test_retrain_waits_for_enough_new_vacancies(
    model_dir: Path, base_corpus: Path, vacancies: VacancyRepository
) -> None:
    retrainer = Retrainer(config(model_dir, base_corpus), vacancies, ModelHolder(load_bundle(model_dir)))
    assert await retrainer.new_since_current() == 0
    await collect_some(vacancies, 7)
    assert await retrainer.new_since_current() == 7
