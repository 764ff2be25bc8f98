"""Database faults (issue 13, items 2 and 3): killed migrations, a deleted database file, a
connection that broke. Real SQLite and PostgreSQL, real `kill -9`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage import Repository, create_engine, create_sessionmaker, upgrade_database

ROOT = Path(__file__).resolve().parents[2]

# A `jobrec db upgrade` that kills itself (SIGKILL, as kill -9) right before its Nth statement.
KILL_AT_STATEMENT = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
at, seen = int(sys.argv[2]), [0]

@event.listens_for(Engine, "before_cursor_execute")
def count(*_args):
    seen[0] += 1
    if seen[0] == at:
        os.kill(os.getpid(), signal.SIGKILL)

from bot.storage.db import upgrade_database
upgrade_database(sys.argv[1])
print(seen[0])
"""


def upgrade_killed_at(url: str, statement: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", KILL_AT_STATEMENT, url, str(statement)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


async def schema_state(url: str) -> tuple[set[str], list[str]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
            versions = []
            if "alembic_version" in tables:
                rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
                versions = list(rows.scalars())
    finally:
        await engine.dispose()
    return tables, versions


async def test_a_killed_first_migration_is_completed_by_the_next(database_url: str) -> None:
    """kill -9 before every few statements of the first upgrade; the next upgrade always
    reaches head. Before: 2 of 7 kill points left tables without a version row for good."""
    counting = await asyncio.to_thread(upgrade_killed_at, database_url, 10**9)
    assert counting.returncode == 0, counting.stderr
    total = int(counting.stdout.split()[-1])
    head_tables, head_versions = await schema_state(database_url)
    assert len(head_versions) == 1 and "collected_vacancies" in head_tables
    await asyncio.to_thread(reset, database_url)
    points = sorted({max(1, round(total * k / 8)) for k in range(1, 8)})
    for point in points:
        killed = await asyncio.to_thread(upgrade_killed_at, database_url, point)
        assert killed.returncode == -9, (point, killed.stderr[-500:])
        tables, versions = await schema_state(database_url)
        # Whole or nothing: either no migration record and no table of ours, or a version row.
        assert versions or not (tables - {"alembic_version"}), (point, tables)
        await asyncio.to_thread(upgrade_database, database_url)
        assert await schema_state(database_url) == (head_tables, head_versions), point
        await asyncio.to_thread(reset, database_url)


def reset(url: str) -> None:
    """An empty database again: the SQLite file removed, or every PostgreSQL table dropped."""
    if url.startswith("sqlite"):
        for path in Path(url.split("///", 1)[1]).parent.glob("jobrec.db*"):
            path.unlink()
        return

    async def drop() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(drop())


@pytest.fixture
async def sqlite_repo(tmp_path: Path) -> AsyncIterator[tuple[Path, AsyncEngine, Repository]]:
    """A migrated SQLite file, its engine and a repository with user 1 in it."""
    path = tmp_path / "var" / "jobrec.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade_database, url)
    engine = create_engine(url)
    repo = Repository(create_sessionmaker(engine))
    await repo.touch_user(1, "ru")
    yield path, engine, repo
    await engine.dispose()


async def test_deleted_database_file_is_reported_not_written(
    sqlite_repo: tuple[Path, AsyncEngine, Repository], caplog: pytest.LogCaptureFixture
) -> None:
    """Before: the bot kept answering and wrote into the deleted inode, gone at restart."""
    path, _, repo = sqlite_repo
    for file in path.parent.iterdir():
        file.unlink()
    with pytest.raises(Exception) as raised:
        await repo.save_skills(1, "python", ["python"])
    assert "unable to open database file" in str(raised.value)
    assert "was deleted or replaced" in caplog.text
    assert not path.exists()  # no fresh empty file either


async def test_replaced_database_file_is_not_written_through_old_connections(
    sqlite_repo: tuple[Path, AsyncEngine, Repository], tmp_path: Path
) -> None:
    path, engine, repo = sqlite_repo
    backup = tmp_path / "backup.db"
    subprocess.run(["sqlite3", str(path), f".backup {backup}"], check=True)
    for file in path.parent.iterdir():
        file.unlink()
    backup.rename(path)  # an operator restores a backup while the bot runs
    await repo.save_skills(1, "python", ["python"])  # a fresh connection, to the new file
    await engine.dispose()
    (skills,) = subprocess.run(
        ["sqlite3", str(path), "SELECT skills_text FROM users WHERE id = 1"], capture_output=True, text=True
    ).stdout.split()
    assert skills == "python"


async def test_read_only_spell_is_survived_without_restart(
    sqlite_repo: tuple[Path, AsyncEngine, Repository],
) -> None:
    """Connections opened while the file could not be written stayed read-only for good: 18 of
    18 users got an apology until a restart. Now they are dropped and the write retried."""
    path, engine, repo = sqlite_repo
    await engine.dispose()  # the next connections open during the spell
    # Immutable: unwritable even for root (tests run as root here, where chmod is no barrier).
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        assert await repo.get_profile(1) is not None  # reads go on during the spell
        with pytest.raises(Exception, match="readonly database"):
            await repo.save_skills(1, "python", ["python"])
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    await repo.save_skills(1, "sql", ["sql"])  # the fault is gone: so is the error
    profile = await repo.get_profile(1)
    assert profile is not None and profile.skills == ("sql",)
