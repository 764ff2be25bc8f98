"""Training rows: salary normalization and bounds, skip counts."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.data.money import rub_per_unit
from recommender.data.parse import parse_vacancy
from recommender.salary import training_rows


def test_out_of_bounds_and_missing_salaries_are_skipped_and_counted(vacancy_factory) -> None:
    vacancies = [
        vacancy_factory(1, "noExperience", "fullDay", 30_000, False),  # below 40k
        vacancy_factory(2, "noExperience", "fullDay", 60_000, False),
        vacancy_factory(3, "between1And3", "remote", 700_000, True),  # above 500k
        vacancy_factory(4, "between1And3", "remote", None, True),
        vacancy_factory(5, "between1And3", "remote", 500_000, True),  # bounds are inclusive
    ]
    rows = training_rows(vacancies)
    assert rows.ids == ["100002", "100005"]
    assert rows.skipped == {"out_of_bounds": 2, "no_salary": 1}
    assert rows.targets.min() >= 40_000 and rows.targets.max() <= 500_000


def test_custom_bounds_are_applied_to_net_salary_not_to_the_loader_flag(vacancy_factory) -> None:
    vacancies = [
        vacancy_factory(i, "noExperience", "fullDay", net, False)
        for i, net in enumerate([20_000, 30_000, 45_000])
    ]
    rows = training_rows(vacancies, salary_bounds=(25_000, 40_000))
    assert list(rows.targets) == [30_000]


def test_unknown_experience_or_schedule_is_skipped_not_crashing(vacancy_factory) -> None:
    good = vacancy_factory(1, "noExperience", "fullDay", 60_000, False)
    odd = vacancy_factory(2, "tenYears", "fullDay", 60_000, False)
    wrong = vacancy_factory(3, "noExperience", "someDays", 60_000, False)
    rows = training_rows([good, odd, wrong])
    assert len(rows) == 1
    assert rows.skipped == {"unknown_experience": 1, "unknown_schedule": 1}


def test_a_schedule_the_new_fields_do_not_name_stays_unknown_and_the_row_is_kept(vacancy_factory) -> None:
    from dataclasses import replace

    base = vacancy_factory(1, "noExperience", None, 60_000, False)  # type: ignore[arg-type]
    remote = replace(base, id="r", work_format=("REMOTE",))
    on_site = replace(base, id="o", work_format=("ON_SITE",))
    vakhta = replace(base, id="v", employment_form="FLY_IN_FLY_OUT")
    rows = training_rows([remote, on_site, vakhta])
    assert [row.schedule for row in rows.inputs] == ["remote", "unknown", "flyInFlyOut"]
    assert rows.skipped == {}


def test_gross_foreign_salary_is_normalized_to_net_roubles_before_the_bounds() -> None:
    # 2,000 USD gross, undated: the newest year's rate, net of 13% tax, inside the bounds.
    raw = {
        "id": "42",
        "name": "Data engineer",
        "salary": {"from": 2000, "to": None, "currency": "USD", "gross": True},
        "experience": {"id": "between1And3"},
        "schedule": {"id": "remote"},
        "description": "<p>Python</p>",
    }
    rows = training_rows([parse_vacancy(raw)])
    assert rows.targets[0] == pytest.approx(2000 * (rub_per_unit("USD") or 0) * 0.87)


def test_topics_attach_to_the_rows_in_order(vacancy_factory) -> None:
    vacancies = [vacancy_factory(i, "noExperience", "fullDay", 60_000 + i, False) for i in range(3)]
    rows = training_rows(vacancies, topics=[7, 8, 9])
    assert [row.topic for row in rows.inputs] == ["7", "8", "9"]
    with pytest.raises(ValueError):
        training_rows(vacancies, topics=[1])
    assert np.all(rows.targets > 0)
