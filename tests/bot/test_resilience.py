"""Telegram errors (429, 403, others), restarts on the same database, and no model yet."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bot_harness import USER_ID, running_bot
from databases import table_names
from fake_telegram import FakeTelegram

from bot.app import BotRuntime
from bot.config import Settings
from bot.services.model_holder import ModelHolder


async def test_flood_control_429_is_waited_out(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    tg.fail("sendMessage", status=429, retry_after=1)
    await tg.send_text(USER_ID, "/help")
    (help_message,) = await tg.wait_messages(USER_ID, 1)
    assert "/skills" in help_message.plain
    assert [e[:2] for e in tg.errors] == [("sendMessage", 429)]
    assert sum(1 for method, _ in tg.calls if method == "sendMessage") == 2  # the retry


async def test_blocked_user_marked_inactive_and_digest_stopped(
    tg: FakeTelegram, bot_runtime: BotRuntime
) -> None:
    await tg.send_text(USER_ID, "/skills python, sql")
    await tg.wait_messages(USER_ID, 1)
    await bot_runtime.repo.set_digest(USER_ID, "daily")
    tg.block(USER_ID)
    await tg.send_text(USER_ID, "/help")
    await tg.wait_until(lambda: any(e[1] == 403 for e in tg.errors))

    async def inactive() -> bool:
        profile = await bot_runtime.repo.get_profile(USER_ID)
        return profile is not None and not profile.active and profile.digest_frequency is None

    for _ in range(200):  # the error handler updates the database right after the 403
        if await inactive():
            break
        await asyncio.sleep(0.05)
    assert await inactive()
    # Polling goes on for everyone else.
    tg.add_user(4000)
    await tg.send_text(4000, "/help")
    assert (await tg.wait_messages(4000, 1))[0].plain


async def test_handler_error_apologises_and_polling_goes_on(
    tg: FakeTelegram, bot_runtime: BotRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    tg.fail("sendMessage", status=400, retry_after=None)  # e.g. a rejected reply
    caplog.set_level(logging.ERROR, logger="bot.errors")
    update_id = await tg.send_text(USER_ID, "/help")
    (apology,) = await tg.wait_messages(USER_ID, 1)
    assert "Извините" in apology.plain
    assert any(f"update {update_id}" in r.getMessage() for r in caplog.records)
    await tg.send_text(USER_ID, "/help")
    assert "/skills" in (await tg.wait_messages(USER_ID, 2))[1].plain


async def test_profile_survives_restart(
    tg: FakeTelegram, make_settings: Callable[..., Settings], bundle: object
) -> None:
    settings = make_settings()
    async with running_bot(settings, tg, ModelHolder(bundle)):
        await tg.send_text(USER_ID, "/skills figma, photoshop")
        await tg.wait_messages(USER_ID, 1)
        await tg.send_text(USER_ID, "/settings")
        (summary,) = await tg.wait_new(USER_ID, 1)
        await tg.press(USER_ID, summary, summary.button(data_prefix="set:city"))
        menu = await tg.wait_edit(USER_ID, 0)
        await tg.press(USER_ID, menu, menu.button(text="Казань"))
        await tg.wait_edit(USER_ID, 1)
        await tg.press(USER_ID, summary, summary.button(data_prefix="set:lang"))
        menu = await tg.wait_edit(USER_ID, 2)
        await tg.press(USER_ID, menu, menu.button(text="English"))
        await tg.wait_edit(USER_ID, 3)
    assert "users" in table_names(settings.database_url)  # migrated on the first start

    sent_before = len(tg.outbox(USER_ID))
    async with running_bot(settings, tg, ModelHolder(bundle)):
        await tg.send_text(USER_ID, "/skills")
        (skills,) = await tg.wait_new(USER_ID, sent_before)
        await tg.send_text(USER_ID, "/settings")
        (summary,) = await tg.wait_new(USER_ID, sent_before + 1)
    assert "Your skills" in skills.plain and "Figma" in skills.plain
    assert "Казань" in summary.plain and "Language: English" in summary.plain


async def test_without_a_model_says_so_then_picks_it_up(
    tg: FakeTelegram, make_settings: Callable[..., Settings], bundle_dir: Path, tmp_path: Path
) -> None:
    empty_dir = tmp_path / "models"
    settings = make_settings(model_dir=empty_dir)
    async with running_bot(settings, tg) as runtime:
        assert runtime.holder.current is None
        await tg.send_text(USER_ID, "python, sql")
        (training,) = await tg.wait_messages(USER_ID, 1)
        assert "Модель ещё обучается" in training.plain
        await tg.send_text(USER_ID, "/salary python")
        assert "Модель ещё обучается" in (await tg.wait_messages(USER_ID, 2))[1].plain
        shutil.copytree(bundle_dir, empty_dir, symlinks=True)  # "training finished"
        await tg.wait_until(lambda: runtime.holder.current is not None, timeout=30)
        await tg.send_text(USER_ID, "python, sql")
        recognition, vacancies = await tg.wait_new(USER_ID, 2, count=2)
    assert "python" in recognition.plain.lower() and vacancies.buttons()


async def test_polling_survives_server_errors_and_flood_control(
    tg: FakeTelegram, bot_runtime: BotRuntime
) -> None:
    tg.fail("getUpdates", status=502, retry_after=None, times=2)
    tg.fail("getUpdates", status=429, retry_after=1)

    def polling_errors() -> list[int]:
        return [status for method, status, _ in tg.errors if method == "getUpdates"]

    tg.add_user(4001)
    await tg.send_text(4001, "/help")  # answered by the poll in flight; the next polls meet the failures
    await tg.wait_until(lambda: len(polling_errors()) == 3, timeout=30)
    await tg.send_text(USER_ID, "/help")
    (help_message,) = await tg.wait_messages(USER_ID, 1, timeout=30)
    assert "/skills" in help_message.plain
    assert polling_errors() == [502, 502, 429]
