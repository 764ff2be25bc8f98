"""The grid kept near what the vacancies list for a field × city × level (issue 19, item 7):
a well-supported cell inside its listing is left alone, a thin one is shrunk toward the field's
level, and the held-out check counts what it says it counts."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pytest

from recommender.data.models import Label, Vacancy
from recommender.salary import SalaryModel
from recommender.salary.calibration import calibrate
from recommender.salary.cell_check import CellCheck, CellRow, check_cells
from recommender.salary.cells import EVERY_CITY, MIN_LISTED, PRIOR_LISTED, FieldLevels
from recommender.salary.features import EXPERIENCE_LEVELS, training_rows
from recommender.salary.grid import monotone_violations
from tests.salary.conftest import TEST_ITERATIONS, make_salary

SENIOR = "moreThan6"


def levels_of(cells: dict[tuple[str, str], list[float]], field: str = "96") -> FieldLevels:
    """FieldLevels from (city, level) → salaries in roubles of one field."""
    fields, cities, levels, logs = [], [], [], []
    for (city, level), salaries in cells.items():
        for salary in salaries:
            fields.append((field,))
            cities.append(city)
            levels.append(level)
            logs.append(math.log(salary))
    return FieldLevels.fit(fields, cities, levels, logs)


def row(**by_level: float) -> dict[str, float]:
    """The grid's log p50 along one schedule: given levels in roubles, the rest as the first."""
    first = math.log(next(iter(by_level.values())))
    return {lv: math.log(by_level[lv]) if lv in by_level else first for lv in EXPERIENCE_LEVELS}


def spread(n: int, median: float, width: float = 0.3) -> list[float]:
    offsets = np.linspace(-width, width, n) if n > 1 else np.zeros(n)
    return [median * math.exp(o) for o in offsets]


def test_a_well_supported_cell_inside_its_listing_is_untouched() -> None:
    levels = levels_of({("Москва", "between1And3"): spread(30, 150_000)})
    model = row(between1And3=170_000)
    settled = levels.settled_p50(model, {"96": 1.0}, "Москва", "between1And3")
    assert settled == model["between1And3"]


@pytest.mark.parametrize("model_p50", [60_000.0, 400_000.0])
def test_a_well_supported_cell_outside_its_listing_moves_to_the_nearer_bound(model_p50: float) -> None:
    salaries = spread(30, 150_000)
    levels = levels_of({("Москва", "between1And3"): salaries})
    settled = math.exp(levels.settled_p50(row(between1And3=model_p50), {"96": 1.0}, "Москва", "between1And3"))
    p10, p90 = np.percentile(salaries, [10, 90])
    assert p10 * 0.999 <= settled <= p90 * 1.001
    assert settled == pytest.approx(p10 if model_p50 < p10 else p90, rel=0.02)


@pytest.mark.parametrize("listed", range(MIN_LISTED))
def test_a_thin_cell_is_shrunk_toward_the_field_level_by_its_count(listed: int) -> None:
    """Moscow 6+ lists ``listed`` salaries at the field's level; the model says 640k where the
    field's seniors (every city) are paid 200k. The settled figure lies between the two, nearer the
    field's level the fewer are listed, and never more than (640/200)^(n/(n+k)) above it."""
    field_level = 200_000.0
    cells = {
        ("Казань", SENIOR): spread(20, field_level),
        ("Томск", SENIOR): spread(20, field_level),
        ("Москва", SENIOR): spread(listed, field_level) if listed else [],
    }
    levels = levels_of({k: v for k, v in cells.items() if v})
    model = 640_000.0
    settled = math.exp(levels.settled_p50(row(moreThan6=model), {"96": 1.0}, "Москва", SENIOR))
    bound = field_level * (model / field_level) ** (listed / (listed + PRIOR_LISTED))
    assert field_level * 0.95 <= settled <= bound * 1.01
    assert settled < model


def test_a_level_thin_in_every_city_is_carried_from_the_nearest_well_listed_one() -> None:
    """Seniors are listed four times; 1–3 years thirty times at 100k. The model says 150k at 1–3
    and 300k at 6+ (and a calibration factor would scale both): the field's 6+ level is its 1–3
    level carried by the model's own step, 100k × 2."""
    levels = levels_of({("Казань", SENIOR): spread(4, 200_000), ("Москва", "between1And3"): spread(30, 1e5)})
    model = row(noExperience=100_000, between1And3=150_000, between3And6=220_000, moreThan6=300_000)
    for factor in (1.0, 1.9):
        scaled = {lv: v + math.log(factor) for lv, v in model.items()}
        settled = math.exp(levels.settled_p50(scaled, {"96": 1.0}, "Москва", SENIOR))
        assert settled == pytest.approx(200_000, rel=0.02)


def test_a_field_listed_nowhere_keeps_the_model() -> None:
    levels = levels_of({("Казань", SENIOR): spread(4, 200_000)})
    model = row(moreThan6=300_000)
    assert levels.settled_p50(model, {"96": 1.0}, "Москва", SENIOR) == model[SENIOR]
    assert levels.settled_p50(model, {"2.43": 1.0}, "Москва", SENIOR) == model[SENIOR]


def test_a_city_paid_below_the_field_level_at_one_level_is_shrunk_toward_that() -> None:
    """Every-city 3–6 is Moscow's level; Петербург's 3–6 cells sit 20% under it in every field:
    a thin Петербург 3–6 cell of a new field goes toward its field's level moved down, not up."""
    data: dict[tuple[str, str, str], list[float]] = {}
    for f in ("96", "1.117", "2.43"):
        data[(f, "Москва", "between3And6")] = spread(40, 250_000)
        data[(f, "Санкт-Петербург", "between3And6")] = spread(20, 200_000)
    data[("160", "Москва", "between3And6")] = spread(40, 250_000)
    data[("160", "Санкт-Петербург", "between3And6")] = [200_000.0]
    fields, cities, levels, logs = [], [], [], []
    for (f, city, level), salaries in data.items():
        for s in salaries:
            fields.append((f,))
            cities.append(city)
            levels.append(level)
            logs.append(math.log(s))
    fitted = FieldLevels.fit(fields, cities, levels, logs)
    assert fitted.city_effect("Санкт-Петербург", "between3And6") < 0
    every_city = math.exp(fitted.cells[("160", EVERY_CITY, "between3And6")].p50)
    settled = math.exp(
        fitted.settled_p50(row(between3And6=300_000), {"160": 1.0}, "Санкт-Петербург", "between3And6")
    )
    assert settled < every_city


def test_field_levels_survive_json() -> None:
    levels = levels_of({("Москва", SENIOR): spread(12, 3e5), ("Казань", "noExperience"): spread(3, 5e4)})
    again = FieldLevels.from_json(levels.to_json())
    assert again.cells == levels.cells
    assert again.city_effects == pytest.approx(levels.city_effects)


# -- the product model, trained on a small labelled market --------------------------------------

CITIES = ("Москва", "Казань", "Томск")
BASE = {"96": 90_000.0, "2.43": 50_000.0}
STEPS = (1.0, 1.6, 2.2, 2.6)


def labelled_market(n: int, seed: int) -> list[Vacancy]:
    """Programmers (96) and accountants (2.43) in three cities; Moscow pays 20% more; seniors
    are rare, so Moscow 6+ is thin while every city's 6+ is not."""
    rng = np.random.default_rng(seed)
    vacancies = []
    for i in range(n):
        f = "96" if rng.random() < 0.6 else "2.43"
        level = int(rng.choice(4, p=[0.3, 0.4, 0.27, 0.03]))
        city = CITIES[int(rng.choice(3, p=[0.2, 0.4, 0.4]))]
        net = BASE[f] * STEPS[level] * (1.2 if city == "Москва" else 1.0) * float(np.exp(rng.normal(0, 0.15)))
        programmer = f == "96"
        vacancies.append(
            Vacancy(
                id=str(500_000 + seed * 10_000 + i),
                title="Python разработчик" if programmer else "Бухгалтер",
                area=city,
                text="python django sql" if programmer else "1с бухгалтерия отчеты",
                key_skills=("Python", "Django") if programmer else ("1С", "Бухгалтерия"),
                experience=EXPERIENCE_LEVELS[level],
                schedule="fullDay",
                published_at=datetime(2021, 10, 1),
                salary=make_salary(round(net, -2)),
                detail="card",
                professional_roles=(Label(f, "Программист" if programmer else "Бухгалтер"),),
            )
        )
    return vacancies


@pytest.fixture(scope="module")
def labelled() -> tuple[SalaryModel, object, object]:
    train = training_rows(labelled_market(1500, 1))
    test = training_rows(labelled_market(1500, 2))
    model = SalaryModel("product", iterations=TEST_ITERATIONS, thread_count=1).fit(
        train.inputs, train.targets
    )
    return model, train, test


def test_the_product_settles_its_grid_and_keeps_it_monotone(labelled) -> None:  # type: ignore[no-untyped-def]
    model, _, _ = labelled
    assert model.field_levels_ is not None
    raw = model.salary_grid("python, django", "Москва", settle=False)
    settled = model.salary_grid("python, django", "Москва")
    assert monotone_violations(settled) == 0
    weights = model.experience_.field_weights(model.query_rows("python, django", "Москва")[:1])[0]
    changed = 0
    for before, after in zip(raw.cells, settled.cells, strict=True):
        cell = model.field_levels_.listed(weights, "Москва", after.experience)
        if cell is not None and cell.count >= MIN_LISTED and cell.p10 <= math.log(before.p50) <= cell.p90:
            assert after.p50 == before.p50  # well supported and inside: untouched
        else:
            changed += after.p50 != before.p50
    assert changed > 0  # the thin Moscow seniors moved


def test_a_calibrated_grid_does_not_carry_thin_cells_past_the_field_level(labelled) -> None:  # type: ignore[no-untyped-def]
    """The bundle calibrates one factor on the user's cell, then settles: a listing paying twice
    the model for 1–3 years must not double the thin 6+ cell."""
    model, _, _ = labelled
    raw = model.salary_grid("python, django", "Москва", settle=False)
    user = raw.cell("fullDay", "between1And3").p50
    calibrated = calibrate(
        raw, "fullDay", "between1And3", [(2 * user * (1 + i / 100), None) for i in range(30)]
    )
    assert calibrated.calibration_factor > 1.5
    settled = model.settle(calibrated, keep=("fullDay", "between1And3"))
    assert settled.cell("fullDay", "between1And3").p50 == calibrated.cell("fullDay", "between1And3").p50
    weights = model.experience_.field_weights(model.query_rows("python, django", "Москва")[:1])[0]
    senior = model.field_levels_.listed(weights, EVERY_CITY, SENIOR)
    assert senior is not None and senior.count >= MIN_LISTED
    # X = 50%: Moscow's premium (20% in this market) and what a few listed seniors keep of the factor
    ceiling = max(settled.cell("fullDay", "between3And6").p50, math.exp(senior.p50) * 1.5)
    assert calibrated.cell("fullDay", SENIOR).p50 > ceiling  # the factor alone would break it
    assert settled.cell("fullDay", SENIOR).p50 <= ceiling
    assert settled.cell("fullDay", SENIOR).p50 < calibrated.cell("fullDay", SENIOR).p50


def test_a_saved_model_settles_the_same(labelled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    model, _, _ = labelled
    loaded = SalaryModel.load(model.save(tmp_path / "salary"))
    first = model.salary_grid("1с, бухгалтерия", "Томск")
    again = loaded.salary_grid("1с, бухгалтерия", "Томск")
    assert [c.p50 for c in again.cells] == [c.p50 for c in first.cells]


def test_the_cell_check_counts_the_held_out_salaries_of_the_query_field(labelled) -> None:  # type: ignore[no-untyped-def]
    model, train, test = labelled
    check = check_cells(model, train, test, ["python, django"], areas=("Москва",))
    fields = model.experience_.read_fields(test.inputs)
    for row in check.rows:
        assert row.field == "96"
        expected = sum(
            1
            for r, f in zip(test.inputs, fields, strict=True)
            if "96" in f and r.city == "Москва" and r.experience == row.experience
        )
        assert row.held_out == expected
        assert row.p10 <= row.p50 <= row.p90
    inside, total = check.inside("product")
    assert total == sum(r.held_out >= MIN_LISTED for r in check.rows)
    assert inside == sum(r.p10 <= r.estimates["product"] <= r.p90 for r in check.listed())


def test_the_2026_summary_is_the_ratio_of_listed_median_to_estimate() -> None:
    cells = [
        {"median": 100.0, "product": 100.0},
        {"median": 100.0, "product": 80.0},  # 1.25: on the edge, within
        {"median": 100.0, "product": 200.0},  # 0.5
    ]
    row = CellRow("q", None, SENIOR, "96", 12, 10.0, 20.0, 30.0, 3.0, {"product": 25.0})
    summary = CellCheck([row], ["q"], cells_2026=cells).summary_2026("product")
    ratios = sorted(c["median"] / c["product"] for c in cells)
    assert summary["cells"] == 3
    assert summary["within"] == sum(abs(r - 1) <= 0.25 for r in ratios)
    assert summary["median_ratio"] == pytest.approx(ratios[1])
    assert (summary["low"], summary["high"]) == pytest.approx((ratios[0], ratios[-1]))
    assert CellCheck([row], ["q"]).inside("product") == (1, 1)
