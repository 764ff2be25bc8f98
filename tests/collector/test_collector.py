"""Collecting from the fake hh.ru into a real SQLite file: paging, the 2,000 cap, resume, updates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vacancy_rows import closed_keys

from bot.collector.collector import Collector, CollectRequest
from bot.collector.progress import ProgressStore
from bot.storage.vacancies import VacancyRepository

from .fake_hh import FakeHH, Fault, make_cards, new_fields_only


async def test_collects_every_page_with_cards(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(250)
    async with make_client() as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert (stats.seen, stats.new, stats.failed, stats.pages) == (250, 250, 0, 3)
    assert await repository.count() == 250
    key = f"hh:{fake_hh.cards[7]['id']}"
    stored = await repository.raw_json_of([key])
    assert json.loads(stored[key])["key_skills"]  # the full card, not the list item
    assert (await repository.get([key]))[key].detail == "card"


async def test_splits_searches_past_the_2000_cap(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(4500)
    async with make_client() as client:
        stats = await Collector(client, repository, fetch_cards=False).collect(CollectRequest())
    assert stats.failed_pages == 0
    assert await repository.count() == 4500
    pages_asked = [int(q.get("page", 0)) for path, q in fake_hh.requests if path == "/vacancies"]
    assert max(pages_asked) < 20  # never asked past the depth limit


async def test_split_by_area_and_role(fake_hh: FakeHH, make_client, repository: VacancyRepository) -> None:
    fake_hh.cards = make_cards(30, area="1") + [
        {**c, "id": str(int(c["id"]) + 50_000)} for c in make_cards(20, area="2", role="10")
    ]
    async with make_client() as client:
        stats = await Collector(client, repository).collect(CollectRequest(areas=["2"], roles=["10", "96"]))
    assert stats.new == 20
    assert {q.get("area") for p, q in fake_hh.requests if p == "/vacancies"} == {"2"}


async def test_faults_are_retried_or_counted(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(40)
    fake_hh.fault("search", Fault("429", retry_after="2"), Fault("503"))
    fake_hh.fault(
        "card", *[Fault("malformed", vacancy_id=fake_hh.cards[5]["id"])] * 4
    )  # one card fails for good (1 try + 3 retries)
    async with make_client() as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.new == 39
    assert stats.failures == {"fetch_failed": 1}
    assert await repository.count() == 39


async def test_interrupted_run_resumes_without_refetching(
    fake_hh: FakeHH, make_client, repository: VacancyRepository, tmp_path: Path
) -> None:
    fake_hh.cards = make_cards(250)
    progress = ProgressStore(tmp_path / "collect_state.json")
    async with make_client() as client:
        first = await Collector(client, repository, progress=progress).collect(CollectRequest(limit=150))
    assert first.new == 150
    cards_before = fake_hh.count("card")
    searches_before = fake_hh.count("search")
    assert progress.load() is not None and not progress.load().finished  # type: ignore[union-attr]

    async with make_client() as client:
        second = await Collector(client, repository, progress=progress).collect(CollectRequest())
    assert second.new == 100
    assert fake_hh.count("card") - cards_before == 100  # only the cards it did not have
    # the first page again (to plan the slices), page 1 (cut short by the limit) again, page 2 once
    assert fake_hh.count("search") - searches_before <= 3
    assert progress.load().finished  # type: ignore[union-attr]
    assert await repository.count() == 250


async def test_second_run_skips_unchanged_and_refetches_changed(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(30)
    async with make_client() as client:
        await Collector(client, repository).collect(CollectRequest())
    fake_hh.cards[3]["salary"] = {"from": 999_000, "to": None, "currency": "RUR", "gross": False}
    cards_before = fake_hh.count("card")
    async with make_client() as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert (stats.new, stats.updated, stats.skipped) == (0, 1, 29)
    assert fake_hh.count("card") - cards_before == 1


async def test_removed_vacancy_is_marked_archived(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(10)
    async with make_client() as client:
        await Collector(client, repository).collect(CollectRequest())
        # the vacancy changes in search but its card is gone by the time we fetch it
        gone = fake_hh.cards[0]
        fake_hh.cards[0] = {**gone, "name": "renamed"}
        fake_hh.gone_ids.add(gone["id"])
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.archived == 1
    remaining = await repository.new_since(None, limit=100)
    assert f"hh:{gone['id']}" not in {v.key for v in remaining}
    assert f"hh:{gone['id']}" in await closed_keys(repository)


async def test_access_denied_ends_the_run_with_its_reason(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(5)
    fake_hh.require_token = "t"
    async with make_client() as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert not stats.ok
    assert stats.error is not None and "refuses requests from this host" in stats.error
    assert "stopped: hh.ru refuses" in stats.summary()


async def test_cancelled_run_resumes_from_the_stored_pages(
    fake_hh: FakeHH, make_client, repository: VacancyRepository, tmp_path: Path
) -> None:
    import asyncio

    fake_hh.cards = make_cards(300)
    fake_hh.card_delay = 0.002
    progress = ProgressStore(tmp_path / "collect_state.json")
    async with make_client() as client:
        task = asyncio.create_task(Collector(client, repository, progress=progress).collect(CollectRequest()))
        while await repository.count() < 100:  # interrupted after the first page is stored
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    stored_before = await repository.count()
    cards_before = fake_hh.count("card")
    assert 100 <= stored_before < 300

    async with make_client() as client:
        stats = await Collector(client, repository, progress=progress).collect(CollectRequest())
    assert await repository.count() == 300
    assert stats.new == 300 - stored_before
    # stored vacancies are never fetched again; only the page in flight at the cancel may repeat
    assert fake_hh.count("card") - cards_before == 300 - stored_before


async def test_new_card_answering_404_is_stored_as_closed_and_counted(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(150)
    fake_hh.gone_ids.add(fake_hh.cards[3]["id"])  # listed by the search, closed before its card was asked
    async with make_client() as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert (stats.seen, stats.new, stats.archived, stats.failed) == (150, 149, 1, 0)
    assert "closed 1" in stats.summary()
    closed_key = f"hh:{fake_hh.cards[3]['id']}"
    assert (await repository.get([closed_key]))[closed_key].archived
    assert await closed_keys(repository) == frozenset({closed_key})
    assert await repository.count() == 150


async def test_items_with_only_the_new_fields_are_collected(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    """Items published since May 2026: salary_range (hourly, foreign), work_format, no schedule;
    vacancies in Belarus and Kazakhstan beside Moscow."""
    hourly = [new_fields_only(c, mode="HOUR") for c in make_cards(4, area="1")]
    tenge = [new_fields_only(c, currency="KZT") for c in make_cards(3, area="160")]
    byn = [new_fields_only(c, currency="BYR") for c in make_cards(3, area="1002")]
    for offset, card in enumerate(tenge + byn, start=1):
        card["id"] = str(900000 + offset)
    fake_hh.cards = hourly + tenge + byn
    async with make_client() as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.ok and (stats.new, stats.failed) == (10, 0)
    stored = await repository.get([f"hh:{c['id']}" for c in fake_hh.cards])
    assert len(stored) == 10
    countries = {v.area: v.country for v in stored.values()}
    assert countries == {"Москва": "Россия", "Алматы": "Казахстан", "Минск": "Беларусь"}
    # an hourly rate is kept with its period, never as a monthly salary
    for card in hourly:
        vacancy = stored[f"hh:{card['id']}"]
        assert vacancy.salary is None and vacancy.other_pay is not None
    assert all(v.work_format for v in stored.values())


async def test_unknown_currency_drops_the_salary_and_says_so(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(6)
    for card in fake_hh.cards[:2]:
        card["salary"] = {**card["salary"], "currency": "ZZZ"}  # no rate for it
    async with make_client() as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert (stats.new, stats.failed, stats.dropped) == (6, 0, {"unknown_currency": 2})
    assert "salaries dropped (unknown_currency 2)" in stats.summary()
    unknown = await repository.get([f"hh:{card['id']}" for card in fake_hh.cards[:2]])
    assert len(unknown) == 2 and all(v.salary is None for v in unknown.values())
