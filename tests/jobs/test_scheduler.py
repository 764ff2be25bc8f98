"""Scheduler wiring from settings, and picking up a bundle another process promoted."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.jobs.scheduler import FreshDataJobs, setup_scheduler
from bot.services.model_holder import ModelHolder
from bot.services.model_watch import ModelWatcher, bundle_sha256
from bot.storage.locks import JobLocks
from bot.storage.model_versions import ModelVersionRepository
from recommender.bundle import VERSIONS_DIR, point_current

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
        # "resume": once, at start, the jobs whose last run did not finish (none here).
        assert set(jobs) - {"resume"} == {"collect", "retrain", "retrain_check", "digest"}
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
    config = settings(tmp_path, model_dir, hh_user_agent="", collect_sources="hh")
    jobs = FreshDataJobs(config, None, ModelHolder(), session_factory)
    result = await jobs.collect()
    assert result.outcome == "failed" and "HH_USER_AGENT" in result.summary


def copy_version(model_dir: Path, name: str) -> Path:
    """Another version: a copy of the current bundle under a new name."""
    current = (model_dir / "current").resolve()
    target = model_dir / VERSIONS_DIR / name
    shutil.copytree(current, target)
    manifest = target / "manifest.json"
    manifest.write_text(manifest.read_text().replace(current.name, name))
    return target


async def test_model_watcher_follows_the_recorded_version(model_dir: Path, session_factory: Any) -> None:
    versions = ModelVersionRepository(session_factory)
    holder = ModelHolder()
    watcher = ModelWatcher(holder, versions, model_dir, poll_seconds=0.1)
    assert await watcher.check() is True  # nothing recorded yet: the folder's current bundle
    assert await watcher.check() is False  # already serving it

    # `jobrec train` repoints MODEL_DIR/current: followed while no promotion is recorded.
    trained = copy_version(model_dir, "20990101T000000Z-trained")
    point_current(model_dir, trained.name)
    assert await watcher.check() is True and holder.version == trained.name

    # A worker promotes a version: its row is what every process serves from now on.
    other = copy_version(model_dir, "20990102T000000Z-other")
    await versions.record(other.name, str(other), bundle_sha256(other), {"coherence": 0.5})
    assert await watcher.check() is True
    assert holder.version == other.name
    assert (await versions.current()).metrics == {"coherence": 0.5}  # type: ignore[union-attr]

    # A version whose files are not what was recorded (a partial copy) is refused, not served.
    broken = copy_version(model_dir, "20990103T000000Z-broken")
    await versions.record(broken.name, str(broken), "0" * 64, {})
    assert await watcher.check() is False
    assert holder.version == other.name


async def test_jobs_skip_when_another_process_holds_their_lock(
    tmp_path: Path, model_dir: Path, session_factory: Any
) -> None:
    class Sender:
        async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
            raise AssertionError("the digest runs elsewhere")

    jobs = FreshDataJobs(settings(tmp_path, model_dir), Sender(), ModelHolder(), session_factory)
    other = JobLocks(session_factory.kw["bind"])
    async with other.hold("digest") as held, other.hold("retrain") as held_too:
        assert held and held_too
        assert (await jobs.digest()).outcome == "skipped"
        assert (await jobs.retrain()).outcome == "skipped"
    assert (await jobs.digest()).outcome == "done"  # free again: it runs (no model, nothing due)
