"""`jobrec salary` through the real CLI entry point, on a small model dir the test builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recommender.cli import main
from recommender.cli.salary_cmd import CACHE_DIR
from recommender.data.models import EXPERIENCE_NAMES, SCHEDULE_NAMES
from recommender.salary import SalaryModel

CELL_KEYS = {
    "schedule",
    "schedule_name",
    "experience",
    "experience_name",
    "p25",
    "p50",
    "p75",
    "support",
    "extrapolated",
}


@pytest.fixture()
def model_dir(tmp_path: Path, product_model: SalaryModel) -> Path:
    product_model.save(tmp_path / CACHE_DIR)
    return tmp_path


def test_json_output_schema(model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["salary", "--model-dir", str(model_dir), "--json", "--area", "Москва", "python, sql"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["query"] == "python, sql" and payload["area"] == "Москва"
    grid = payload["grid"]
    assert len(grid) == 20
    for cell in grid:
        assert set(cell) == CELL_KEYS
        assert SCHEDULE_NAMES[cell["schedule"]] == cell["schedule_name"]
        assert EXPERIENCE_NAMES[cell["experience"]] == cell["experience_name"]
        assert isinstance(cell["support"], int) and isinstance(cell["extrapolated"], bool)
        assert cell["p25"] <= cell["p50"] <= cell["p75"]


def test_table_and_chart(model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chart = tmp_path / "grid.png"
    code = main(["salary", "--model-dir", str(model_dir), "--chart", str(chart), "excel,", "1c"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Полный день" in out and "Более 6 лет" in out
    thin = [line for line in out.splitlines() if line.endswith(" *")]
    assert 0 < len(thin) < 20
    assert "мало данных" in out  # the synthetic market has thin cells
    assert "Редко в этой области" in out  # shift and fly-in fly-out are rare in it
    assert "(2021)" in out and "оценка" in out  # the data's year, converted to today's money
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_trains_and_caches_a_model_when_there_is_none(
    tmp_path: Path, market: list, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "vacancies.jsonl"
    lines = []
    for v in market[:400]:
        lines.append(
            json.dumps(
                {
                    "id": v.id,
                    "name": v.title,
                    "area": {"id": "1", "name": v.area},
                    "description": v.text,
                    "salary": {"from": v.salary.salary_from, "to": None, "currency": "RUR", "gross": False}
                    if v.salary
                    else None,
                    "experience": {"id": v.experience},
                    "schedule": {"id": v.schedule},
                    "published_at": v.published_at.isoformat() if v.published_at else None,
                },
                ensure_ascii=False,
            )
        )
    data.write_text("\n".join(lines), encoding="utf-8")
    models = tmp_path / "models"
    args = [
        "salary",
        "--model-dir",
        str(models),
        "--data",
        str(data),
        "--iterations",
        "20",
        "--json",
        "python",
    ]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "training" in captured.err and SalaryModel.exists(models / CACHE_DIR)
    assert len(json.loads(captured.out)["grid"]) == 20
    assert main(args) == 0  # second run loads the cache instead of training
    assert "training" not in capsys.readouterr().err


def test_missing_data_is_a_clear_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["salary", "--model-dir", str(tmp_path / "models"), "python", "--data", str(tmp_path / "nope.jsonl")]
    )
    assert code == 2
    assert "cannot estimate salaries" in capsys.readouterr().err


def test_data_without_salaries_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "no-salaries.jsonl"
    data.write_text(
        json.dumps({"id": "1", "name": "Python developer", "description": "python"}), encoding="utf-8"
    )
    code = main(["salary", "--model-dir", str(tmp_path / "models"), "python", "--data", str(data)])
    assert code == 2
    assert "cannot train a salary model" in capsys.readouterr().err
