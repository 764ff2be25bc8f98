"""Published salaries are shown short, with the currency's symbol."""

from __future__ import annotations

import math

import pytest

from recommender.recommend.index import format_salary

NAN = math.nan


@pytest.mark.parametrize(
    ("low", "high", "currency", "gross", "expected"),
    [
        (80_000, NAN, "RUR", 0, "от 80 000 ₽"),
        (NAN, 80_000, "RUR", 0, "до 80 000 ₽"),
        (80_000, 120_000, "RUR", 0, "80 000–120 000 ₽"),
        (100_000, 100_000, "RUR", 0, "100 000 ₽"),
        (80_000, 120_000, "RUR", 1, "80 000–120 000 ₽ (до вычета налогов)"),
        (2_000, 3_000, "USD", -1, "2 000–3 000 $"),
        (1_500, NAN, "EUR", 0, "от 1 500 €"),
        (300_000, NAN, "KZT", 0, "от 300 000 ₸"),
        (5_000, NAN, "XYZ", 0, "от 5 000 XYZ"),
        (NAN, NAN, "RUR", 1, ""),
    ],
)
def test_salary_text(low: float, high: float, currency: str, gross: int, expected: str) -> None:
    assert format_salary(low, high, currency, gross) == expected


def test_answers_show_roubles_with_the_symbol(recommender) -> None:
    answer = recommender.recommend(recommender.vocabulary.parse("stm32, микроконтроллеры"), k=20)
    texts = [v.salary_text for v in answer.vacancies if v.salary_text]
    assert texts and all(t.endswith(" ₽") and "RUR" not in t for t in texts)
