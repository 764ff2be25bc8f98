"""Fixtures for the bot tests: a tiny real model bundle (trained once per session from a
synthetic corpus), the fake Telegram Bot API server, and the real bot polling it."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from bot_corpus import synthetic_vacancies
from bot_harness import ADMIN_ID, TOKEN, USER_ID, running_bot
from fake_telegram import FakeTelegram

from bot.app import BotRuntime
from bot.config import Settings
from bot.services.model_holder import ModelHolder


@pytest.fixture(scope="session")
def bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from recommender.train import train_bundle

    out = tmp_path_factory.mktemp("models")
    train_bundle(synthetic_vacancies(), out, models=("nmf",), salary=True, random_state=0)
    return out


@pytest.fixture(scope="session")
def bundle(bundle_dir: Path) -> Any:
    from recommender.bundle import load_bundle

    return load_bundle(bundle_dir)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(TOKEN)
    await server.start()
    server.add_user(ADMIN_ID, language_code="ru", first_name="Админ")
    server.add_user(USER_ID, language_code="ru")
    yield server
    await server.stop()


@pytest.fixture
def make_settings(database_url: str, tg: FakeTelegram, bundle_dir: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "bot_token": TOKEN,
            "database_url": database_url,
            "model_dir": bundle_dir,
            "telegram_api_base": tg.url,
            "admin_ids": str(ADMIN_ID),
            "rate_limit_count": 100,
            "rate_limit_window": 10.0,
            "model_poll_seconds": 0.2,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make


@pytest.fixture
async def bot_runtime(
    make_settings: Callable[..., Settings], tg: FakeTelegram, bundle: Any
) -> AsyncIterator[BotRuntime]:
    async with running_bot(make_settings(), tg, ModelHolder(bundle)) as runtime:
        yield runtime
