"""Migration 0005 (sources): a database of the 0004 schema holding users, profiles, queries,
feedback, saved/hidden/rejected vacancies, digests and collected vacancies comes out with every
row there, every vacancy reference a "hh:<id>" key and the collected vacancies' normalized
columns filled from their raw JSON; downgrading gives the hh ids back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import create_engine, create_sessionmaker, upgrade_database
from bot.storage.vacancies import VacancyRepository
from tests.databases import downgrade_database, on_database, run_in_thread

SEEN = datetime(2026, 11, 30, 12, 0)
CARD = {
    "id": "90001", "name": "Junior Python-разработчик", "area": {"id": "1", "name": "Москва"},
    "employer": {"name": "Ромашка"},
    "salary": {"from": 80000, "to": 120000, "currency": "RUR", "gross": False},
    "schedule": {"id": "remote"}, "experience": {"id": "noExperience"}, "employment": {"id": "full"},
    "published_at": "2021-11-06T10:00:00+0300", "alternate_url": "https://hh.ru/vacancy/90001",
    "description": "<p>Пишем на Python и SQL</p>", "key_skills": [{"name": "Python"}, {"name": "SQL"}],
    "professional_roles": [{"id": "96", "name": "Программист, разработчик"}],
}  # fmt: skip
LIST_ITEM = {
    "id": "90002", "name": "Аналитик", "area": {"id": "1002", "name": "Минск"}, "employer": {"name": "Бел"},
    "salary": {"from": 1700, "to": 2300, "currency": "BYR", "gross": True},
    "published_at": "2023-03-01T09:00:00+0300", "snippet": {"requirement": "Excel"}, "archived": True,
}  # fmt: skip
SAVED_URL = "https://hh.ru/vacancy/90001"
# A row whose raw JSON the parser refuses: its old columns must survive.
BROKEN = "{not json"


def _seed(url: str) -> None:
    """Rows of every kind in the 0004 schema, written with plain SQL (the models are newer)."""

    async def seed(connection: AsyncConnection) -> None:
        statements = [
            ("INSERT INTO users (id, language, city_id, city_name, experience, schedule, skills_text, "
             "created_at, last_seen_at, active) VALUES (7, 'ru', '1', 'Москва', 'noExperience', 'remote', "
             "'python, sql', :t, :t, true)", {}),
            ("INSERT INTO user_skills (user_id, skill, position) VALUES (7, 'python', 0), (7, 'sql', 1)", {}),
            ("INSERT INTO queries (id, user_id, kind, text, recognized_skills, model_version, vacancy_ids, "
             "created_at, state) VALUES (1, 7, 'recommend', 'python', '[\"python\"]', 'v1', :ids, :t, "
             ":state)",
             {"ids": json.dumps(["90001", "90002"]),
              "state": json.dumps({"page": 0, "shown": [["90001", "Junior", "Ромашка", SAVED_URL]]})}),
            ("INSERT INTO feedback (user_id, query_id, value, created_at) VALUES (7, 1, 1, :t)", {}),
            ("INSERT INTO vacancy_actions (user_id, vacancy_id, action, query_id, title, url, employer, "
             "created_at) "
             "VALUES (7, '90001', 'save', 1, 'Junior', 'https://hh.ru/vacancy/90001', 'Ромашка', :t), "
             "(7, '90002', 'hide', 1, '', '', '', :t), (7, '90003', 'reject', NULL, '', '', '', :t)", {}),
            ("INSERT INTO digest_subscriptions (user_id, frequency, created_at, last_sent_at, "
             "last_vacancy_seen_at, last_vacancy_id) VALUES (7, 'weekly', :t, :t, :t, '90002')", {}),
        ]  # fmt: skip
        for sql, params in statements:
            await connection.execute(text(sql), {"t": SEEN, **params})
        for vacancy_id, raw, archived in (
            ("90001", CARD, False),
            ("90002", LIST_ITEM, True),
            ("90003", None, False),
        ):
            await connection.execute(
                text(
                    "INSERT INTO collected_vacancies (id, title, employer, area, area_id, experience, "
                    "schedule, salary_net_rub, published_at, raw_json, content_hash, archived, "
                    "first_seen_at, updated_at) VALUES (:id, :title, 'Старое ООО', 'Казань', '88', "
                    "'between1And3', 'fullDay', 55000, :t, :raw, :hash, :archived, :t, :t)"
                ),
                {"id": vacancy_id, "title": f"old {vacancy_id}", "hash": vacancy_id * 5,
                 "raw": BROKEN if raw is None else json.dumps(raw), "archived": archived, "t": SEEN},
            )  # fmt: skip
        await connection.commit()

    on_database(url, seed)


def _rows(url: str, sql: str) -> list[Any]:
    async def fetch(connection: AsyncConnection) -> list[Any]:
        return list((await connection.execute(text(sql))).all())

    return on_database(url, fetch)


def _stored(url: str) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        engine = create_engine(url)
        try:
            repository = VacancyRepository(create_sessionmaker(engine))
            return await repository.get(["hh:90001", "hh:90002", "hh:90003"])
        finally:
            await engine.dispose()

    return run_in_thread(read)


def test_upgrade_moves_every_row_to_hh_and_downgrade_gives_ids_back(database_url: str) -> None:
    upgrade_database(database_url, "0004_scale")
    _seed(database_url)
    upgrade_database(database_url, "0005_sources")

    assert _rows(database_url, "SELECT id, city_name, skills_text FROM users") == [
        (7, "Москва", "python, sql")
    ]
    assert sorted(_rows(database_url, "SELECT skill, position FROM user_skills")) == [
        ("python", 0),
        ("sql", 1),
    ]
    assert _rows(database_url, "SELECT user_id, query_id, value FROM feedback") == [(7, 1, 1)]
    ((keys, state),) = _rows(database_url, "SELECT vacancy_keys, state FROM queries")
    assert json.loads(keys) == ["hh:90001", "hh:90002"]
    assert json.loads(state)["shown"] == [["hh:90001", "Junior", "Ромашка", "https://hh.ru/vacancy/90001"]]
    actions = _rows(database_url, "SELECT vacancy_key, action, title FROM vacancy_actions ORDER BY id")
    assert actions == [("hh:90001", "save", "Junior"), ("hh:90002", "hide", ""), ("hh:90003", "reject", "")]
    assert _rows(database_url, "SELECT last_vacancy_key FROM digest_subscriptions") == [("hh:90002",)]

    rows = _rows(
        database_url, "SELECT source, id, first_seen_at, last_seen_at, archived FROM collected_vacancies"
    )
    # SQLite gives the times back as text: compared to the second
    assert sorted((r.source, r.id, str(r.first_seen_at)[:19], str(r.last_seen_at)[:19]) for r in rows) == [
        ("hh", vacancy_id, str(SEEN), str(SEEN)) for vacancy_id in ("90001", "90002", "90003")
    ]
    stored = _stored(database_url)
    card, item, broken = stored["hh:90001"], stored["hh:90002"], stored["hh:90003"]
    # re-parsed from the raw JSON: the card's full content, not the old columns
    assert (card.title, card.employer, card.area, card.area_id) == (
        "Junior Python-разработчик",
        "Ромашка",
        "Москва",
        "1",
    )
    assert card.key_skills == ("Python", "SQL") and "Python и SQL" in card.text and card.detail == "card"
    assert card.salary is not None and (card.salary.salary_from, card.salary.salary_to) == (80000, 120000)
    assert card.salary.currency == "RUR" and card.salary.period == "MONTH"
    assert card.published_at is not None and card.published_at.date().isoformat() == "2021-11-06"
    assert card.professional_roles[0].name == "Программист, разработчик" and not card.archived
    assert card.url == "https://hh.ru/vacancy/90001" and card.experience == "noExperience"
    # a foreign list item keeps its currency and its archive flag
    assert item.area == "Минск" and item.archived and item.detail == "list"
    pay = item.salary or item.other_pay
    assert pay is not None and pay.currency == "BYR" and (pay.salary_from, pay.salary_to) == (1700, 2300)
    # unparseable raw JSON: the old columns are what is left, kept as they were
    assert (broken.title, broken.employer, broken.area, broken.area_id) == (
        "old 90003",
        "Старое ООО",
        "Казань",
        "88",
    )
    assert broken.salary is not None and broken.salary.monthly_net_rub == 55000
    assert _rows(database_url, "SELECT raw_json FROM collected_vacancies WHERE id = '90003'") == [(BROKEN,)]

    downgrade_database(database_url, "0004_scale")
    assert json.loads(_rows(database_url, "SELECT vacancy_ids FROM queries")[0][0]) == ["90001", "90002"]
    assert sorted(_rows(database_url, "SELECT vacancy_id FROM vacancy_actions")) == [
        ("90001",),
        ("90002",),
        ("90003",),
    ]
    assert _rows(database_url, "SELECT last_vacancy_id FROM digest_subscriptions") == [("90002",)]
    assert sorted(_rows(database_url, "SELECT id, raw_json FROM collected_vacancies"))[2] == ("90003", BROKEN)
    assert len(_rows(database_url, "SELECT id FROM collected_vacancies")) == 3


def test_a_collected_vacancy_of_another_source_leaves_on_downgrade(database_url: str) -> None:
    upgrade_database(database_url, "0005_sources")

    async def add(connection: AsyncConnection) -> None:
        await connection.execute(
            text(
                "INSERT INTO collected_vacancies (source, id, title, employer, area, area_id, country, "
                "region_code, work_format, pay_outlier, key_skills, labels, text, url, detail, also_at, "
                "content_hash, archived, first_seen_at, last_seen_at, updated_at) VALUES ('trudvsem', "
                "'0c1a3b5e-8f7d-4e6a-9b2c-1d3e5f7a9b0c', 't', 'e', 'Тула', '', '', '7100000000000', '', "
                "false, '[]', '{}', '', '', 'card', '[]', 'x', false, :t, :t, :t)"
            ),
            {"t": SEEN},
        )
        await connection.commit()

    on_database(database_url, add)
    downgrade_database(database_url, "0004_scale")
    assert _rows(database_url, "SELECT id FROM collected_vacancies") == []
