"""The per-field experience curve: learned within each data source, pooled field → IT → all,
non-decreasing by construction, and read from a query's skills."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest

from recommender.data.models import Label, Vacancy
from recommender.salary import SalaryModel
from recommender.salary.experience import ALL, IT, ExperienceEffect
from recommender.salary.features import EXPERIENCE_LEVELS, SalaryInput, training_rows
from tests.salary.conftest import BASE_BY_EXPERIENCE, TEST_ITERATIONS, make_salary

# Known truth: pay ratios of adjacent levels (1–3 ÷ none, 3–6 ÷ 1–3, 6+ ÷ 3–6).
TRUE_STEPS = {"96": (1.8, 1.5, 1.25), "1.117": (1.6, 1.3, 1.1), "2.43": (1.4, 1.2, 1.1)}
SKILLS = {"96": ("python", "django"), "1.117": ("тестирование", "jira"), "2.43": ("1с", "бухгалтерия")}
TITLES = {"96": "Python разработчик", "1.117": "Тестировщик", "2.43": "Бухгалтер"}


def rows_of(
    field: str,
    per_level: int,
    detail: str = "card",
    levels: range = range(4),
    base: float = 60_000,
    year: int = 0,
):
    rng = np.random.default_rng(len(field) + per_level)
    rows, targets = [], []
    pay = [base * float(np.prod(TRUE_STEPS[field][:i])) for i in range(4)]
    for level in levels:
        for _ in range(per_level):
            rows.append(
                SalaryInput(
                    text="",
                    experience=EXPERIENCE_LEVELS[level],
                    schedule="fullDay",
                    title=TITLES[field],
                    skills=SKILLS[field],
                    fields=(field,),
                    detail=detail,
                    year=year,
                )
            )
            targets.append(pay[level] * float(np.exp(rng.normal(0, 0.05))))
    return rows, targets


def fitted(*parts: tuple[list[SalaryInput], list[float]], prior_rows: float = 40.0) -> ExperienceEffect:
    rows = [r for part in parts for r in part[0]]
    targets = np.log([t for part in parts for t in part[1]])
    return ExperienceEffect(prior_rows=prior_rows, min_field_rows=5).fit(rows, targets)


def test_a_well_covered_field_keeps_its_own_ratios() -> None:
    effect = fitted(rows_of("96", 200), rows_of("2.43", 200))
    assert effect.ratios("96") == pytest.approx(TRUE_STEPS["96"], rel=0.05)
    assert effect.ratios("2.43") == pytest.approx(TRUE_STEPS["2.43"], rel=0.05)


def test_a_thin_field_is_pooled_toward_it_and_all() -> None:
    effect = fitted(rows_of("96", 300), rows_of("1.117", 4), prior_rows=40)
    own, parent = TRUE_STEPS["1.117"][1], effect.ratios(IT)[1]
    pooled = effect.ratios("1.117")[1]
    assert min(own, parent) < pooled < max(own, parent)
    assert abs(pooled - parent) < abs(pooled - own)  # four cards a level: mostly the parent's step


def test_steps_compare_levels_within_one_source() -> None:
    # The list file: only no experience and 1–3 years, and half the cards' pay at 1–3 years.
    cards = rows_of("96", 100)
    listed = rows_of("96", 2000, detail="list", levels=range(2), base=30_000)
    effect = fitted(cards, listed)
    # Pooling across sources would put 3–6 ÷ 1–3 near 2×; within-source it stays the truth.
    assert effect.ratios("96")[1] == pytest.approx(TRUE_STEPS["96"][1], rel=0.05)


def test_steps_compare_levels_within_one_year() -> None:
    # 2021 list items: two levels; 2026 list items (hh's new fields): all four, at twice the pay.
    old = rows_of("96", 2000, detail="list", levels=range(2), base=30_000, year=2021)
    new = rows_of("96", 100, detail="list", base=60_000, year=2026)
    effect = fitted(old, new)
    # Pooled over the years, 3–6 ÷ 1–3 would compare 2021's 1–3 years with 2026's 3–6: near 3×.
    assert effect.ratios("96") == pytest.approx(TRUE_STEPS["96"], rel=0.05)


def test_rows_without_labels_teach_their_nearest_field() -> None:
    # Labelled cards say 3–6 ÷ 1–3 is 1.2 in field 96 (few of them); unlabelled rows of the same
    # titles and skills (the 2024 tables: IT, no hh label), many more, say 1.5.
    labelled_rows, labelled = rows_of("96", 20)
    labelled = [t * (1.2 / 1.5 if r.experience in ("between3And6", "moreThan6") else 1.0)
                for r, t in zip(labelled_rows, labelled, strict=True)]  # fmt: skip
    plain_rows, plain = rows_of("96", 300, detail="list", year=2024)
    plain_rows = [replace(r, fields=()) for r in plain_rows]
    effect = fitted((labelled_rows, labelled), (plain_rows, plain), rows_of("2.43", 50))
    assert effect.read_fields(plain_rows[:1]) == [("96",)]
    assert effect.ratios("96")[1] == pytest.approx(1.5, rel=0.05)  # the many unlabelled rows' step


def test_curves_never_decrease_even_where_the_data_does() -> None:
    rows, targets = rows_of("2.43", 50)
    # Make 6+ years pay less than 3–6 years in this field.
    targets = [t * (0.5 if r.experience == "moreThan6" else 1.0) for r, t in zip(rows, targets, strict=True)]
    effect = fitted((rows, targets), rows_of("96", 50))
    for curve in effect.curves_.values():
        assert np.all(np.diff(curve) >= 0)
    assert effect.ratios("2.43")[2] == 1.0
    mixed = effect.curves(rows[:1])  # a mix of fields' curves is non-decreasing too
    assert np.all(np.diff(mixed[0]) >= 0)


def test_calibration_takes_out_what_the_base_model_already_explains() -> None:
    rows, targets = rows_of("2.43", 200)
    effect = fitted((rows, targets), rows_of("96", 200))
    before = effect.ratios("2.43")
    effect.calibrate(rows, np.zeros(len(rows)))
    assert effect.ratios("2.43") == pytest.approx(before)  # nothing left over: nothing changes
    # The fitted model says 5% too much at 6+ years in this field's cards.
    residuals = np.array([np.log(1 / 1.05) if r.experience == "moreThan6" else 0.0 for r in rows])
    effect.calibrate(rows, residuals)
    after = effect.ratios("2.43")
    assert after[:2] == pytest.approx(before[:2])
    assert before[2] / 1.05 < after[2] < before[2]  # shrunk: 200 cards a level against 40 pseudo-rows
    assert after[2] == pytest.approx(before[2] / 1.05, rel=0.01)


def test_calibration_keeps_curves_non_decreasing() -> None:
    rows, targets = rows_of("2.43", 50)
    effect = fitted((rows, targets))
    residuals = np.array([-1.0 if r.experience == "moreThan6" else 0.0 for r in rows])
    effect.calibrate(rows, residuals)
    assert effect.ratios("2.43")[2] == 1.0
    for curve in effect.curves_.values():
        assert np.all(np.diff(curve) >= 0)


def test_a_query_is_read_as_its_field() -> None:
    effect = fitted(rows_of("96", 50), rows_of("1.117", 50), rows_of("2.43", 50))
    query = SalaryInput(text="", experience="noExperience", schedule="fullDay", title="тестирование, jira",
                        skills=("тестирование", "jira"))  # fmt: skip
    weights = effect.field_weights([query])[0]
    assert max(weights, key=weights.__getitem__) == "1.117"
    nothing = SalaryInput(text="", experience="noExperience", schedule="fullDay", title="", skills=())
    assert effect.field_weights([nothing])[0] == {ALL: 1.0}


def test_product_grid_follows_the_known_experience_ratios(product_model: SalaryModel) -> None:
    grid = product_model.salary_grid("python")
    truth = [BASE_BY_EXPERIENCE[b] / BASE_BY_EXPERIENCE[a] for a, b in itertools.pairwise(EXPERIENCE_LEVELS)]
    for schedule in ("fullDay", "remote"):
        medians = [grid.cell(schedule, level).p50 for level in EXPERIENCE_LEVELS]
        ratios = [b / a for a, b in itertools.pairwise(medians)]
        assert ratios == pytest.approx(truth, rel=0.1)


def seniority_market(n: int, seed: int) -> list[Vacancy]:
    """Cards whose titles name the level ("Senior …") and whose texts carry words a few
    vacancies share (what a ridge memorises): text explains part of the experience effect."""
    rng = np.random.default_rng(seed)
    words = [f"слово{i}" for i in range(400)]
    titles = ("Стажёр", "Разработчик", "Senior разработчик", "Ведущий разработчик")
    vacancies = []
    for i in range(n):
        level = int(rng.choice(4, p=[0.25, 0.35, 0.25, 0.15]))
        net = 50_000 * float(np.prod([1.6, 1.35, 1.2][:level]))
        net *= float(np.exp(rng.normal(0, 0.25)))
        vacancies.append(
            Vacancy(
                id=str(300_000 + i),
                title=titles[level],
                area="Москва",
                text=" ".join(rng.choice(words, size=6)),
                key_skills=("Python",),
                experience=EXPERIENCE_LEVELS[level],
                schedule="fullDay",
                published_at=datetime(2021, 10, 1),
                salary=make_salary(round(net, -2)),
                detail="card",
                professional_roles=(Label("96", "Программист, разработчик"),),
            )
        )
    return vacancies


def test_held_out_pay_by_level_is_unbiased_when_titles_and_texts_already_say_the_level() -> None:
    """The backfitting pass reads the base's residuals with out-of-fold text scores: in-sample
    scores have memorised the training texts and would leave the senior levels over-paid."""
    model = SalaryModel("product", iterations=TEST_ITERATIONS, thread_count=1)
    train = training_rows(seniority_market(2000, 1))
    test = training_rows(seniority_market(1000, 2))
    model.fit(train.inputs, train.targets)
    ratio = model.predict(test.inputs) / test.targets
    level = np.array([row.experience for row in test.inputs])
    for experience in EXPERIENCE_LEVELS:
        assert abs(np.median(ratio[level == experience]) - 1) < 0.06, experience
