"""A field's most-asked skills are not one employer's mass posting."""

from __future__ import annotations

import numpy as np

from recommender.data import Vacancy
from recommender.recommend.index import VacancyIndex
from recommender.recommend.recommender import topic_skill_shares


def test_one_employers_mass_posting_counts_at_most_three_times() -> None:
    designers = [Vacancy(id=f"d{i}", title="Дизайнер", employer=f"Студия {i}") for i in range(6)]
    mass = [Vacancy(id=f"m{i}", title="Дизайнер", employer="Инвестбанк") for i in range(40)]
    vacancies = designers + mass
    docs = [["figma", "adobe photoshop"]] * len(designers) + [["инвестиции", "adobe photoshop"]] * len(mass)
    index = VacancyIndex(vacancies, docs, docs)
    doc_topic = np.ones((len(vacancies), 1), dtype=np.float32)
    doc_topic[len(designers) :] = 0.9  # the mass posting is weaker, so the cap keeps its first three

    shares = topic_skill_shares(doc_topic, index)[0]
    names = list(index.skills.names)
    assert shares[names.index("adobe photoshop")] == 1.0
    assert shares[names.index("figma")] == 6 / 9
    assert shares[names.index("инвестиции")] == 3 / 9
