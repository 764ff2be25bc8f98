"""The salary chart: a real PNG of a size a chat shows well, showing the very cells the table
lists, in the user's language, with the user's cell and the money's year on it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.lines import Line2D

from recommender.salary import SalaryModel, salary_chart
from recommender.salary.chart import CHART_TEXT, chart_text, draw_salary_chart, rub
from recommender.salary.features import EXPERIENCE_LEVELS
from recommender.salary.grid import SalaryGrid, build_grid, grid_keys
from recommender.salary.table import format_table

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def grid_with_support(common: tuple[str, ...], rare_count: int = 3) -> SalaryGrid:
    support = {key: (1000 if key[0] in common else rare_count) for key in grid_keys()}
    level_pay = {level: 50_000.0 * (i + 1) for i, level in enumerate(EXPERIENCE_LEVELS)}
    quantiles = np.array([[0.8 * level_pay[lv], level_pay[lv], 1.2 * level_pay[lv]] for _, lv in grid_keys()])
    return build_grid("python, sql", quantiles, support, money_year=2021, data_years=(2021, 2023))


def chart_texts(grid: SalaryGrid, lang: str, highlight: tuple[str, str] | None = None) -> list[str]:
    fig = draw_salary_chart(grid, text=chart_text(lang), highlight=highlight)
    texts = [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]  # type: ignore[attr-defined]
    return [t for t in texts if t]


def test_chart_is_a_png_of_sensible_size(product_model: SalaryModel, tmp_path: Path) -> None:
    grid = product_model.salary_grid("python, sql", area="Москва")
    path = tmp_path / "chart.png"
    data = salary_chart(grid, path)
    assert data.startswith(PNG_SIGNATURE) and path.read_bytes() == data
    assert 10_000 < len(data) < 1_000_000
    height, width, _ = mpimg.imread(io.BytesIO(data), format="png").shape
    assert 600 <= width <= 1600 and 400 <= height <= 1200 and width > height


def test_common_schedules_get_rows_and_rare_ones_a_note() -> None:
    grid = grid_with_support(("fullDay", "remote"))
    assert grid.schedules_shown() == (["fullDay", "remote"], ["shift", "flexible", "flyInFlyOut"])
    flat = build_grid("q", np.full((20, 3), 100_000.0), dict.fromkeys(grid_keys(), 0))
    assert flat.schedules_shown()[0] == ["fullDay", "remote"]  # no support at all: the usual two
    assert salary_chart(flat).startswith(PNG_SIGNATURE)  # flat and all-thin grids draw too


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_chart_and_table_list_the_same_cells_with_the_same_names(lang: str) -> None:
    grid = grid_with_support(("fullDay", "remote", "flexible"))
    text = chart_text(lang)
    fig = draw_salary_chart(grid, text=text)
    # Each series' points: one marker line per cell, at the cell's p50.
    points = sorted(
        round(float(line.get_ydata()[0]))  # type: ignore[index]
        for line in fig.axes[0].get_lines()
        if isinstance(line, Line2D) and len(line.get_xdata()) == 1  # type: ignore[arg-type]
    )
    shown, rare = grid.schedules_shown()
    assert points == sorted(round(c.p50) for c in grid.cells if c.schedule in shown)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    table = format_table(grid, text)
    for schedule in shown:
        assert text.schedules[schedule] in legend and text.schedules[schedule] in table
    for schedule in rare:
        assert text.schedules[schedule] not in legend
        assert table.count(text.schedules[schedule]) == 1  # the note only


def test_english_chart_has_no_russian_words_and_russian_chart_no_english_labels() -> None:
    grid = grid_with_support(("fullDay", "remote"))
    english = chart_texts(grid, "en", highlight=("fullDay", "between1And3"))
    assert english and not any(CYRILLIC.search(t) for t in english)
    assert CHART_TEXT["en"].yours in english and any("2021" in t and "roubles" in t for t in english)
    russian = chart_texts(grid, "ru")
    assert "Удалённо" in russian and "Remote" not in russian
    assert CHART_TEXT["ru"].yours not in russian  # nothing to highlight without the user's cell


def test_the_users_cell_is_ringed_on_the_chart_and_marked_in_the_table() -> None:
    grid = grid_with_support(("fullDay", "remote"))
    fig = draw_salary_chart(grid, text=chart_text("ru"), highlight=("remote", "between3And6"))
    rings = [line for line in fig.axes[0].get_lines() if line.get_markersize() >= 20]
    assert len(rings) == 1 and float(rings[0].get_ydata()[0]) == grid.cell("remote", "between3And6").p50  # type: ignore[index]
    table = format_table(grid, chart_text("ru"), ("remote", "between3And6"))
    marked = [line for line in table.splitlines() if line.startswith(">")]
    assert len(marked) == 1 and "Удалённо" in marked[0] and "3–6 лет" in marked[0]


def test_money_year_is_stated_and_conversion_is_labelled_an_estimate() -> None:
    grid = grid_with_support(("fullDay",))
    assert any("2021–2023" in t and "рублях 2021" in t for t in chart_texts(grid, "ru"))
    later = grid.in_year(2024)
    assert later.estimate and later.money_year == 2024
    assert any("оценка" in t and "2024" in t for t in chart_texts(later, "ru"))


def test_rub_groups_thousands() -> None:
    assert rub(1_234_567) == "1\u202f234\u202f567 ₽"


def test_jobrec_ask_prints_the_salary_table_of_jobrec_salary(capsys: pytest.CaptureFixture[str]) -> None:
    from recommender.cli.ask_cmd import print_answer

    grid = grid_with_support(("fullDay", "remote"))
    answer = {
        "query": "python, sql", "model": "nmf", "skills_recognized": ["python"], "unknown_terms": [],
        "specialization": None, "total_vacancies": 0, "vacancies": [], "skills_to_learn": [],
    }  # fmt: skip
    print_answer(answer, str, grid)

    assert capsys.readouterr().out.rstrip("\n").endswith(format_table(grid, chart_text("ru")))
