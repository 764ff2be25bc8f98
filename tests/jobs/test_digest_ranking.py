"""Ranking fresh vacancies for a user's skills with the bundle's vocabulary."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from typing import Any

from bot.services.digest_ranking import prepare, rank, salary_text
from recommender.data import parse_vacancy

from .corpus import CITIES, card


def fresh_rows(cards: list[dict[str, Any]]) -> list[tuple[str, datetime]]:
    return [(json.dumps(c, ensure_ascii=False), datetime(2024, 1, 2, tzinfo=UTC)) for c in cards]


def test_focused_vacancy_ranks_above_a_scattered_one(bundle: Any) -> None:
    focused = card(1, "data", random.Random(1))
    focused["key_skills"] = [{"name": "Python"}, {"name": "SQL"}]
    focused["description"] = "<p>Python, SQL</p>"
    scattered = card(2, "data", random.Random(2))
    scattered["key_skills"] = [
        {"name": s} for s in ("Python", "Docker", "Kubernetes", "Linux", "Bash", "Excel")
    ]
    scattered["description"] = "<p>много всего</p>"
    items = rank(bundle, "python, sql", prepare(bundle, fresh_rows([scattered, focused])))
    assert [i.id for i in items] == ["1", "2"]
    assert items[0].score > items[1].score
    assert set(items[0].matched_skills) == set(bundle.vocabulary.extract("python, sql").skills)


def test_city_and_experience_filter(bundle: Any) -> None:
    rng = random.Random(4)
    cards = [
        card(10, "data", rng, area=CITIES[0], experience="noExperience"),
        card(11, "data", rng, area=CITIES[1], experience="noExperience"),
        card(12, "data", rng, area=CITIES[0], experience="between3And6"),
    ]
    for c in cards:
        c["key_skills"].append({"name": "Python"})
    fresh = prepare(bundle, fresh_rows(cards))
    assert [i.id for i in rank(bundle, "python", fresh, city_id="1", experience="noExperience")] == ["10"]
    assert {i.id for i in rank(bundle, "python", fresh)} == {"10", "11", "12"}


def test_unknown_skills_and_bad_rows_give_nothing(bundle: Any) -> None:
    broken = ("{not json", datetime(2024, 1, 2, tzinfo=UTC))
    rows = [*fresh_rows([card(20, "design", random.Random(5))]), broken]
    fresh = prepare(bundle, rows)
    assert len(fresh) == 1
    assert rank(bundle, "qwertyuiop", fresh) == []
    assert rank(bundle, "kubernetes", fresh) == []


def test_salary_text_follows_hh() -> None:
    vacancy = parse_vacancy(card(30, "data", random.Random(6)))
    assert salary_text(vacancy).startswith("от ") and "RUR" in salary_text(vacancy)
