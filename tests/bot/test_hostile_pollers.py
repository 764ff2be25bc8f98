"""Hostile cases: two `jobrec bot` long-polling processes on one token (real processes, the fake
Telegram ending the older of two concurrent getUpdates with 409 Conflict, as Telegram does).

Each row: what was done, what must hold.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from bot_process import BotProcess
from fake_telegram import FakeTelegram

from bot.app import StartupError, create_runtime, serve
from bot.config import Settings

pytestmark = pytest.mark.timeout(300)

LEAVE_LINE = "another process is polling this bot"
KEEP_LINE = "another process tried to poll this bot"
USER = 3101


def sqlite(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'jobrec.db'}"


async def test_a_second_poller_leaves_with_one_line(
    tg: FakeTelegram, bundle_dir: Path, tmp_path: Path
) -> None:
    """Row: a second `jobrec bot` started while the first polls the same token.
    Holds: the second exits (code 2) with one line saying another process polls this bot, having
    answered nothing; the first keeps answering, each message once; its log says so at most once."""
    first = BotProcess(tg, tmp_path, sqlite(tmp_path), bundle_dir, name="first")
    second = BotProcess(tg, tmp_path, sqlite(tmp_path), bundle_dir, name="second")
    await first.start()
    try:
        await second.start(warm_up=False)
        code = await second.wait(timeout=90)
        tg.add_user(USER)
        for number in range(1, 4):
            await tg.send_text(USER, "/help")
            await tg.wait_messages(USER, number, timeout=30)
    finally:
        await second.kill()
        await first.kill()
    assert code == 2, second.output()[-3000:]
    second_log = second.output()
    assert second_log.count(LEAVE_LINE) == 1, second_log[-3000:]
    assert "Traceback" not in second_log and "ERROR" not in second_log, second_log[-3000:]
    first_log = first.output()
    assert first_log.count(KEEP_LINE) <= 1 and "ERROR" not in first_log, first_log[-3000:]
    assert len(tg.outbox(USER)) == 3  # each /help answered once
    assert tg.conflicts <= 4, tg.conflicts  # a handful of 409s, not a flood


async def test_a_second_poller_started_while_the_first_answers(
    tg: FakeTelegram, bundle_dir: Path, tmp_path: Path
) -> None:
    """Row: the second started while the first is in the middle of answers (a slow Telegram:
    sendMessage takes 3 s, so unconfirmed updates are pending all along).
    Holds: the second still leaves with the one line and answers nothing; every message is
    answered exactly once, by the first."""
    first = BotProcess(tg, tmp_path, sqlite(tmp_path), bundle_dir, name="first")
    second = BotProcess(tg, tmp_path, sqlite(tmp_path), bundle_dir, name="second")
    await first.start()
    users = (3201, 3202, 3203)
    try:
        for user in users:
            tg.add_user(user)
        tg.delay("sendMessage", 3.0)
        for user in users:
            await tg.send_text(user, "/help")
        await tg.wait_until(lambda: tg.delayed["sendmessage"] >= 1, timeout=30)
        await second.start(warm_up=False)
        code = await second.wait(timeout=90)
        tg.delay("sendMessage", 0)
        await tg.wait_until(lambda: all(tg.outbox(u) for u in users), timeout=30)
        await first.warm_up()  # a round trip more: a duplicate would have been sent by now
    finally:
        await second.kill()
        await first.kill()
    assert code == 2, second.output()[-3000:]
    assert second.output().count(LEAVE_LINE) == 1
    assert [len(tg.outbox(u)) for u in users] == [1, 1, 1]


async def test_a_token_revoked_while_polling_stops_with_one_line(
    tg: FakeTelegram, make_settings: Callable[..., Settings]
) -> None:
    """Row: Telegram answers 401 to getUpdates (the token was revoked while the bot ran).
    Holds: polling stops with the one-line StartupError the CLI prints, instead of retrying forever."""
    runtime = await create_runtime(make_settings())
    serving = asyncio.create_task(serve(runtime, handle_signals=False, polling_timeout=1, probation=0))
    await tg.wait_until(lambda: any(method == "getUpdates" for method, _ in tg.calls), timeout=30)
    tg.fail("getUpdates", status=401, retry_after=None)
    with pytest.raises(StartupError, match="BOT_TOKEN was rejected"):
        await asyncio.wait_for(serving, 30)
