"""The bot on a bundle trained from a sample of the real hh.ru cards: real titles, employers
and salaries must still make valid Telegram messages (HTML, limits) on every page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bot_harness import USER_ID, running_bot
from fake_telegram import FakeTelegram

from bot.config import Settings
from bot.services.model_holder import ModelHolder

QUERIES = ("python, sql, нейросети", "figma, photoshop, ux", "продажи, 1с, excel", "водитель категории B")


@pytest.mark.shared_data
async def test_real_vacancies_make_valid_messages(
    shared_data_dir: Path, tmp_path: Path, tg: FakeTelegram, make_settings: Callable[..., Settings]
) -> None:
    from recommender.bundle import load_bundle
    from recommender.data import load_vacancies
    from recommender.train import train_bundle

    cards = load_vacancies([shared_data_dir / "hh_cards_2021_2023.jsonl.gz"]).vacancies
    sample = cards[::12]  # every 12th card: ~560 real vacancies from every field, trains in seconds
    model_dir = tmp_path / "models"
    train_bundle(sample, model_dir, models=("nmf",), salary=False)
    settings = make_settings(model_dir=model_dir)
    async with running_bot(settings, tg, ModelHolder(load_bundle(model_dir))):
        for query in QUERIES:
            before = len(tg.outbox(USER_ID))
            await tg.send_text(USER_ID, query)
            recognition, vacancies = await tg.wait_new(USER_ID, before, 2)
            assert "<b>" in recognition.text, query
            assert vacancies.text.count('<a href="https://hh.ru/vacancy/') >= 1, query
            for page in range(3):  # page through the real results
                more = [d for label, d in vacancies.buttons() if d.startswith("pg:") and "▶" in label]
                if not more:
                    break
                edits = len(tg.outbox(USER_ID, methods=("editMessageText",)))
                await tg.press(USER_ID, vacancies, more[0])
                vacancies = await tg.wait_edit(USER_ID, edits)
                assert f"({(page + 1) * 5 + 1}–" in vacancies.plain
        assert not tg.errors, tg.errors
