"""collected_vacancies through VacancyRepository, on SQLite and PostgreSQL: a Vacancy of any
source goes in and comes back equal, keyed by (source, id); last_seen_at follows the
collections; closed vacancies are listed by key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from vacancy_rows import closed_keys

from bot.storage.vacancies import VacancyRecord, VacancyRepository, collected_vacancies
from recommender.data import Label, Salary, Vacancy

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
UUID = "0c1a3b5e-8f7d-4e6a-9b2c-1d3e5f7a9b0c"  # Работа России ids are UUIDs


def _vacancies() -> list[Vacancy]:
    monthly = Salary(4000.0, None, "USD", False, 320_000.0, False)
    hourly = Salary(500.0, 700.0, "RUR", True, 522.0, False, period="HOUR")
    return [
        Vacancy(
            "101", "Python-разработчик", employer="Ромашка", area="Алматы", area_id="160",
            country="Казахстан", text="Пишем на Python", key_skills=("Python", "SQL"),
            experience="between1And3", schedule="remote",
            employment="full", specializations=(Label("1.221", "Программирование"),),
            professional_roles=(Label("96", "Программист"),), published_at=T0 - timedelta(days=3),
            url="https://hh.ru/vacancy/101", salary=monthly, detail="card", work_format=("REMOTE", "HYBRID"),
            employment_form="FULL", updated_at=T0 - timedelta(days=1),
        ),
        Vacancy(
            UUID, "Курьер", employer="Почта", area="Тула", source="trudvsem", region_code="7100000000000",
            other_pay=hourly,
            url=f"https://trudvsem.ru/vacancy/card/1/{UUID}", also_at=("https://hh.ru/vacancy/5",),
        ),
        Vacancy("101", "Тот же номер, другой источник", source="trudvsem"),
    ]  # fmt: skip


async def test_a_vacancy_of_any_source_comes_back_equal(repository: VacancyRepository) -> None:
    vacancies = _vacancies()
    counts = await repository.upsert([VacancyRecord(v, None) for v in vacancies], now=T0)
    assert (counts.new, counts.updated, counts.unchanged) == (3, 0, 0)
    stored = await repository.get([v.key for v in vacancies] + ["hh:404"])
    assert stored == {v.key: v for v in vacancies}  # the same id at two sources: two vacancies
    streamed = [v async for v in repository.iter_vacancies(batch_size=2)]
    assert sorted(v.key for v in streamed) == sorted(v.key for v in vacancies)
    assert [v.key for v in streamed] == sorted(v.key for v in streamed)  # key order, batch after batch


async def test_last_seen_follows_collections_and_first_seen_stays(repository: VacancyRepository) -> None:
    hh, trudvsem, _ = _vacancies()
    await repository.upsert([VacancyRecord(hh, "{}"), VacancyRecord(trudvsem, "{}")], now=T0)
    later = T0 + timedelta(days=2)
    counts = await repository.upsert([VacancyRecord(hh, "{}")], now=later)  # seen again, unchanged
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)
    await repository.mark_seen([trudvsem.key], now=later + timedelta(hours=1))
    table = collected_vacancies
    async with repository.session_factory() as session:
        found = await session.execute(
            select(table.c.source, table.c.id, table.c.first_seen_at, table.c.last_seen_at)
        )
        rows = {f"{r.source}:{r.id}": (r.first_seen_at, r.last_seen_at) for r in found}
    naive = lambda moment: moment.replace(tzinfo=None)  # noqa: E731
    assert rows[hh.key] == (naive(T0), naive(later))
    assert rows[trudvsem.key] == (naive(T0), naive(later + timedelta(hours=1)))


async def test_closed_vacancies_are_listed_by_key_and_leave_the_fresh_list(
    repository: VacancyRepository,
) -> None:
    vacancies = _vacancies()
    await repository.upsert([VacancyRecord(v, "{}") for v in vacancies], now=T0)
    assert await closed_keys(repository) == frozenset()
    assert await repository.mark_archived([f"trudvsem:{UUID}", "hh:999"]) == 1
    assert await closed_keys(repository) == {f"trudvsem:{UUID}"}
    fresh = await repository.new_since(None)
    assert [row.key for row in fresh] == ["hh:101", "trudvsem:101"]  # (first_seen_at, source, id) order
    after_first = await repository.new_since(T0, "hh:101")
    assert [row.key for row in after_first] == ["trudvsem:101"]
