"""Published salaries are shown short, with the currency's symbol."""

from __future__ import annotations

import pytest

from recommender.data.money import PublishedPay, format_pay


@pytest.mark.parametrize(
    ("low", "high", "currency", "gross", "expected"),
    [
        (80_000, None, "RUR", False, "от 80 000 ₽"),
        (None, 80_000, "RUR", False, "до 80 000 ₽"),
        (80_000, 120_000, "RUR", False, "80 000–120 000 ₽"),
        (100_000, 100_000, "RUR", False, "100 000 ₽"),
        (80_000, 120_000, "RUR", True, "80 000–120 000 ₽ (до вычета налогов)"),
        (2_000, 3_000, "USD", None, "2 000–3 000 $"),
        (1_500, None, "EUR", False, "от 1 500 €"),
        (300_000, None, "KZT", False, "от 300 000 ₸"),
        (5_000, None, "XYZ", False, "от 5 000 XYZ"),
        (None, None, "RUR", True, ""),
    ],
)
def test_salary_text(
    low: float | None, high: float | None, currency: str, gross: bool | None, expected: str
) -> None:
    pay = PublishedPay(low, high, currency, gross)
    assert format_pay(pay.low, pay.high, pay.currency, pay.gross, pay.period) == expected


def test_answers_show_roubles_with_the_symbol(recommender) -> None:
    answer = recommender.recommend(recommender.vocabulary.parse("stm32, микроконтроллеры"), k=20)
    pays = [v.pay for v in answer.vacancies if v.pay is not None]
    assert pays and all(p.currency == "RUR" and (p.low is not None or p.high is not None) for p in pays)
    texts = [format_pay(p.low, p.high, p.currency, p.gross, p.period) for p in pays]
    assert all(t.endswith(" ₽") and "RUR" not in t for t in texts)
