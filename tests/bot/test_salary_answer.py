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
from recommender.salary.grid import THIN_SUPPORT, build_grid, grid_keys

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


def test_the_table_marks_the_cells_the_chart_calls_thin() -> None:
    """≈ in the bot's table is the chart's "fewer than THIN_SUPPORT vacancies" (the library's
    ``extrapolated``), one threshold for both: a cell of 10 vacancies is thin."""
    support = {key: (10 if key == ("remote", "moreThan6") else 800) for key in grid_keys()}
    quantiles = np.array([[80_000.0, 100_000.0, 120_000.0] for _ in grid_keys()])
    grid = build_grid("python", quantiles, support, money_year=2021, data_years=(2021, 2021))
    table = salary_table("ru", SalaryAnswer(grid, None, ["python"], None), ["fullDay", "remote"])
    thin = [cell for cell in grid.cells if cell.extrapolated]
    assert [(c.schedule, c.experience) for c in thin] == [("remote", "moreThan6")] and THIN_SUPPORT > 10
    assert table[1].count("≈") == 0 and table[2].count("≈") == 1 and table[2].rstrip().endswith("≈100k")


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


@pytest.mark.parametrize(
    ("lang", "phrase"), [("ru", "сверен с вакансиями из списка"), ("en", "calibrated on 14")]
)
def test_a_calibrated_grid_says_on_how_many_listed_vacancies(lang: str, phrase: str) -> None:
    from dataclasses import replace

    plain = answer(highlight=("remote", "between1And3"))
    calibrated = replace(
        plain, grid=replace(plain.grid, calibrated_on=14, calibration_factor=1.2, area="Москва")
    )
    text = check_text(salary_text(lang, calibrated), "HTML", 4096)
    assert phrase in text and "14" in text
    assert ("в вашем городе" if lang == "ru" else "in your city") in text
    untouched = check_text(salary_text(lang, plain), "HTML", 4096)
    assert phrase not in untouched


@pytest.fixture(scope="module")
def listed_bundle(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A corpus with enough salaried vacancies per cell for the listing to calibrate on."""
    from bot_corpus import synthetic_vacancies

    from recommender.bundle import load_bundle
    from recommender.train import train_bundle

    out = tmp_path_factory.mktemp("listed-models")
    train_bundle(synthetic_vacancies(per_field=200), out, models=("nmf",), salary=True, random_state=0)
    return load_bundle(out)


async def test_the_users_cell_calibrates_the_grid_the_bot_shows(listed_bundle: object) -> None:
    """The advisor asks the bundle for the user's cell: the grid is calibrated on that cell's listed
    vacancies in the data year's money, then converted to today's, and the text says so."""
    from bot.services.advisor import Advisor, ModelHolder
    from recommender.salary.wage_index import latest_year

    bundle = listed_bundle
    advisor = Advisor(ModelHolder(bundle))
    query = advisor.query_of_profile(["python", "sql"])
    assert query is not None
    calibrated = 0
    for schedule, experience in grid_keys():
        got = await advisor.salary(query, schedule=schedule, experience=experience)
        assert got is not None
        expected = bundle.salary_grid(query, schedule=schedule, experience=experience)  # type: ignore[attr-defined]
        assert got.grid.to_dict() == expected.in_year(latest_year()).to_dict()
        text = check_text(salary_text("ru", got), "HTML", 4096)
        assert ("сверен" in text) == bool(expected.calibrated_on)
        calibrated += bool(expected.calibrated_on)
    assert calibrated > 0  # the synthetic corpus lists enough salaried vacancies in some cell
    nobody = await advisor.salary(query)
    assert nobody is not None and nobody.grid.calibrated_on == 0


async def test_english_chart_names_the_city_and_axes_in_english(bundle: object) -> None:
    """Issue 19: the chart of an English answer was titled "Москва"."""
    import re

    from bot.services.advisor import Advisor, chart_words
    from bot.services.model_holder import ModelHolder
    from recommender.salary.chart import draw_salary_chart

    query = bundle.understand("python, sql").query  # type: ignore[attr-defined]
    answer = await Advisor(ModelHolder(bundle)).salary(query, area="Москва", lang="en")
    assert answer is not None and answer.chart_png and answer.grid.area == "Москва"
    axes = draw_salary_chart(answer.grid, text=chart_words("en", answer.grid.area)).axes[0]
    words = [axes.get_title(loc="left"), axes.get_xlabel(), axes.get_ylabel()]
    words += [label.get_text() for label in axes.get_xticklabels()]
    assert "Moscow" in words[0]
    assert not any(re.search("[а-яё]", w, re.IGNORECASE) for w in words), words
    russian = draw_salary_chart(answer.grid, text=chart_words("ru", "Москва")).axes[0]
    assert "Москва" in russian.get_title(loc="left")


def test_the_agreement_check_looks_at_as_many_vacancies_as_the_bot_calibrates_on() -> None:
    """docs/evaluation-salary-screen.md says "the bot's first N listed vacancies": the library's
    default (the CLI and the evaluation) must stay the bot's pages × page size."""
    from bot.services.advisor import PAGE_SIZE, PAGES_LOOKED_AT
    from recommender.salary.calibration import LISTED_LOOKED_AT

    assert PAGES_LOOKED_AT * PAGE_SIZE == LISTED_LOOKED_AT
