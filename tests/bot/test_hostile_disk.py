"""Hostile cases: the database's disk fills up under a running bot, then space comes back.

SQLite on a real full filesystem (a small tmpfs), PostgreSQL with its disk_full error raised by
triggers (see full_disk.py for what each simulates). The rows run in order on one bot, as
they would happen:

| row | what was done (disk full) | what must hold |
|---|---|---|
| help | /help | answered; no apology |
| query | a skills query "python, sql" | recognition and vacancies, noting they were not stored |
| salary | /salary python, sql | the salary answer; no apology |
| page | "next page" under an answer given before the disk filled | the page is shown |
| save | /skills python, django, sql (a write asked for) | told it could not be saved; old skills intact |
| forget | /forget, then "yes" | told truthfully it could not be done; the user is still there |
| admin | all of the above | the admins are told once |
| recovery | space freed, /skills python, django, sql | saved and confirmed, without a restart |
| import | `jobrec import` with the disk full | one line saying the disk is full, exit 2, no traceback |
| upgrade | `jobrec db upgrade` of a new SQLite database on a full disk | one line, exit 2, no traceback |

Row start (its own bot): the bot is started on a migrated database whose disk is already full
but readable (SQLite: its -wal and -shm files in place, as while another process has it open
or after a crash); /help, a skills query, /skills python, sql; then space is freed and the save
asked again -> it starts, answers read-only as in the rows above (the query noting it was not
stored, the save told it could not be done), the admins are told once, no apology; the second
save works without a restart.

Row unreadable (SQLite only): the bot is started on a full disk where SQLite cannot create the
-shm and -wal files it needs to open its WAL database (no process has it open) -> nothing can
be read either (SQLite says "disk I/O error"): it refuses to start in one line, exit 2, no
traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bot_harness import ADMIN_ID, TOKEN, running_bot
from fake_telegram import FakeTelegram
from full_disk import PostgresDisk, SqliteDisk, mount_tmpfs, unmount

from bot.config import Settings
from bot.services.model_holder import ModelHolder
from bot.storage import Repository, create_engine, create_sessionmaker, upgrade_database
from bot.texts import t

pytestmark = pytest.mark.timeout(300)

ROOT = Path(__file__).resolve().parents[2]
USER = 3301
APOLOGY = t("ru", "error").split(".")[0]
NOT_SAVED = t("ru", "storage_full").split(":")[0]  # "Не удалось сохранить"
ADMIN_NOTE = "кончилось место"

Disk = SqliteDisk | PostgresDisk


@pytest.fixture
def disk(database_url: str, tmp_path: Path) -> Iterator[Disk]:
    if not database_url.startswith("sqlite"):
        yield PostgresDisk(database_url)
        return
    folder = tmp_path / "small-disk"
    reason = mount_tmpfs(folder)
    if reason is not None:
        pytest.skip(reason)
    try:
        yield SqliteDisk(folder)
    finally:
        unmount(folder)


def no_apology(tg: FakeTelegram) -> bool:
    return not any(APOLOGY in sent.plain for sent in tg.sent)


async def ask(tg: FakeTelegram, text: str, count: int = 1) -> list[str]:
    before = len(tg.outbox(USER))
    await tg.send_text(USER, text)
    return [sent.plain for sent in await tg.wait_new(USER, before, count=count, timeout=30)]


async def test_a_full_disk_degrades_answers(
    disk: Disk, tg: FakeTelegram, make_settings: Callable[..., Settings], bundle: Any
) -> None:
    tg.add_user(USER)
    async with running_bot(make_settings(database_url=disk.url), tg, ModelHolder(bundle)):
        (saved,) = await ask(tg, "/skills python, sql")
        assert t("ru", "skills_updated") in saved
        _, earlier = await ask(tg, "python, sql", count=2)
        answer = tg.outbox(USER)[-1]
        disk.fill()
        try:
            (help_text,) = await ask(tg, "/help")
            assert "/skills" in help_text, "row help"

            recognition, vacancies = await ask(tg, "python, sql", count=2)
            assert "python" in recognition.lower(), "row query"
            assert "не сохранены" in vacancies, "row query: says it was not stored"

            salary, _chart = await ask(tg, "/salary python, sql", count=2)
            assert "₽" in salary, f"row salary: {salary}"

            edits = len(tg.outbox(USER, methods=("editMessageText",)))
            await tg.press(USER, answer, answer.button(data_prefix="pg:"))
            page = await tg.wait_edit(USER, edits)
            assert page.plain != earlier, "row page"

            (save,) = await ask(tg, "/skills python, django, sql")
            assert NOT_SAVED in save, f"row save: {save}"

            await ask(tg, "/forget")
            before = len(tg.outbox(USER))
            question = tg.outbox(USER)[-1]
            await tg.press(USER, question, question.button(text=t("ru", "forget_yes")))
            (forget,) = await tg.wait_new(USER, before, timeout=30)
            assert NOT_SAVED in forget.plain, f"row forget: {forget.plain}"

            admin = [s.plain for s in tg.outbox(ADMIN_ID) if ADMIN_NOTE in s.plain]
            assert len(admin) == 1, f"row admin: {admin}"
            assert no_apology(tg), [s.plain for s in tg.sent if APOLOGY in s.plain]
        finally:
            disk.free()

        (stored,) = await ask(tg, "/skills")
        assert "python" in stored.lower() and "django" not in stored.lower(), "row save: old skills intact"
        (saved,) = await ask(tg, "/skills python, django, sql")
        assert t("ru", "skills_updated") in saved, f"row recovery: {saved}"
        (stored,) = await ask(tg, "/skills")
        assert "django" in stored.lower(), "row recovery"
        assert no_apology(tg)


async def test_a_bot_started_on_a_full_disk_answers_read_only(
    disk: Disk, tg: FakeTelegram, make_settings: Callable[..., Settings], bundle: Any
) -> None:
    """Row start: the bot starts, degraded, as a running bot does when its disk fills."""
    await asyncio.to_thread(upgrade_database, disk.url)
    await known_user(disk.url)
    tg.add_user(USER)
    holder = wal_kept_open(disk) if isinstance(disk, SqliteDisk) else contextlib.nullcontext()
    with holder:
        disk.fill()
        await answers_read_only_then_recovers(disk, tg, make_settings, bundle)


async def known_user(url: str) -> None:
    """USER wrote to the bot before the disk filled (a new user's query cannot be stored either)."""
    engine = create_engine(url)
    await Repository(create_sessionmaker(engine)).touch_user(USER, "ru")
    await engine.dispose()


@contextlib.contextmanager
def wal_kept_open(disk: SqliteDisk) -> Iterator[None]:
    """The database in WAL mode (as the bot leaves it), held open so its -wal and -shm stay."""
    with contextlib.closing(sqlite3.connect(disk.database)) as connection:
        connection.execute("PRAGMA journal_mode=WAL").fetchall()
        connection.execute("SELECT count(*) FROM users").fetchall()
        yield


async def test_a_bot_started_on_an_unreadable_full_disk_refuses_in_one_line(
    disk: Disk, tmp_path: Path
) -> None:
    """Row unreadable."""
    if not isinstance(disk, SqliteDisk):
        pytest.skip("PostgreSQL: reads need no free space")
    await asyncio.to_thread(upgrade_database, disk.url)
    with wal_kept_open(disk):
        pass  # closed: SQLite removes the -wal and -shm files
    disk.fill()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": disk.url, "BOT_TOKEN": TOKEN}
        code, output = await jobrec(env, tmp_path, "bot")
    finally:
        disk.free()
    lines = [line for line in output.splitlines() if line.startswith("jobrec")]
    assert code == 2 and "Traceback" not in output, output
    assert len(lines) == 1 and "disk I/O error" in lines[0], output


async def answers_read_only_then_recovers(
    disk: Disk, tg: FakeTelegram, make_settings: Callable[..., Settings], bundle: Any
) -> None:
    try:
        async with running_bot(make_settings(database_url=disk.url), tg, ModelHolder(bundle)):
            (help_text,) = await ask(tg, "/help")
            assert "/skills" in help_text
            recognition, vacancies = await ask(tg, "python, sql", count=2)
            assert "python" in recognition.lower() and "не сохранены" in vacancies
            (save,) = await ask(tg, "/skills python, sql")
            assert NOT_SAVED in save, save
            admin = [s.plain for s in tg.outbox(ADMIN_ID) if ADMIN_NOTE in s.plain]
            assert len(admin) == 1, admin
            disk.free()
            (saved,) = await ask(tg, "/skills python, sql")
            assert t("ru", "skills_updated") in saved, saved
    finally:
        disk.free()
    assert no_apology(tg), [s.plain for s in tg.sent if APOLOGY in s.plain]


async def test_import_on_a_full_disk_is_one_line(disk: Disk, tmp_path: Path) -> None:
    """Row import: `jobrec import` on a full disk."""
    cards = tmp_path / "cards.jsonl"
    cards.write_text("\n".join(json.dumps(card(i)) for i in range(50)) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": disk.url}
    code, output = await jobrec(env, tmp_path, "db", "upgrade")
    assert code == 0, output
    disk.fill()
    try:
        code, output = await jobrec(env, tmp_path, "import", str(cards))
    finally:
        disk.free()
    lines = [line for line in output.splitlines() if line.strip() and "vacancies" not in line]
    assert code == 2, output
    assert "Traceback" not in output, output
    assert lines[-1].startswith("jobrec import:") and "disk is full" in lines[-1], output


async def test_db_upgrade_on_a_full_disk_is_one_line(disk: Disk, tmp_path: Path) -> None:
    """Row upgrade. SQLite only: on PostgreSQL an upgrade at head writes nothing, and the
    triggers cannot stop DDL, so there is nothing honest to simulate."""
    if not isinstance(disk, SqliteDisk):
        pytest.skip("PostgreSQL: see the docstring")
    disk.database.touch()  # an empty file: the migrations must write the whole schema
    disk.fill()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": disk.url}
        code, output = await jobrec(env, tmp_path, "db", "upgrade")
    finally:
        disk.free()
    lines = [line for line in output.splitlines() if line.startswith("jobrec")]
    assert code == 2 and "Traceback" not in output, output
    assert len(lines) == 1 and "disk is full" in lines[0], output


async def jobrec(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from recommender.cli import main; sys.exit(main())", *args,
        cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode()


def card(index: int) -> dict[str, Any]:
    return {
        "id": str(700000 + index),
        "name": f"Python разработчик {index}",
        "area": {"id": "1", "name": "Москва"},
        "employer": {"id": "5", "name": "Компания"},
        "salary": {"from": 90000, "to": None, "currency": "RUR", "gross": False},
        "experience": {"id": "between1And3", "name": "-"},
        "schedule": {"id": "remote", "name": "-"},
        "employment": {"id": "full", "name": "-"},
        "professional_roles": [{"id": "96", "name": "Программист, разработчик"}],
        "published_at": "2024-01-10T10:00:00+0300",
        "alternate_url": f"https://hh.ru/vacancy/{700000 + index}",
        "description": "<p>Python, SQL, Django.</p>",
        "key_skills": [{"name": "Python"}, {"name": "SQL"}],
        "archived": False,
    }
