"""The link pass after a collection, on SQLite and PostgreSQL: the same job stored by both
collectors becomes one entry with both links; the other row leaves training, digests and the
followed index like a closed one; a repeated pass writes nothing; a pair that no longer matches
is undone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from vacancy_rows import closed_keys

from bot.storage.vacancies import VacancyRecord, VacancyRepository, collected_vacancies
from bot.storage.vacancy_changes import CollectedVacancyChanges
from bot.storage.vacancy_links import VacancyLinks
from recommender.data import Salary, Vacancy

T0 = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
TV_URL = "https://trudvsem.ru/vacancy/card/1027700000000/5b1c"


def _pair() -> tuple[Vacancy, Vacancy]:
    hh = Vacancy(
        "901",
        "Аналитик данных (Junior)",
        employer="Ромашка",
        area="Москва",
        area_id="1",
        published_at=T0 - timedelta(days=2),
        url="https://hh.ru/vacancy/901",
        key_skills=("SQL",),
    )
    trudvsem = Vacancy(
        "5b1c",
        "АНАЛИТИК ДАННЫХ",
        employer='ООО "РОМАШКА"',
        area="Москва",
        source="trudvsem",
        published_at=T0 - timedelta(days=5),
        url=TV_URL,
        experience="noExperience",
        salary=Salary(90_000.0, None, "RUR", False, 90_000.0, False),
    )
    return hh, trudvsem  # fmt: skip


def _other() -> Vacancy:
    return Vacancy(
        "902", "Бухгалтер", employer="Ромашка", area="Москва", area_id="1",
        published_at=T0 - timedelta(days=1), url="https://hh.ru/vacancy/902",
    )  # fmt: skip


async def _duplicate_of(repository: VacancyRepository) -> dict[str, str | None]:
    table = collected_vacancies
    async with repository.session_factory() as session:
        rows = await session.execute(select(table.c.source, table.c.id, table.c.duplicate_of))
        return {f"{row.source}:{row.id}": row.duplicate_of for row in rows}


async def test_one_job_on_two_sources_is_one_entry_with_both_links(repository: VacancyRepository) -> None:
    hh, trudvsem = _pair()
    await repository.upsert([VacancyRecord(v, None) for v in (hh, trudvsem, _other())], now=T0)
    links = VacancyLinks(repository.session_factory)
    counts = await links.link_since(T0 - timedelta(minutes=1), now=T0 + timedelta(minutes=1))
    assert (counts.pairs, counts.linked, counts.unlinked) == (1, 1, 0)
    assert await _duplicate_of(repository) == {"hh:901": None, "trudvsem:5b1c": "hh:901", "hh:902": None}

    entry = (await repository.get(["hh:901"]))["hh:901"]
    assert entry.also_at == (TV_URL,) and entry.url == hh.url
    assert entry.salary is not None and entry.salary.monthly_net_rub == 90_000.0  # hh's lacked one
    assert entry.experience == "noExperience"
    # training, digests, the answers' closed keys and the followed index all see one entry
    assert sorted([v.key async for v in repository.iter_vacancies()]) == ["hh:901", "hh:902"]
    assert [row.key for row in await repository.new_since(None)] == ["hh:901", "hh:902"]
    assert "trudvsem:5b1c" in await closed_keys(repository, T0)
    changes = await CollectedVacancyChanges(repository.session_factory, 30).changed_since(
        T0, T0 + timedelta(hours=1)
    )
    assert changes.closed == ["trudvsem:5b1c"]
    assert [v.also_at for v in changes.added if v.key == "hh:901"] == [(TV_URL,)]

    again = await links.link_since(T0 - timedelta(minutes=1), now=T0 + timedelta(minutes=2))
    assert (again.pairs, again.linked, again.unlinked) == (1, 0, 0)  # nothing rewritten


async def test_a_pair_that_no_longer_matches_is_undone(repository: VacancyRepository) -> None:
    hh, trudvsem = _pair()
    await repository.upsert([VacancyRecord(hh, None), VacancyRecord(trudvsem, None)], now=T0)
    links = VacancyLinks(repository.session_factory)
    await links.link_since(T0 - timedelta(minutes=1), now=T0)
    moved = replace(trudvsem, area="Тула")
    later = T0 + timedelta(hours=1)
    await repository.upsert([VacancyRecord(moved, None)], now=later)  # re-collected in another city
    counts = await links.link_since(later - timedelta(minutes=1), now=later)
    assert (counts.pairs, counts.linked, counts.unlinked) == (0, 0, 1)
    assert (await _duplicate_of(repository))["trudvsem:5b1c"] is None
    assert sorted([v.key async for v in repository.iter_vacancies()]) == ["hh:901", "trudvsem:5b1c"]


async def test_one_source_alone_links_nothing(repository: VacancyRepository) -> None:
    hh, _ = _pair()
    await repository.upsert([VacancyRecord(hh, None), VacancyRecord(_other(), None)], now=T0)
    counts = await VacancyLinks(repository.session_factory).link_since(T0 - timedelta(minutes=1), now=T0)
    assert counts.pairs == 0 and set((await _duplicate_of(repository)).values()) == {None}


async def test_a_link_to_an_entry_outside_the_window_is_kept(repository: VacancyRepository) -> None:
    hh, trudvsem = _pair()
    hh = replace(hh, published_at=T0 - timedelta(days=30))
    trudvsem = replace(trudvsem, published_at=T0 - timedelta(days=20))  # 10 days apart: the same job
    await repository.upsert([VacancyRecord(hh, None), VacancyRecord(trudvsem, None)], now=T0)
    links = VacancyLinks(repository.session_factory)
    assert (await links.link_since(T0 - timedelta(minutes=1), now=T0)).linked == 1
    # a later collection writes a vacancy whose 14-day window holds the duplicate, not its entry
    later = T0 + timedelta(hours=1)
    await repository.upsert(
        [VacancyRecord(replace(_other(), published_at=T0 - timedelta(days=6)), None)], now=later
    )
    counts = await links.link_since(later - timedelta(minutes=1), now=later)
    assert (counts.linked, counts.unlinked) == (0, 0)
    assert (await _duplicate_of(repository))["trudvsem:5b1c"] == "hh:901"
