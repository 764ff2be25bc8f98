"""Collecting from the fake Работа России into a real database: paging by page index, regions,
the 100-page depth, the period, resume, bad records, backoff and refusals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fake_clock import FakeClock

from bot.collector.progress import ProgressStore
from bot.storage.models import CollectedVacancy
from bot.storage.vacancies import VacancyRepository

from .fake_trudvsem import FakeTrudvsem, make_vacancies

pytest.importorskip(
    "recommender.data.trudvsem", reason="the Работа России parser (recommender/data/trudvsem.py)"
)

from bot.collector.trudvsem_collector import TrudvsemCollector, TrudvsemRequest


@pytest.fixture(autouse=True)
def _ids_fit(database_url: str) -> None:
    """Работа России's ids are 36-character UUIDs; PostgreSQL enforces the id column's width."""
    width = CollectedVacancy.__table__.c.id.type.length  # type: ignore[attr-defined]
    if database_url.startswith("postgresql") and width is not None and width < 36:
        pytest.skip("Работа России ids need the (source, id) schema of migration 0005_sources")


async def test_client_pages_by_page_index_at_most_100(
    fake_trudvsem: FakeTrudvsem, make_trudvsem_client
) -> None:
    fake_trudvsem.vacancies = make_vacancies(250)
    async with make_trudvsem_client() as client:
        first = await client.page(None, 0)
        last = await client.page(None, 2)
    assert (first.total, len(first.items), len(last.items), first.last_page) == (250, 100, 50, 2)
    assert [q for _, q in fake_trudvsem.requests] == [
        {"offset": "0", "limit": "100"},
        {"offset": "2", "limit": "100"},
    ]
    assert first.items[0]["vacancy"]["id"] != last.items[0]["vacancy"]["id"]


async def test_collects_a_region_newest_first_without_asking_past_its_end(
    fake_trudvsem: FakeTrudvsem, make_trudvsem_client, repository: VacancyRepository
) -> None:
    fake_trudvsem.vacancies = make_vacancies(230, region="7700000000000") + make_vacancies(
        40, region="2200000000000"
    )
    for offset, item in enumerate(fake_trudvsem.vacancies[230:]):
        item["vacancy"]["id"] = f"altai-{offset}"
    async with make_trudvsem_client() as client:
        stats = await TrudvsemCollector(client, repository).collect(
            TrudvsemRequest(regions=["7700000000000"])
        )
    assert stats.ok and (stats.source, stats.seen, stats.new, stats.failed, stats.pages) == (
        "trudvsem",
        230,
        230,
        0,
        3,
    )
    assert {path for path, _ in fake_trudvsem.requests} == {"/vacancies/region/7700000000000"}
    assert fake_trudvsem.pages_asked() == [0, 1, 2]
    assert await repository.count() == 230
    newest = fake_trudvsem.vacancies[0]["vacancy"]
    key = f"trudvsem:{newest['id']}"
    stored = (await repository.get([key]))[key]
    assert stored.title == newest["job-name"] and stored.source == "trudvsem"


async def test_stops_at_the_first_page_older_than_the_period(
    fake_trudvsem: FakeTrudvsem, make_trudvsem_client, repository: VacancyRepository, clock: FakeClock
) -> None:
    fake_trudvsem.vacancies = make_vacancies(500, newest=clock.now(), step=timedelta(hours=6))  # 125 days
    async with make_trudvsem_client() as client:
        stats = await TrudvsemCollector(client, repository).collect(TrudvsemRequest(period_days=30))
    # 30 days of 6-hour steps: 121 vacancies inside the period (the 121st exactly at its edge)
    assert stats.new == 121 and stats.failed == 0
    assert fake_trudvsem.pages_asked() == [0, 1]


async def test_depth_limit_of_100_pages(
    fake_trudvsem: FakeTrudvsem, make_trudvsem_client, repository: VacancyRepository, caplog
) -> None:
    fake_trudvsem.vacancies = make_vacancies(10_050, step=timedelta(seconds=30))
    async with make_trudvsem_client() as client:
        stats = await TrudvsemCollector(client, repository).collect(TrudvsemRequest())
    assert stats.ok and stats.new == 10_000
    assert max(fake_trudvsem.pages_asked()) == 99  # page 100 would answer 500
    assert "only the newest 10000 are reachable" in caplog.text


async def test_interrupted_run_resumes_from_the_next_page(
    fake_trudvsem: FakeTrudvsem, make_trudvsem_client, repository: VacancyRepository, tmp_path: Path
) -> None:
    fake_trudvsem.vacancies = make_vacancies(300)
    progress = ProgressStore(tmp_path / "collect_state.trudvsem.json")
    async with make_trudvsem_client() as client:
        first = await TrudvsemCollector(client, repository, progress=progress).collect(
            TrudvsemRequest(limit=150)
        )
    assert first.new == 150 and not progress.load().finished  # type: ignore[union-attr]
    async with make_trudvsem_client() as client:
        second = await TrudvsemCollector(client, repository, progress=progress).collect(TrudvsemRequest())
    assert second.new == 150 and second.ok and await repository.count() == 300
    # page 0 is not asked again; page 1, cut by the limit, is
    assert fake_trudvsem.pages_asked() == [0, 1, 1, 2]
    assert progress.load().finished  # type: ignore[union-attr]


async def test_bad_records_are_counted_with_their_reason(
    fake_trudvsem: FakeTrudvsem, make_trudvsem_client, repository: VacancyRepository
) -> None:
    fake_trudvsem.vacancies = make_vacancies(20)
    del fake_trudvsem.vacancies[4]["vacancy"]["job-name"]
    fake_trudvsem.vacancies[7]["vacancy"]["currency"] = "ZZZ"  # an unknown currency drops the salary only
    async with make_trudvsem_client() as client:
        stats = await TrudvsemCollector(client, repository).collect(TrudvsemRequest())
    assert (stats.new, stats.failed, stats.failures) == (19, 1, {"bad_record:missing_name": 1})
    assert "bad_record:missing_name 1" in stats.summary()
    assert (
        stats.dropped == {"unknown_currency": 1}
        and "salaries dropped (unknown_currency 1)" in stats.summary()
    )


async def test_server_errors_are_retried_and_a_long_retry_after_ends_the_run(
    fake_trudvsem: FakeTrudvsem, make_trudvsem_client, repository: VacancyRepository, clock: FakeClock
) -> None:
    fake_trudvsem.vacancies = make_vacancies(50)
    fake_trudvsem.faults.extend([(500, None), (429, "5")])
    async with make_trudvsem_client() as client:
        stats = await TrudvsemCollector(client, repository).collect(TrudvsemRequest())
    assert stats.ok and stats.new == 50 and 5.0 in clock.sleeps

    fake_trudvsem.faults.append((429, "3600"))
    async with make_trudvsem_client() as client:
        stopped = await TrudvsemCollector(client, repository).collect(TrudvsemRequest())
    assert stopped.error is not None and "3600 s" in stopped.error and not stopped.ok


async def test_a_source_that_is_down_fails_its_listing_once(
    fake_trudvsem: FakeTrudvsem, make_trudvsem_client, repository: VacancyRepository
) -> None:
    fake_trudvsem.vacancies = make_vacancies(50)
    fake_trudvsem.down = True
    async with make_trudvsem_client() as client:
        stats = await TrudvsemCollector(client, repository).collect(
            TrudvsemRequest(regions=["7700000000000"])
        )
    assert not stats.ok and stats.failed_pages == 1 and "incomplete" in stats.outcome
    assert len(fake_trudvsem.requests) == 4  # one page: a try and three retries, then the listing waits


async def test_403_stops_with_its_reason(
    fake_trudvsem: FakeTrudvsem, make_trudvsem_client, repository: VacancyRepository
) -> None:
    fake_trudvsem.vacancies = make_vacancies(50)
    fake_trudvsem.faults.append((403, None))
    async with make_trudvsem_client() as client:
        stats = await TrudvsemCollector(client, repository).collect(
            TrudvsemRequest(regions=["7700000000000", "2200000000000"])
        )
    assert stats.error is not None and "Работа России refuses requests from this host" in stats.error
    assert len(fake_trudvsem.requests) == 1  # the second region is never asked
