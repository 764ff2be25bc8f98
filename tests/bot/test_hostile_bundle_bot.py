"""A damaged model bundle under the running bot (issue 13, item 6).

Before: users were told "Модель ещё обучается… Ваши навыки я сохранил" while nothing trained
and nothing was saved, and every poll logged a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bot_harness import ADMIN_ID, USER_ID, running_bot
from fake_telegram import FakeTelegram

from bot.config import Settings


def damaged_copy(bundle_dir: Path, where: Path) -> Path:
    copy = where / "models"
    shutil.copytree(bundle_dir, copy, symlinks=True)
    vocabulary = (copy / "current").resolve() / "vocabulary.pkl"
    vocabulary.write_bytes(vocabulary.read_bytes()[:100])  # a disk that filled up mid-write
    return copy


async def test_damaged_bundle_is_told_truthfully_and_repaired_without_restart(
    tg: FakeTelegram,
    make_settings: Callable[..., Settings],
    bundle_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    models = damaged_copy(bundle_dir, tmp_path)
    async with running_bot(make_settings(model_dir=models, model_poll_seconds=0.1), tg) as runtime:
        await tg.send_text(USER_ID, "python, sql")
        (reply,) = await tg.wait_new(USER_ID, 0)
        assert "Модель недоступна, администратор уведомлён" in reply.plain
        assert "навыки я сохранил" in reply.plain
        profile = await runtime.repo.get_profile(USER_ID)
        assert profile is not None and profile.skills_text == "python, sql"  # really saved
        await asyncio.sleep(1.0)  # ten polls of the damaged bundle
        admin_messages = tg.outbox(ADMIN_ID)
        assert len(admin_messages) == 1 and "не загружается" in admin_messages[0].plain
        assert "damaged" in admin_messages[0].plain
        unavailable = [r for r in caplog.records if "is unavailable" in r.getMessage()]
        assert len(unavailable) == 1 and not any(r.exc_info for r in caplog.records)
        # The operator retrains (here: restores a good bundle); the bot picks it up by itself.
        shutil.rmtree(models)
        shutil.copytree(bundle_dir, models, symlinks=True)
        await tg.wait_until(lambda: runtime.holder.current is not None)
        assert runtime.holder.problem is None
        await tg.send_text(USER_ID, "/jobs")
        (jobs, *_) = await tg.wait_new(USER_ID, 1)
        assert "недоступна" not in jobs.plain and "python" in jobs.plain.lower()  # the kept skills, read
