"""Answers honest about freshness, through the real bot and the fake Telegram server: fresh
vacancies are called new and old ones never are; every answer and digest carries live search
links for the user's skills, city and experience; vacancies closed at the source leave the
answers; vacancies abroad never come for "all Russia" or a relaxed Russian city, and foreign pay
is never labelled roubles."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bot_corpus import NEWEST, synthetic_vacancies
from bot_harness import USER_ID, running_bot
from fake_telegram import FakeTelegram, Sent

from bot.app import BotRuntime
from bot.config import Settings
from bot.services.digests import digest_text
from bot.services.formatting import vacancy_block
from bot.services.model_holder import ModelHolder
from bot.storage.digests import Subscriber
from bot.storage.vacancies import VacancyRecord, VacancyRepository
from recommender.data.models import Salary, Vacancy
from recommender.data.money import PublishedPay
from recommender.recommend import RUSSIA, Filters, VacancyMatch

ABROAD = (("Минск", "1002", "Беларусь", "BYR"), ("Алматы", "160", "Казахстан", "USD"))


def _fresh_corpus() -> list[Vacancy]:
    """The bot corpus moved to this week, plus strong data matches abroad paid in their money."""
    shift = datetime.now(UTC).replace(tzinfo=None) - NEWEST
    corpus = [dataclasses.replace(v, published_at=v.published_at + shift) for v in synthetic_vacancies()]
    for i in range(8):
        area, area_id, country, currency = ABROAD[i % 2]
        corpus.append(
            Vacancy(
                id=f"77{i:06d}", title="Аналитик данных", employer=f"Зарубеж {i}", area=area, area_id=area_id,
                country=country, text="Аналитик данных. Python, SQL, Pandas.",
                key_skills=("Python", "SQL", "Pandas"), experience="noExperience", schedule="fullDay",
                published_at=NEWEST + shift, url=f"https://hh.ru/vacancy/77{i:06d}",
                salary=Salary(1700, 2300, currency, False, 60_000, False),
                detail="card",
            )
        )  # fmt: skip
    return corpus


@pytest.fixture(scope="module")
def fresh_bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from recommender.train import train_bundle

    out = tmp_path_factory.mktemp("fresh-models")
    train_bundle(_fresh_corpus(), out, models=("nmf",), salary=False, random_state=0)
    return out


@pytest.fixture(scope="module")
def fresh_bundle(fresh_bundle_dir: Path) -> Any:
    from recommender.bundle import load_bundle

    return load_bundle(fresh_bundle_dir)


@pytest.fixture
async def fresh_bot(
    make_settings: Callable[..., Settings], tg: FakeTelegram, fresh_bundle: Any, fresh_bundle_dir: Path
) -> AsyncIterator[BotRuntime]:
    settings = make_settings(model_dir=fresh_bundle_dir, index_catchup_seconds=0.2)
    async with running_bot(settings, tg, ModelHolder(fresh_bundle)) as runtime:
        yield runtime


async def ask(tg: FakeTelegram, text: str) -> Sent:
    before = len(tg.outbox(USER_ID))
    await tg.send_text(USER_ID, text)
    return (await tg.wait_new(USER_ID, before, 2))[-1]


def links(message: Sent) -> dict[str, dict[str, list[str]]]:
    """The answer's live search links by site: their query parameters."""
    found = {}
    for url in re.findall(r'href="([^"]+)"', message.text):
        parts = urlsplit(html.unescape(url))
        if parts.path in ("/search/vacancy", "/vacancy/search"):
            found[parts.netloc] = parse_qs(parts.query)
    return found


async def test_old_vacancies_are_said_to_be_old_first_and_links_open_todays(
    tg: FakeTelegram, bot_runtime: BotRuntime
) -> None:
    await ask(tg, "python, sql, pandas")  # the user's row exists from the first message on
    await bot_runtime.repo.update_settings(USER_ID, city=("88", "Казань"), experience=("noExperience",))
    answer = await ask(tg, "python, sql, pandas")
    first_line = answer.plain.splitlines()[0]
    assert first_line.startswith("⏳ Вакансии собраны до ") and "2021 — многие уже закрыты." in first_line
    assert not any("новые" in label for label, _ in answer.buttons())
    found = links(answer)
    assert set(found) == {"hh.ru", "trudvsem.ru"}
    hh = found["hh.ru"]
    assert (
        hh["area"] == ["88"]
        and hh["experience"] == ["noExperience"]
        and hh["order_by"] == ["publication_time"]
    )
    assert set(hh["text"][0].split(" OR ")) == {"Python", "SQL", "Pandas"}
    assert found["trudvsem.ru"]["_regionIds"] == ["1600000000000"]  # Татарстан, Казань's region
    assert answer.plain.rstrip().endswith("Свежие вакансии: hh.ru · Работа России")


async def test_fresh_vacancies_are_new_and_nothing_abroad_comes_for_russia(
    tg: FakeTelegram, fresh_bot: BotRuntime, fresh_bundle: Any
) -> None:
    query = fresh_bundle.understand("python, sql, pandas").query
    unfiltered = fresh_bundle.recommender().recommend(query, Filters(), k=5)
    assert any(v.country for v in unfiltered.vacancies)  # without the country they would lead

    answer = await ask(tg, "python, sql, pandas")
    assert not answer.plain.startswith("⏳")
    assert "Сначала новые" in [label for label, _ in answer.buttons()]
    assert "сегодня" in answer.plain or "назад" in answer.plain
    for area, _, country, _ in ABROAD:
        assert area not in answer.plain and country not in answer.plain

    # a city without vacancies: relaxed to all Russia, still nothing from abroad
    await fresh_bot.repo.update_settings(USER_ID, city=("3", "Екатеринбург"))
    relaxed = await ask(tg, "python, sql, pandas")
    assert "по всей России" in relaxed.plain
    for area, _, country, _ in ABROAD:
        assert area not in relaxed.plain and country not in relaxed.plain
    assert links(relaxed)["hh.ru"]["area"] == ["3"]  # the live links keep the user's own city


async def test_a_vacancy_closed_at_the_source_leaves_the_answers(
    tg: FakeTelegram, fresh_bot: BotRuntime, fresh_bundle: Any
) -> None:
    query = fresh_bundle.understand("python, sql, pandas").query
    top = fresh_bundle.recommender().recommend(query, Filters(country=RUSSIA), k=5).vacancies
    closed, kept = top[0], top[1]
    store = VacancyRepository(fresh_bot.sessions)
    served = fresh_bot.holder.current
    await store.upsert([VacancyRecord(Vacancy(closed.id, closed.title, url=closed.url))])
    assert await store.mark_archived([closed.key]) == 1
    # The served index follows the database (every INDEX_CATCHUP_SECONDS here, as without Redis).
    for _ in range(100):
        if fresh_bot.holder.current is not served:
            break
        await asyncio.sleep(0.1)

    answer = await ask(tg, "python, sql, pandas")
    assert closed.url not in answer.text and kept.url in answer.text


def test_foreign_pay_is_shown_in_its_money_with_the_country() -> None:
    item = VacancyMatch(
        id="1", title="Аналитик", employer="Бел", area="Минск", url="https://hh.ru/vacancy/1", salary=None,
        pay=PublishedPay(1700, 2300, "BYR"), score=1.0, matched_skills=[], missing_skills=[],
        published_at="2023-03-01", country="Беларусь",
    )  # fmt: skip
    block = vacancy_block("ru", 1, item, str)
    assert "Бел, Минск, Беларусь · 1 700–2 300 Br" in block and "в рублях" not in block and "₽" not in block
    at_home = dataclasses.replace(item, country="", pay=PublishedPay(80_000, 80_000, "RUR"))
    assert "в рублях 2023 г." in vacancy_block("ru", 1, at_home, str)  # old roubles still say their year


def test_a_digest_carries_the_live_links_in_the_users_language(bundle: Any) -> None:
    items = (
        bundle.recommender()
        .recommend(bundle.understand("figma, ux").query, Filters(country=RUSSIA), k=3)
        .vacancies
    )
    subscriber = Subscriber(
        user_id=1, language="en", frequency="weekly", skills=("figma", "ux"), skills_text="figma, ux",
        city_id="2", experience="between1And3", cursor_at=None, cursor_key=None, city_name="Санкт-Петербург",
    )  # fmt: skip
    text = digest_text(subscriber, items, bundle)
    assert text.startswith("⏳ <b>Vacancies collected up to ")  # the corpus is of 2021
    assert text.rstrip().endswith("Rabota Rossii</a>") and "Today's vacancies" in text
    assert "https://hh.ru/search/vacancy?text=Figma+OR+UX&amp;area=2&amp;experience=between1And3" in text
    assert "_regionIds=7800000000000" in text
