"""The /salary answer's text: the schedules the chart shows, the user's cell first and marked,
rare schedules in a note, the money's year, valid Telegram HTML in both languages."""

from __future__ import annotations

import numpy as np
import pytest
from fake_telegram import check_text

from bot.config import Settings
from bot.services.advisor import SalaryAnswer
from bot.services.formatting import salary_table, salary_text
from bot.texts import SCHEDULE_LABELS
from recommender.salary.features import EXPERIENCE_LEVELS
from recommender.salary.grid import build_grid, grid_keys

TOKEN = "123456789:" + "A" * 35


def answer(highlight: tuple[str, str] | None = None, year: int | None = None) -> SalaryAnswer:
    support = {key: (800 if key[0] in ("fullDay", "remote") else 2) for key in grid_keys()}
    pay = {level: 60_000.0 * 1.4**i for i, level in enumerate(EXPERIENCE_LEVELS)}
    quantiles = np.array([[0.8 * pay[lv], pay[lv], 1.25 * pay[lv]] for _, lv in grid_keys()])
    grid = build_grid("python, sql", quantiles, support, money_year=2021, data_years=(2021, 2023))
    if year is not None:
        grid = grid.in_year(year)
    return SalaryAnswer(grid=grid, chart_png=None, skills=["python", "sql"], bundle=None, highlight=highlight)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_table_rows_are_the_shown_schedules_and_rare_ones_are_a_note(lang: str) -> None:
    text = salary_text(lang, answer())
    plain = check_text(text, "HTML", 4096)
    labels = SCHEDULE_LABELS[lang]
    table = salary_table(lang, answer(), ["fullDay", "remote"])
    assert (
        len(table) == 3 and table[1].startswith(labels["fullDay"]) and table[2].startswith(labels["remote"])
    )
    for rare in ("shift", "flexible", "flyInFlyOut"):
        assert plain.count(labels[rare]) == 1  # named once, in the note, never as a row
    assert "2021–2023" in plain and "2021" in plain


def test_the_users_cell_leads_and_is_marked_in_the_table() -> None:
    text = salary_text("ru", answer(highlight=("remote", "between3And6")))
    plain = check_text(text, "HTML", 4096)
    lead = plain.splitlines()[1]
    assert lead.startswith("Ваш опыт и график") and "Удалённо" in lead and "3–6 лет" in lead
    assert "[118k]" in plain  # 60 000 × 1.4² in the user's cell, bracketed in the table


def test_today_money_is_labelled_an_estimate() -> None:
    data_year = check_text(salary_text("ru", answer()), "HTML", 4096)
    today = check_text(salary_text("ru", answer(year=2025)), "HTML", 4096)
    assert "в рублях 2021 г." in data_year and "оценка" not in data_year
    assert "рубли 2025 г." in today and "оценка" in today


def test_salary_money_setting_defaults_to_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    assert Settings(_env_file=None).salary_money == "today"  # type: ignore[call-arg]
    monkeypatch.setenv("SALARY_MONEY", "data_year")
    assert Settings(_env_file=None).salary_money == "data_year"  # type: ignore[call-arg]
    monkeypatch.setenv("SALARY_MONEY", "tomorrow")
    with pytest.raises(ValueError):
        Settings(_env_file=None)  # type: ignore[call-arg]
