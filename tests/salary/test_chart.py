"""The salary chart is a real PNG of a size a chat shows well."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np

from recommender.salary import SalaryModel, salary_chart
from recommender.salary.chart import relevant_schedules, rub
from recommender.salary.grid import build_grid, grid_keys

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_chart_is_a_png_of_sensible_size(product_model: SalaryModel, tmp_path: Path) -> None:
    grid = product_model.salary_grid("python, sql", area="Москва")
    path = tmp_path / "chart.png"
    data = salary_chart(grid, path)
    assert data.startswith(PNG_SIGNATURE) and path.read_bytes() == data
    assert 10_000 < len(data) < 1_000_000
    height, width, _ = mpimg.imread(io.BytesIO(data), format="png").shape
    assert 600 <= width <= 1600 and 400 <= height <= 1200 and width > height


def test_chart_shows_the_best_supported_schedules() -> None:
    support = {key: (1000 if key[0] in ("fullDay", "remote", "shift") else 3) for key in grid_keys()}
    grid = build_grid("q", np.full((20, 3), 100_000.0), support)
    assert relevant_schedules(grid) == ["fullDay", "shift", "remote"]
    assert salary_chart(grid).startswith(PNG_SIGNATURE)  # flat and all-thin grids draw too


def test_rub_groups_thousands() -> None:
    assert rub(1_234_567) == "1\u202f234\u202f567 ₽"
