"""A collection run over both sources, as the worker and `jobrec collect` make it: one source
failing never stops the other, and each source's counts, success and error are recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fake_clock import FakeClock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.collector.run import CollectionRun, configured_sources, state_path
from bot.config import Settings
from bot.storage.sources import SourceStateRepository
from bot.storage.vacancies import VacancyRepository

from .fake_hh import FakeHH, make_cards
from .fake_trudvsem import FakeTrudvsem


def settings(tmp_path: Path, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "hh_user_agent": "jobrec-tests/0.1 (tests@example.com)",
        "hh_rate_limit": 1000.0,
        "trudvsem_rate_limit": 1000.0,
        "collect_period_days": 2000,  # the fake hh data ends on 2024-01-01
        "collect_state_path": tmp_path / "collect_state.json",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_sources_and_their_progress_files(tmp_path: Path) -> None:
    config = settings(tmp_path, "sqlite+aiosqlite:///x.db", collect_sources="trudvsem, HH, rabota")
    assert configured_sources(config) == ["hh", "trudvsem"]
    assert state_path(config, "hh") == tmp_path / "collect_state.json"
    assert state_path(config, "trudvsem") == tmp_path / "collect_state.trudvsem.json"


async def test_a_source_that_is_down_never_stops_the_other(
    fake_hh: FakeHH,
    fake_trudvsem: FakeTrudvsem,
    database_url: str,
    session_factory: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    pytest.importorskip(
        "recommender.data.trudvsem", reason="the Работа России parser (recommender/data/trudvsem.py)"
    )
    fake_hh.cards = make_cards(40)
    fake_trudvsem.down = True
    config = settings(tmp_path, database_url, hh_api_base=fake_hh.url, trudvsem_api_base=fake_trudvsem.url)
    run = CollectionRun(config, session_factory, clock=clock)

    hh, trudvsem = await run.run(["hh", "trudvsem"])

    assert hh.ok and hh.new == 40
    assert not trudvsem.ok and trudvsem.failed_pages == 1
    assert await VacancyRepository(session_factory).count() == 40
    reports = {report.source: report for report in await SourceStateRepository(session_factory).reports()}
    assert reports["hh"].last_success_at is not None and not reports["hh"].failing
    assert reports["hh"].counts.new == 40
    assert reports["trudvsem"].failing and reports["trudvsem"].last_success_at is None
    assert "incomplete" in (reports["trudvsem"].last_error or "")


async def test_a_refused_source_keeps_its_last_success(
    fake_hh: FakeHH, database_url: str, session_factory: async_sessionmaker[AsyncSession], clock: FakeClock,
    tmp_path: Path,
) -> None:  # fmt: skip
    fake_hh.cards = make_cards(10)
    config = settings(tmp_path, database_url, hh_api_base=fake_hh.url)
    await CollectionRun(config, session_factory, clock=clock).run(["hh"])
    clock.advance(3600)
    fake_hh.captcha_after = 0
    fake_hh.anonymous_calls = 0
    (stats,) = await CollectionRun(config, session_factory, clock=clock).run(["hh"])
    assert stats.error is not None and "HH_CLIENT_ID" in stats.error
    (report,) = await SourceStateRepository(session_factory).reports()
    assert report.failing and report.last_success_at is not None
    assert report.last_error_at is not None and report.last_error_at > report.last_success_at
    assert "HH_CLIENT_ID" in (report.last_error or "")


async def test_missing_user_agent_is_recorded_without_a_request(
    fake_hh: FakeHH, database_url: str, session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    config = settings(tmp_path, database_url, hh_api_base=fake_hh.url, hh_user_agent="")
    (stats,) = await CollectionRun(config, session_factory).run(["hh"])
    assert stats.error is not None and stats.error.startswith("set HH_USER_AGENT")
    assert fake_hh.requests == []
    (report,) = await SourceStateRepository(session_factory).reports()
    assert report.failing and "HH_USER_AGENT" in (report.last_error or "")


async def test_the_workers_collect_job_fails_naming_each_source(
    fake_hh: FakeHH, fake_trudvsem: FakeTrudvsem, database_url: str, session_factory: Any, tmp_path: Path
) -> None:
    """`jobrec worker --once collect`'s job: both sources run; the job fails when one did, and its
    line says which and why (the worker exits non-zero on it)."""
    from bot.jobs.scheduler import FreshDataJobs
    from bot.services.model_holder import ModelHolder

    fake_hh.cards = make_cards(25)
    fake_trudvsem.down = True
    config = settings(
        tmp_path,
        database_url,
        hh_api_base=fake_hh.url,
        trudvsem_api_base=fake_trudvsem.url,
        model_dir=tmp_path / "models",
    )
    jobs = FreshDataJobs(config, None, ModelHolder(), session_factory, clock=FakeClock())
    result = await jobs.collect()
    assert result.outcome == "failed"
    assert "hh: seen 25: new 25" in result.summary and "— done" in result.summary
    assert "trudvsem: seen 0" in result.summary and "incomplete: 1 pages failed" in result.summary
    assert await VacancyRepository(session_factory).count() == 25
