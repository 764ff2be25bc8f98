"""Constants and the running-bot helper shared by the bot tests (importable, unlike conftest)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fake_telegram import FakeTelegram

from bot.app import BotRuntime, create_runtime, serve
from bot.config import Settings
from bot.services.model_holder import ModelHolder

TOKEN = "123456789:AAtestTOKENtestTOKENtestTOKEN12345"
ADMIN_ID = 1000
USER_ID = 2000


@contextlib.asynccontextmanager
async def running_bot(
    settings: Settings, tg: FakeTelegram, holder: ModelHolder | None = None
) -> AsyncIterator[BotRuntime]:
    """The real bot polling the fake server until the block ends."""
    runtime = await create_runtime(settings, holder=holder)
    task = asyncio.create_task(serve(runtime, handle_signals=False, polling_timeout=2, probation=0))
    polls_before = sum(1 for method, _ in tg.calls if method == "getUpdates")
    await tg.wait_until(lambda: sum(1 for m, _ in tg.calls if m == "getUpdates") > polls_before, timeout=20)
    try:
        yield runtime
    finally:
        runtime.stop()
        await asyncio.wait_for(task, timeout=20)
