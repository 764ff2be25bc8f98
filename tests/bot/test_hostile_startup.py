"""Hostile start-up and secrets in logs (issue 13): each case a row, input → expected line.

Real parts only: the `jobrec bot` process, the fake Bot API server, a redirecting loopback
server, real SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import web
from bot_harness import TOKEN
from fake_telegram import FakeTelegram

from bot.app import StartupError, create_bot, wait_for_api
from bot.config import Settings
from bot.redaction import install_redaction
from bot.storage import upgrade_database

ROOT = Path(__file__).resolve().parents[2]
SECRET = TOKEN.split(":", 1)[1]


async def jobrec_bot(cwd: Path, **env: str) -> tuple[int, str]:
    """`jobrec bot` as an operator runs it; (exit code, stderr)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    clean.update(PYTHONPATH=str(ROOT), MODEL_DIR=str(cwd / "models"), JOBS_IN_BOT="false", **env)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from recommender.cli import main; sys.exit(main())", "bot",
        cwd=cwd, env=clean, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, stderr.decode()


def last_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


@pytest.fixture
async def redirect_loop() -> AsyncIterator[str]:
    """An API (or proxy) that redirects every request to itself: aiohttp gives up with
    TooManyRedirects, whose text carries the full URL, token included."""

    async def bounce(request: web.Request) -> web.Response:
        raise web.HTTPFound(str(request.url))

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", bounce)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


def settings_for(api_base: str, tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        telegram_api_base=api_base,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'j.db'}",
    )


# secrets ---------------------------------------------------------------------------


async def test_redirecting_api_never_logs_the_token(
    redirect_loop: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    bot = create_bot(settings_for(redirect_loop, tmp_path))
    try:
        with pytest.raises(StartupError) as raised:
            await wait_for_api(bot, first_delay=0.01, attempts=3)
    finally:
        await bot.session.close()
    retries = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(retries) == 2 and "redirect" in caplog.text.lower()
    assert SECRET not in caplog.text and "***" in caplog.text
    assert SECRET not in str(raised.value)
    logging.getLogger("aiohttp.client").error("request failed", exc_info=raised.value)
    assert SECRET not in caplog.text


@pytest.mark.parametrize(
    ("message", "args"),
    [
        ("GET http://api/bot%s/getMe failed", (TOKEN,)),
        ("url=%s", ("http://api/bot" + TOKEN.replace(":", "%3A") + "/getUpdates",)),
        ("token part only: %s", (SECRET,)),
    ],
)
def test_every_spelling_of_the_token_is_redacted(
    message: str, args: tuple[str, ...], caplog: pytest.LogCaptureFixture
) -> None:
    install_redaction([TOKEN])
    caplog.set_level(logging.INFO)
    try:
        raise RuntimeError("boom at http://api/bot" + TOKEN + "/x")
    except RuntimeError:
        logging.getLogger("aiogram.dispatcher").exception(message, *args)
    assert SECRET not in caplog.text
    assert caplog.text.count("***") >= 2  # the message and the traceback


async def test_sql_parameters_are_not_logged_at_debug(
    make_settings: Callable[..., Settings], tg: FakeTelegram, bundle: object, caplog: pytest.LogCaptureFixture
) -> None:
    from bot_harness import USER_ID, running_bot

    from bot.services.model_holder import ModelHolder

    caplog.set_level(logging.DEBUG)
    async with running_bot(make_settings(log_level="DEBUG"), tg, ModelHolder(bundle)):
        await tg.send_text(USER_ID, "/skills figma, photoshop, tilda")
        await tg.wait_messages(USER_ID, 1)
    assert any(r.levelno == logging.DEBUG for r in caplog.records)  # debugging is on
    # aiosqlite logs every statement with its parameters at DEBUG: not here.
    assert "tilda" not in caplog.text.lower()


# start-up ----------------------------------------------------------------------------

NO_ASYNCPG = pytest.mark.skipif(importlib.util.find_spec("asyncpg") is None, reason="asyncpg not installed")
REVOKED = "987654321:AArevokedREVOKEDrevokedREVOKED12345"
STARTUP_CASES = [
    # what is wrong: environment → expected in the one line
    pytest.param({"BOT_TOKEN": REVOKED}, "BOT_TOKEN was rejected", id="revoked token"),
    pytest.param({"TELEGRAM_API_BASE": "localhost:8081"}, "TELEGRAM_API_BASE must be an http", id="API typo"),
    pytest.param({"DATABASE_URL": "jobrec.db"}, "DATABASE_URL is not a database URL", id="not a URL"),
    pytest.param({"DATABASE_URL": "mysqlx://u:pw@127.0.0.1/db"}, "unknown database driver", id="driver"),
    pytest.param({"DATABASE_URL": "sqlite+pysqlcipher://:pw@/j.db"}, "is not installed", id="no driver"),
    pytest.param(
        {"DATABASE_URL": "sqlite+aiosqlite:///.env/j.db"}, "cannot create the database", id="folder is a file"
    ),
    pytest.param(
        {"DATABASE_URL": "postgresql+asyncpg://u:pw@127.0.0.1:1/x"}, "cannot open the database",
        id="database refused", marks=NO_ASYNCPG,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("env", "expected"), STARTUP_CASES)
async def test_bad_start_is_one_line_and_exit_2(
    tmp_path: Path, tg: FakeTelegram, env: dict[str, str], expected: str
) -> None:
    (tmp_path / ".env").write_text("")  # a file where a folder is expected
    values = {"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": tg.url, **env}
    code, stderr = await jobrec_bot(tmp_path, **values)
    assert code == 2, stderr
    assert "Traceback" not in stderr
    assert expected in last_line(stderr)
    assert SECRET not in stderr and "pw@" not in stderr  # neither the token nor a password
    assert values["BOT_TOKEN"].split(":")[1] not in stderr


async def test_read_only_database_is_reported_at_start(tmp_path: Path, tg: FakeTelegram) -> None:
    """A database file nobody may write (immutable: even root cannot, as tests run here)."""
    path = tmp_path / "ro.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade_database, url)
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        code, stderr = await jobrec_bot(tmp_path, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=tg.url, DATABASE_URL=url)
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    assert code == 2 and "Traceback" not in stderr
    assert "is not writable: attempt to write a readonly database" in last_line(stderr)


async def test_unreachable_api_is_retried_with_backoff_then_connects(
    tg: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.app")
    tg.fail("getMe", status=502, retry_after=None, times=3)
    bot = create_bot(settings_for(tg.url, tmp_path))
    try:
        await wait_for_api(bot, first_delay=0.05)
    finally:
        await bot.session.close()
    attempts = [r.getMessage() for r in caplog.records if "unreachable" in r.getMessage()]
    assert [m.split("(")[1].split(":")[0] for m in attempts] == ["attempt 1", "attempt 2", "attempt 3"]
    delays = [float(m.rsplit("retrying in ", 1)[1].split()[0]) for m in attempts]
    assert delays == sorted(delays)


async def test_closed_port_counts_attempts_and_gives_up_in_one_line(tmp_path: Path) -> None:
    bot = create_bot(settings_for("http://127.0.0.1:1", tmp_path))
    try:
        with pytest.raises(StartupError, match="unreachable"):
            await wait_for_api(bot, first_delay=0.01, attempts=2)
    finally:
        await bot.session.close()
