"""The report's embedded query on real hh.ru data (bounded: the cards plus a slice of the IT list)."""

from __future__ import annotations

import itertools
import re

import pytest

from recommender.data import BadRecord, iter_raw, parse_vacancy

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

IT_ROWS = 12_000  # first rows of hh_it_2021: 49 of them mention embedded work
EMBEDDED = re.compile(r"микроконтрол|embedded|stm32|встраива|arm|схемотехн|электрон|rtos", re.IGNORECASE)


def _load(paths, limit=None):
    vacancies, bad = [], 0
    for obj in itertools.islice(iter_raw(paths), limit):
        try:
            vacancies.append(parse_vacancy(obj))
        except BadRecord:
            bad += 1
    return vacancies, bad


def test_embedded_query_returns_embedded_vacancies(shared_data_dir):
    from recommender.train import fit_parts

    cards, _ = _load([shared_data_dir / "hh_cards_2021_2023.jsonl.gz"])
    listed, _ = _load([shared_data_dir / "hh_it_2021.jsonl.gz"], IT_ROWS)
    vacancies = list({v.id: v for v in cards + listed}.values())
    parts = fit_parts(vacancies, models=("nmf",), salary=False, model_params={"nmf": {"n_components": 40}})
    answer = parts.recommenders["nmf"].recommend(parts.understand("микроконтроллер, stm32, c").query, k=5)

    assert "stm32" in answer.skills_recognized
    embedded = [
        v
        for v in answer.vacancies
        if EMBEDDED.search(v.title) or any(EMBEDDED.search(s) for s in v.matched_skills + v.missing_skills)
    ]
    assert len(embedded) >= 4, [(v.title, v.matched_skills) for v in answer.vacancies]
    advice = [s.skill for s in answer.skills_to_learn]
    assert any(EMBEDDED.search(s) or s in {"c++", "uart", "i2c", "spi", "linux"} for s in advice[:5]), advice
