"""Migrations and the repository on a real database: a SQLite file and a PostgreSQL database."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from databases import POSTGRES_ADMIN_URL, downgrade_database, on_database, run_in_thread, table_names
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncConnection
from user_rows import count_rows_about, feedback_for

from bot.storage import Repository, create_engine, create_sessionmaker, upgrade_database
from bot.storage.db import alembic_config

USER = 42


def test_upgrade_downgrade_upgrade_every_revision(database_url: str) -> None:
    url = database_url
    script = ScriptDirectory.from_config(alembic_config(url))
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert revisions, "no migrations found"
    for revision in revisions:  # one step at a time, base → head
        upgrade_database(url, revision)
    expected = {
        "users", "user_skills", "queries", "feedback", "digest_subscriptions", "collected_vacancies",
        "vacancy_actions", "model_versions", "job_runs", "source_status", "source_tokens", "handled_updates",
    }  # fmt: skip
    assert table_names(url) == expected
    for _ in revisions:  # and back down, one step at a time
        downgrade_database(url, "-1")
    assert table_names(url) == set()
    upgrade_database(url)
    assert table_names(url) == expected


def test_sqlite_file_and_its_folder_are_created(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "var" / "jobrec.db"
    upgrade_database(f"sqlite+aiosqlite:///{path}")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0].lower() in {"wal", "delete"}
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_migrations_match_the_models(database_url: str) -> None:
    """Autogenerate finds nothing to add: the ORM classes and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.storage.models import Base

    upgrade_database(database_url)

    async def differences(connection: AsyncConnection) -> list[object]:
        return await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )

    assert on_database(database_url, differences) == []


def test_collected_vacancies_schema_matches_the_contract(database_url: str) -> None:
    upgrade_database(database_url)

    async def describe(connection: AsyncConnection) -> dict[str, tuple[str, bool]]:
        found = await connection.run_sync(lambda sync: inspect(sync).get_columns("collected_vacancies"))
        return {c["name"]: (type(c["type"]).__name__.upper(), bool(c["nullable"])) for c in found}

    columns = on_database(database_url, describe)
    assert set(columns) == {
        "source", "id", "title", "employer", "area", "area_id", "country", "region_code", "experience",
        "schedule", "employment", "work_format", "employment_form", "salary_net_rub", "pay_from", "pay_to",
        "pay_currency", "pay_gross", "pay_period", "pay_net_rub", "pay_outlier", "published_at",
        "source_updated_at", "key_skills", "labels", "text", "url", "detail", "also_at", "raw_json",
        "content_hash", "archived", "first_seen_at", "last_seen_at", "updated_at", "duplicate_of",
    }  # fmt: skip
    assert columns["salary_net_rub"] in {("FLOAT", True), ("DOUBLE_PRECISION", True)}
    assert columns["experience"][1] and columns["published_at"][1]  # nullable
    assert not columns["source"][1] and not columns["first_seen_at"][1] and not columns["last_seen_at"][1]


async def repository(url: str) -> Repository:
    await asyncio.to_thread(upgrade_database, url)  # Alembic's async env runs its own loop
    return Repository(create_sessionmaker(create_engine(url)))


async def test_repository_round_trip_and_forget(database_url: str) -> None:
    repo = await repository(database_url)
    sessions = create_sessionmaker(create_engine(database_url))
    profile = await repo.touch_user(USER, "en")
    assert profile.language == "en" and profile.active and profile.skills == ()
    await repo.save_skills(USER, "python, sql", ["python", "sql", "python"])
    await repo.update_settings(USER, city=("1", "Москва"), experience=("noExperience",), schedule=(None,))
    profile = await repo.get_profile(USER)
    assert profile is not None
    assert profile.skills == ("python", "sql")
    assert (profile.city_id, profile.city_name, profile.experience, profile.schedule) == (
        "1", "Москва", "noExperience", None,
    )  # fmt: skip
    query_id = await repo.log_query(
        USER, text="python", recognized=["python"], model_version="v1", vacancy_keys=["1"]
    )
    await repo.add_shown_vacancies(query_id, ["1", "2"])
    query = await repo.get_query(query_id)
    assert query is not None and query.vacancy_keys == ["1", "2"] and query.recognized_skills == ["python"]
    assert await repo.save_feedback(USER, query_id, 1)
    assert await repo.save_feedback(USER, query_id, -1)  # replaces, not duplicates
    assert not await repo.save_feedback(USER + 1, query_id, 1)  # not their query
    assert await feedback_for(sessions, USER) == [(query_id, -1)]
    await repo.set_digest(USER, "daily")
    stats = await repo.stats()
    assert stats.users == 1 and stats.active_users == 1 and stats.subscriptions == {"daily": 1}
    assert stats.feedback == {-1: 1} and sum(n for _, n in stats.queries_per_day) == 1

    assert await count_rows_about(sessions, USER) == 6
    assert await repo.forget_user(USER)
    assert await count_rows_about(sessions, USER) == 0
    assert await repo.get_profile(USER) is None


async def test_mark_inactive_stops_digest(database_url: str) -> None:
    repo = await repository(database_url)
    await repo.touch_user(USER, "ru")
    await repo.set_digest(USER, "weekly")
    await repo.mark_inactive(USER)
    profile = await repo.get_profile(USER)
    assert profile is not None and not profile.active and profile.digest_frequency is None
    assert (await repo.stats()).blocked_users == 1
    profile = await repo.touch_user(USER, "ru")  # they came back
    assert profile.active


async def test_an_answer_writes_skills_and_query_in_one_call(database_url: str) -> None:
    repo = await repository(database_url)
    await repo.touch_user(USER, "ru")
    query_id = await repo.log_query(
        USER, text="Python, SQL", recognized=["python", "sql"], model_version="v1", vacancy_keys=["7"],
        skills=["python", "sql", "python"],
    )  # fmt: skip
    profile = await repo.get_profile(USER)
    assert profile is not None and profile.skills == ("python", "sql")
    assert profile.skills_text == "python, sql, python"
    query = await repo.get_query(query_id)
    assert query is not None and query.vacancy_keys == ["7"] and query.recognized_skills == ["python", "sql"]
    # Without skills the stored ones stay.
    await repo.log_query(USER, text="x", recognized=[], model_version="v1", vacancy_keys=[])
    profile = await repo.get_profile(USER)
    assert profile is not None and profile.skills == ("python", "sql")


async def test_first_contacts_at_once_make_one_user(database_url: str) -> None:
    """Two first updates of one user at once (two chats): both get the profile, one row."""
    repo = await repository(database_url)
    first, second = await asyncio.gather(repo.touch_user(USER, "en"), repo.touch_user(USER, "ru"))
    assert first.id == second.id == USER and {first.language, second.language} <= {"en", "ru"}
    assert first.language == second.language  # the loser found the winner's row
    assert (await repo.stats()).users == 1
    await repo.set_digest(USER, "weekly")
    await repo.save_skills(USER, "sql, python", ["sql", "python"])
    assert await repo.add_vacancy_action(USER, "101", "hide")
    assert await repo.add_vacancy_action(USER, "102", "save")  # saved is not hidden
    profile = await repo.touch_user(USER, "en")
    assert profile.language == first.language and profile.digest_frequency == "weekly"
    assert profile.skills == ("sql", "python") and profile.hidden == {"101"}
    assert profile.hidden == await repo.hidden_vacancies(USER)


async def test_connections_the_server_dropped_cost_no_request(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """No pre-ping on checkout: a pooled connection PostgreSQL terminated fails its first
    statement, and the call runs again on a fresh one."""
    await asyncio.to_thread(upgrade_database, postgres_url)
    engine = create_engine(postgres_url)
    repo = Repository(create_sessionmaker(engine))
    try:
        await repo.touch_user(USER, "ru")
        calls = {
            "touch_user": lambda: repo.touch_user(USER, "ru"),
            "get_profile": lambda: repo.get_profile(USER),
            "hidden_vacancies": lambda: repo.hidden_vacancies(USER),
            "log_query": lambda: repo.log_query(
                USER, text="sql", recognized=["sql"], model_version=None, vacancy_keys=[], skills=["sql"]
            ),
        }
        for name, call in calls.items():
            caplog.clear()
            terminated = await asyncio.to_thread(terminate_connections_of_this_process, postgres_url)
            assert terminated >= 1, name
            assert await call() is not None, name
            assert "retrying on a fresh one" in caplog.text, name
        profile = await repo.get_profile(USER)
        assert profile is not None and profile.skills == ("sql",)
    finally:
        await engine.dispose()


def terminate_connections_of_this_process(url: str) -> int:
    """pg_terminate_backend on every connection this test process opened to ``url``'s database."""
    import asyncpg

    database = url.rsplit("/", 1)[1]

    async def terminate() -> int:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
        try:
            rows = await connection.fetch(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND application_name = $2",
                database,
                f"jobrec-{os.getpid()}",
            )
        finally:
            await connection.close()
        return sum(1 for row in rows if row[0])

    return run_in_thread(terminate)
