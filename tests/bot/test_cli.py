"""`jobrec bot` and `jobrec db upgrade` as a user runs them (real subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from databases import scalar, table_names

ROOT = Path(__file__).resolve().parents[2]


def jobrec(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", "import sys; from recommender.cli import main; sys.exit(main())", *args],
        cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("token", [None, "", "12345", "123456:short", "abc:" + "x" * 40])
def test_bot_without_a_valid_token_exits_2_with_one_line(tmp_path: Path, token: str | None) -> None:
    env = {} if token is None else {"BOT_TOKEN": token}
    result = jobrec(["bot"], tmp_path, **env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "BOT_TOKEN" in lines[0]
    assert not token or token not in result.stderr


@pytest.mark.parametrize(("name", "value"), [("LOG_LEVEL", "loud"), ("ADMIN_IDS", "abc")])
def test_bot_with_a_bad_setting_exits_2_with_one_line(tmp_path: Path, name: str, value: str) -> None:
    result = jobrec(["bot"], tmp_path, BOT_TOKEN="123456789:" + "A" * 35, **{name: value})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and name in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path: Path, database_url: str) -> None:
    result = jobrec(["db", "upgrade"], tmp_path, DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr
    assert {"users", "queries", "collected_vacancies"} <= table_names(database_url)
    assert scalar(database_url, "SELECT version_num FROM alembic_version")


async def test_jobrec_bot_runs_against_a_local_bot_api_and_stops_on_sigint(tmp_path: Path) -> None:
    """The real `jobrec bot` process: migrations at start-up, no model yet, answers, clean exit."""
    import asyncio
    import signal

    from bot_harness import TOKEN, USER_ID
    from fake_telegram import FakeTelegram

    tg = FakeTelegram(TOKEN)
    await tg.start()
    tg.add_user(USER_ID)
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL", "MODEL_DIR"}}
    env.update(
        PYTHONPATH=str(ROOT),
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE=tg.url,
        MODEL_DIR=str(tmp_path / "no-models"),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'var' / 'jobrec.db'}",
        JOBS_IN_BOT="true",
        LOG_LEVEL="INFO",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from recommender.cli import main; sys.exit(main(['bot']))",
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await tg.wait_until(lambda: any(m == "getUpdates" for m, _ in tg.calls), timeout=60)
        await tg.send_text(USER_ID, "/start")
        (greeting,) = await tg.wait_messages(USER_ID, 1)
        await tg.send_text(USER_ID, "python, sql")
        await tg.wait_messages(USER_ID, 2)
        await tg.send_text(USER_ID, "/skills python")
        (_, _, training) = await tg.wait_messages(USER_ID, 3)
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
        await tg.stop()
    log = stderr.decode()
    assert "Привет" in greeting.plain
    assert "Модель ещё обучается" in training.plain
    assert process.returncode == 0, log[-2000:]
    assert "no model bundle" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "users" in table_names(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'jobrec.db'}")


def test_db_upgrade_reads_the_database_url_from_dotenv(tmp_path: Path) -> None:
    """One settings object, read one way: `db upgrade` honours .env like the bot does."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'from-dotenv.db'}"
    (tmp_path / ".env").write_text(f"DATABASE_URL={url}\n", encoding="utf-8")
    # JOBREC_ENV_FILE empty: the real lookup (the project folder has no .env, the current one has).
    result = jobrec(["db", "upgrade"], tmp_path, JOBREC_ENV_FILE="")
    assert result.returncode == 0, result.stderr
    assert "users" in table_names(url)
    assert not (tmp_path / "var").exists()  # not the default SQLite file
