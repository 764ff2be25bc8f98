"""Vacancy recommendation, offline: query with a held-out vacancy's skills, judge the top 5.

A recommended vacancy is relevant when it shares an hh specialization with the held-out
one. Nearly all of hh_it_2021 carries the generic "Программирование, Разработка", so the
strict variant ignores the most frequent specialization ids.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from recommender.data.models import Vacancy
from recommender.evaluation.metrics import mean

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[0-9a-zа-яё+#]+", re.IGNORECASE)
# Words that name a level, a contract or a place rather than the job itself.
TITLE_STOPWORDS = frozenset(
    """junior middle senior lead head intern trainee стажер стажёр младший старший ведущий главный
    помощник ассистент начинающий удаленно удалённо удаленная удаленный работа вакансия в на по с
    и для из до от г""".split()  # noqa: SIM905
)


def main_title_word(title: str) -> str | None:
    """The first word of a title that is not a level or filler word ("Junior Python-разработчик" → python)."""
    for word in _WORD.findall(title.lower()):
        if word not in TITLE_STOPWORDS and len(word) > 1:
            return word
    return None


def generic_specializations(vacancies: Sequence[Vacancy], n: int = 3) -> list[str]:
    """The ``n`` specialization ids most often attached to the vacancies."""
    counts = Counter(label.id for v in vacancies for label in v.specializations)
    return [label for label, _ in counts.most_common(n)]


def specialization_shares(vacancies: Sequence[Vacancy], ids: Sequence[str]) -> dict[str, float]:
    """Share of ``vacancies`` carrying each of the specialization ``ids``."""
    total = max(len(vacancies), 1)
    return {
        i: sum(1 for v in vacancies if any(label.id == i for label in v.specializations)) / total for i in ids
    }


def _sample(test: Sequence[Vacancy], max_queries: int) -> list[Vacancy]:
    def key(v: Vacancy) -> str:
        return hashlib.sha1(v.id.encode("utf-8")).hexdigest()

    return sorted(test, key=key)[:max_queries]


def _random_ranker(n_rows: int, seed: int = 0) -> Any:
    """The chance level: k random indexed vacancies per query (seeded)."""
    rng = np.random.default_rng(seed)

    def rank(skills: Sequence[str], k: int) -> list[int]:
        return rng.choice(n_rows, size=min(k, n_rows), replace=False).tolist()

    return rank


def evaluate_vacancy_recommendations(
    recommenders: Mapping[str, Any],
    indexed: Sequence[Vacancy],
    test: Sequence[Vacancy],
    vocabulary: Any,
    *,
    k: int = 5,
    max_queries: int = 2000,
    generic: Sequence[str] = (),
) -> dict[str, dict[str, float]]:
    """precision@k by shared specialization (all / non-generic) and by the title's main word."""
    queries = []
    for vacancy in _sample([v for v in test if v.specializations], max_queries * 2):
        skills = vocabulary.skills_of(vacancy)
        if skills:
            queries.append((vacancy, skills))
        if len(queries) >= max_queries:
            break
    generic_set = set(generic)
    results = {}
    rankers = {name: rec.top_vacancy_rows for name, rec in recommenders.items()}
    rankers["random"] = _random_ranker(len(indexed))
    for name, rank in rankers.items():
        loose, strict, title = [], [], []
        for vacancy, skills in queries:
            rows = rank(skills, k)
            if not rows:
                loose.append(0.0)
                continue
            own = {label.id for label in vacancy.specializations}
            own_specific = own - generic_set
            word = main_title_word(vacancy.title)
            found = [indexed[row] for row in rows]
            loose.append(mean([float(bool(own & {x.id for x in f.specializations})) for f in found]))
            if own_specific:
                strict.append(
                    mean([float(bool(own_specific & {x.id for x in f.specializations})) for f in found])
                )
            if word:
                title.append(mean([float(word in _WORD.findall(f.title.lower())) for f in found]))
        results[name] = {
            f"precision@{k}": mean(loose),
            f"precision@{k}_specific": mean(strict),
            f"title_word@{k}": mean(title),
            "queries": len(queries),
            "queries_specific": len(strict),
        }
        logger.info("vacancies %s: %s", name, results[name])
    return results
