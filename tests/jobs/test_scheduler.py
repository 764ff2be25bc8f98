"""Scheduler wiring from settings, and picking up a bundle another process promoted."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.jobs.scheduler import FreshDataJobs, setup_scheduler
from bot.services.model_holder import ModelHolder
from recommender.bundle import VERSIONS_DIR, load_bundle, point_current

from .conftest import TOKEN


def settings(tmp_path: Path, model_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'jobrec.db'}",
        "model_dir": model_dir,
        "collect_cron": "15 3 * * *",
        "retrain_cron": "0 5 * * 1",
        "digest_tick_seconds": 30,
        "job_misfire_grace_seconds": 600,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def test_jobs_are_scheduled_from_settings(
    tmp_path: Path, model_dir: Path, session_factory: Any
) -> None:
    class Sender:
        async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
            raise AssertionError("no digest is due in this test")

    scheduler = setup_scheduler(settings(tmp_path, model_dir), Sender(), ModelHolder(), session_factory)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"collect", "retrain", "retrain_check", "model_watch", "digest"}
        for job in jobs.values():
            assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 600)
        assert "hour='3'" in str(jobs["collect"].trigger) and "minute='15'" in str(jobs["collect"].trigger)
        assert "day_of_week='1'" in str(jobs["retrain"].trigger)
        assert jobs["digest"].trigger.interval.total_seconds() == 30
    finally:
        scheduler.shutdown(wait=False)


async def test_no_bot_means_no_digest_job(tmp_path: Path, model_dir: Path, session_factory: Any) -> None:
    scheduler = setup_scheduler(
        settings(tmp_path, model_dir), None, ModelHolder(), session_factory, start=False
    )
    assert "digest" not in {job.id for job in scheduler.get_jobs()}


async def test_collect_without_user_agent_is_refused(
    tmp_path: Path, model_dir: Path, session_factory: Any
) -> None:
    jobs = FreshDataJobs(
        settings(tmp_path, model_dir, hh_user_agent=""), None, ModelHolder(), session_factory
    )
    assert await jobs.collect() is None


async def test_model_watch_swaps_in_a_bundle_promoted_elsewhere(
    tmp_path: Path, model_dir: Path, session_factory: Any
) -> None:
    holder = ModelHolder(load_bundle(model_dir))
    jobs = FreshDataJobs(settings(tmp_path, model_dir), None, holder, session_factory)
    assert await jobs.watch_model() is False  # already serving the current bundle

    # Another process (a worker) promotes a new version: copy of the current one under a new name.
    current = (model_dir / "current").resolve()
    shutil.copytree(current, model_dir / VERSIONS_DIR / "20990101T000000Z-other")
    manifest = model_dir / VERSIONS_DIR / "20990101T000000Z-other" / "manifest.json"
    manifest.write_text(manifest.read_text().replace(current.name, "20990101T000000Z-other"))
    point_current(model_dir, "20990101T000000Z-other")

    assert await jobs.watch_model() is True
    assert holder.version == "20990101T000000Z-other"
    assert os.path.samefile(holder.current.path, model_dir / "current")  # type: ignore[union-attr]
