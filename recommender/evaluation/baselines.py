"""Skill-recommendation baselines the product model must beat."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from recommender.recommend.index import SkillMatrix


def _top(scores: np.ndarray, names: Sequence[str], exclude: np.ndarray, n: int) -> list[str]:
    scores = scores.astype(np.float64, copy=True)
    scores[exclude] = -np.inf
    n = min(n, scores.size)
    top = np.argpartition(-scores, n - 1)[:n] if n < scores.size else np.arange(scores.size)
    top = top[np.lexsort((top, -scores[top]))]
    return [names[c] for c in top if np.isfinite(scores[c]) and scores[c] > 0]


class PopularityBaseline:
    """The corpus's most asked-for skills, whatever the query."""

    name = "popularity"

    def __init__(self, skills: SkillMatrix) -> None:
        self.skills = skills

    def advise(self, query: Sequence[str], n: int = 10) -> list[str]:
        columns = np.asarray(
            [self.skills.column_of[s] for s in query if s in self.skills.column_of], dtype=int
        )
        return _top(self.skills.doc_freq, self.skills.names, columns, n)


class CooccurrenceBaseline:
    """Skills ranked by how many vacancies ask for them together with any query skill."""

    name = "co-occurrence"

    def __init__(self, skills: SkillMatrix) -> None:
        self.skills = skills

    def advise(self, query: Sequence[str], n: int = 10) -> list[str]:
        columns = np.asarray(
            [self.skills.column_of[s] for s in query if s in self.skills.column_of], dtype=int
        )
        if not columns.size:
            return _top(self.skills.doc_freq, self.skills.names, columns, n)
        counts = np.asarray(self.skills.cooccurrence[columns].sum(axis=0)).ravel()
        return _top(counts, self.skills.names, columns, n)
