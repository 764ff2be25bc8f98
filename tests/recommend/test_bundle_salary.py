"""The bundle's salary grid is asked within the query's specialization (topic)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from recommender.bundle import load_bundle
from recommender.data.models import Vacancy
from recommender.recommend import Filters
from recommender.train import train_bundle

DESIGN_QUERY = "figma, adobe photoshop, прототипирование"
DATA_QUERY = "python, machine learning, pandas"


@pytest.fixture(scope="module")
def salary_bundle(
    tmp_path_factory: pytest.TempPathFactory, paid_corpus: list[Vacancy], small_models: dict[str, Any]
) -> Path:
    out = tmp_path_factory.mktemp("salary-models")
    train_bundle(paid_corpus, out, models=("nmf",), salary=True, model_params=small_models)
    return out


def test_one_vocabulary_per_bundle(salary_bundle: Path) -> None:
    """The salary model is stored without a vocabulary and uses the bundle's on load."""
    bundle = load_bundle(salary_bundle)
    assert not (bundle.path / "salary" / "vocabulary.pkl").exists()
    assert bundle.salary_model.vocabulary is bundle.vocabulary
    assert bundle.salary_grid(bundle.understand(DATA_QUERY).query).skills


def test_grid_follows_the_query_specialization(salary_bundle: Path) -> None:
    bundle = load_bundle(salary_bundle)
    assert bundle.manifest["salary_topics"] == "nmf"
    assert bundle.metrics["salary"]["uses_topics"] is True
    design_query, data_query = bundle.understand(DESIGN_QUERY).query, bundle.understand(DATA_QUERY).query
    design_topic, data_topic = bundle.salary_topic(design_query), bundle.salary_topic(data_query)
    assert design_topic is not None and data_topic is not None and design_topic != data_topic
    # the topic is the one the answer shows as the specialization
    assert bundle.recommend(design_query).specialization.topic == design_topic

    design, data = bundle.salary_grid(design_query), bundle.salary_grid(data_query)
    design_support = sum(cell.support for cell in design.cells)
    data_support = sum(cell.support for cell in data.cells)
    all_rows = bundle.salary_model.n_train_
    # support is counted within each field, not over every training vacancy
    assert 0 < design_support < all_rows and 0 < data_support < all_rows
    assert design_support + data_support <= all_rows
    full_day = ("fullDay", "noExperience")
    assert data.cell(*full_day).p50 > 1.5 * design.cell(*full_day).p50


def test_no_topic_feature_when_switched_off(
    tmp_path: Path, paid_corpus: list[Vacancy], small_models: dict[str, Any]
) -> None:
    train_bundle(
        paid_corpus, tmp_path, models=("nmf",), salary=True, salary_topics=False, model_params=small_models
    )
    bundle = load_bundle(tmp_path)
    assert (
        bundle.manifest["salary_topics"] is None
        and bundle.salary_topic(bundle.understand(DATA_QUERY).query) is None
    )
    grid = bundle.salary_grid(bundle.understand(DATA_QUERY).query)
    # Without a topic, support is counted in the query's hh fields (or over all rows without any).
    assert 0 < sum(cell.support for cell in grid.cells) <= bundle.salary_model.n_train_


def test_grid_of_the_users_cell_is_calibrated_on_its_listed_vacancies(salary_bundle: Path) -> None:
    """Given the user's schedule and experience, the bundle scales the grid toward the vacancies it
    lists for that cell (recommender.salary.calibration), and leaves it alone without them; then
    settles it on the field's listed levels (SalaryModel.settle), keeping the calibrated cell."""
    from recommender.salary.calibration import LISTED_LOOKED_AT, MIN_MATCHED, calibrate, matched_salaries
    from recommender.salary.grid import grid_keys

    bundle = load_bundle(salary_bundle)
    query = bundle.understand(DATA_QUERY).query
    model = bundle.salary_grid(query)
    assert model.calibrated_on == 0
    # the model's grid before settling, asked as the bundle asks it
    raw = bundle.salary_model.salary_grid(
        model.query, topic=bundle.salary_topic(query), skills=query.skills, settle=False
    )
    assert bundle.salary_model.settle(raw).to_dict() == model.to_dict()
    calibrated_cells = 0
    for schedule, experience in grid_keys():
        cell = Filters(schedule=schedule, experience=experience)
        listed = bundle.recommend(query, cell, k=LISTED_LOOKED_AT)
        salaries = matched_salaries(listed.vacancies, schedule, experience)
        grid = bundle.salary_grid(query, schedule=schedule, experience=experience)
        calibrated = calibrate(raw, schedule, experience, salaries)
        kept = (schedule, experience) if calibrated.calibrated_on else None
        assert grid.to_dict() == bundle.salary_model.settle(calibrated, keep=kept).to_dict()
        if len(salaries) >= MIN_MATCHED:
            calibrated_cells += 1
            assert grid.calibrated_on == len(salaries)
            ratios = {round(c.p50 / m.p50, 2) for c, m in zip(calibrated.cells, raw.cells, strict=True)}
            assert max(ratios) - min(ratios) <= 0.02  # one factor for the whole grid
            # the user's cell keeps what its listing said (the running maximum may only raise it)
            assert grid.cell(schedule, experience).p50 >= calibrated.cell(schedule, experience).p50
        else:
            assert grid.to_dict() == model.to_dict()
    assert calibrated_cells > 0  # the fixture corpus lists enough salaried vacancies somewhere


def test_jobrec_salary_with_the_users_cell_shows_the_calibrated_grid(
    salary_bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`jobrec salary --schedule … --experience …` shows what the bot shows for that profile."""
    from recommender.cli import main
    from recommender.data.money import group_digits as rub
    from recommender.salary.grid import grid_keys

    bundle = load_bundle(salary_bundle)
    query = bundle.understand(DATA_QUERY).query
    cells = {key: bundle.salary_grid(query, schedule=key[0], experience=key[1]) for key in grid_keys()}
    (schedule, experience), grid = next((k, g) for k, g in cells.items() if g.calibrated_on)
    args = ["salary", "--model-dir", str(salary_bundle), "--money", "data"]
    code = main([*args, "--schedule", schedule, "--experience", experience, DATA_QUERY])
    assert code == 0
    out = capsys.readouterr().out
    assert f"Уровень сверен с {grid.calibrated_on} вакансиями" in out
    yours = next(line for line in out.splitlines() if line.startswith("> "))
    assert rub(grid.cell(schedule, experience).p50) in yours
    assert main([*args, DATA_QUERY]) == 0
    assert "Уровень сверен" not in capsys.readouterr().out  # no cell given: the model's level


def test_the_same_question_gives_the_same_grid_on_every_path(salary_bundle: Path) -> None:
    """A message's text and a stored profile's skills name the same skills: one number (the
    answer's button asked with the typed text, /salary with the profile's 285k vs 289k)."""
    from recommender.skills.query import Query

    bundle = load_bundle(salary_bundle)
    typed = bundle.understand("Python!!  Machine learning; и pandas, пожалуйста").query
    stored = Query(text=", ".join(typed.skills), skills=typed.skills)  # as the profile keeps them
    cells = [(c.p25, c.p50, c.p75) for c in bundle.salary_grid(typed, "Москва").cells]
    assert cells == [(c.p25, c.p50, c.p75) for c in bundle.salary_grid(stored, "Москва").cells]
