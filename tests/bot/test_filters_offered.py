"""Filters only where the data can answer (issue 19): a filter on a field the vacancies lack is
not offered, and when it leaves nothing it goes alone, never taking the other filters with it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bot_harness import USER_ID, running_bot
from fake_telegram import FakeTelegram

from bot.config import Settings
from bot.keyboards import filters_keyboard
from bot.services.advisor import Advisor, single_relaxations
from bot.services.answering import offered_filters
from bot.services.model_holder import ModelHolder
from recommender.data.money import PublishedPay
from recommender.recommend import Filters
from recommender.recommend.results import VacancyMatch


def match(pay: PublishedPay | None = None, employment: str | None = None) -> VacancyMatch:
    return VacancyMatch(
        id="1", title="Аналитик", employer="", area="Москва", url="", salary=None, pay=pay,
        score=1.0, matched_skills=[], missing_skills=[], employment=employment,
    )  # fmt: skip


def test_each_filter_dropped_alone_in_the_stated_order() -> None:
    asked = Filters(area="Казань", min_salary=100_000, employment="full", experience="noExperience")
    steps = dict(single_relaxations(asked))
    assert list(steps) == ["min_salary", "employment", "remote", "area", "experience"]
    assert steps["employment"] == asked.replace(employment=None)  # the others kept
    assert steps["remote"] == asked.replace(area=None, schedule="remote")
    assert "with_salary" not in steps  # a minimum implies a stated salary: dropping it alone changes nothing
    assert list(dict(single_relaxations(Filters(with_salary=True)))) == ["with_salary"]


async def test_a_filter_nothing_answers_goes_alone(bundle: Any) -> None:
    """ "Занятость: полная" over items without employment once dropped the salary minimum too."""
    advisor = Advisor(ModelHolder(bundle))
    asked = Filters(min_salary=100_000, employment="volunteer")  # no vacancy carries this value
    advice = await advisor.recommend(bundle.understand("python, sql, pandas").query, filters=asked)
    assert advice is not None
    assert advice.relaxed == ("employment",) and advice.filters == Filters(min_salary=100_000)
    salaries = [v.salary for v in advice.recommendation.vacancies]
    assert salaries and all(s is not None and s >= 100_000 for s in salaries)
    # the city and the salary minimum both impossible: still relaxed one filter at a time
    nowhere = await advisor.recommend(
        bundle.understand("python, sql").query, filters=Filters(area="Урюпинск", min_salary=10**7)
    )
    assert nowhere is not None and nowhere.relaxed[0] == "min_salary" and len(nowhere.relaxed) >= 2


def test_filters_offered_only_on_fields_the_vacancies_carry() -> None:
    listed = [match(), match()]  # search-list items: no salary stated, no employment
    assert offered_filters(listed, Filters()) == ()
    assert offered_filters([match("от 80 000 ₽"), match()], Filters()) == ("salary",)
    assert offered_filters([match(employment="full")], Filters()) == ("employment",)
    assert offered_filters(listed, Filters(employment="full")) == ("employment",)  # set: can be unset
    keyboard = filters_keyboard("ru", 1, Filters(), ("salary",))
    labels = [button.text for row in keyboard.inline_keyboard for button in row]
    assert not any("Занятость" in label for label in labels) and any("зарплат" in label for label in labels)


@pytest.fixture(scope="module")
def no_employment_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle over vacancies that carry no employment (as hh's search-list items)."""
    from bot_corpus import synthetic_vacancies

    from recommender.train import train_bundle

    out = tmp_path_factory.mktemp("no-employment")
    vacancies = [dataclasses.replace(v, employment=None) for v in synthetic_vacancies()]
    train_bundle(vacancies, out, models=("nmf",), salary=False, random_state=0)
    return out


async def test_answer_offers_no_filter_its_vacancies_cannot_answer(
    make_settings: Callable[..., Settings], tg: FakeTelegram, no_employment_dir: Path
) -> None:
    from recommender.bundle import load_bundle

    holder = ModelHolder(load_bundle(no_employment_dir))
    async with running_bot(make_settings(model_dir=no_employment_dir), tg, holder):
        await tg.send_text(USER_ID, "python, sql, pandas")
        _, answer = await tg.wait_messages(USER_ID, 2)
        await tg.press(USER_ID, answer, answer.button(text="Фильтры"))
        filters = await tg.wait_edit(USER_ID, 0)
        labels = [label for label, _ in filters.buttons()]
        assert any("зарплат" in label for label in labels)  # salaries are stated: offered
        assert not any("Занятость" in label for label in labels)  # no vacancy says its employment
        assert not tg.errors, tg.errors
