"""An answer ranks the query once: its relaxed filters and its page presses re-filter that ranking,
and /skills asks for the skills to learn alone (issue 20)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from counting_recommender import CountingRecommender, fresh

import bot.services.advisor as advisor_module
from bot.services.advisor import Advisor
from bot.services.model_holder import ModelHolder
from recommender.recommend import Filters

# Each filter leaves nothing for "python, sql, pandas": every single relaxation, then the chain, is tried.
NOTHING = Filters(area="Урюпинск", min_salary=10**7, employment="volunteer", experience="moreThan6")


@pytest.fixture
def counting(bundle: Any) -> tuple[Advisor, CountingRecommender]:
    recommender = fresh(bundle.recommender(), CountingRecommender)
    counted = dataclasses.replace(bundle, recommenders={bundle.default_model: recommender})
    return Advisor(ModelHolder(counted)), recommender


async def test_a_relaxed_answer_and_its_pages_rank_once(
    counting: tuple[Advisor, CountingRecommender], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(advisor_module, "_today", lambda: date(2026, 1, 15))  # one day for both sides
    advisor, recommender = counting
    query = advisor.query_of_profile(["python", "sql", "pandas"])
    assert query is not None
    advice = await advisor.recommend(query, filters=NOTHING)
    assert advice is not None and len(advice.relaxed) >= 2 and advice.recommendation.vacancies
    assert recommender.calls == {"_best": 1, "specialization": 1, "skills_to_learn": 1, "tiers": 1}
    # the answer is the one the looser filters give from scratch
    expected = fresh(recommender).recommend(query, advice.filters, 5, today=date(2026, 1, 15))
    assert advice.recommendation.to_dict() == expected.to_dict()
    for page in (1, 2):  # the page buttons: the same relaxation, nothing ranked again
        turned = await advisor.recommend(query, page=page, filters=NOTHING)
        assert turned is not None and turned.relaxed == advice.relaxed and turned.page == page
    assert recommender.calls == {"_best": 1, "specialization": 1, "skills_to_learn": 1, "tiers": 1}


async def test_skills_to_learn_alone_lists_no_vacancy(counting: tuple[Advisor, CountingRecommender]) -> None:
    advisor, recommender = counting
    query = advisor.query_of_profile(["python", "sql"])
    assert query is not None
    advice = await advisor.skills_to_learn(query)
    assert advice and advice == fresh(recommender).recommend(query).skills_to_learn
    assert recommender.calls["tiers"] == 0  # no vacancy was listed
    assert await advisor.recognized(query) == ("python", "sql")
