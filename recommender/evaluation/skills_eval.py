"""Skill recommendation, offline: hide half of a held-out card's key skills, query with the rest."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from recommender.data.models import Vacancy
from recommender.evaluation.metrics import mean, ndcg_at_k, recall_at_k
from recommender.train import canonical_key_skills

logger = logging.getLogger(__name__)

Advisor = Callable[[Sequence[str], int], list[str]]


@dataclass(frozen=True, slots=True)
class SkillCase:
    vacancy_id: str
    visible: list[str]
    hidden: list[str]


def _seed(vacancy_id: str) -> int:
    return int(hashlib.sha1(vacancy_id.encode("utf-8")).hexdigest()[:8], 16)


def make_skill_cases(
    vocabulary: Any, test: Sequence[Vacancy], *, max_cases: int | None = 2000, min_skills: int = 2
) -> list[SkillCase]:
    """One case per held-out card with at least ``min_skills`` canonical key skills.

    Which half is hidden is drawn from a generator seeded by the vacancy id, so cases are the
    same on every run; with more cards than ``max_cases`` the ones with the smallest id hash
    are kept (a fixed, unbiased sample).
    """
    cases = []
    for vacancy in sorted(test, key=lambda v: _seed(v.id)):
        if vacancy.source != "card":
            continue
        skills = canonical_key_skills(vocabulary, vacancy)
        if len(skills) < min_skills:
            continue
        order = np.random.default_rng(_seed(vacancy.id)).permutation(len(skills))
        n_hidden = len(skills) // 2
        hidden = [skills[i] for i in sorted(order[:n_hidden])]
        visible = [skills[i] for i in sorted(order[n_hidden:])]
        cases.append(SkillCase(vacancy.id, visible, hidden))
        if max_cases and len(cases) >= max_cases:
            break
    return cases


def evaluate_skill_advice(
    advisors: Mapping[str, Advisor], cases: Sequence[SkillCase], k: int = 10
) -> dict[str, dict[str, float]]:
    """recall@k and nDCG@k of the hidden skills, per advisor."""
    results = {}
    for name, advise in advisors.items():
        recalls, ndcgs = [], []
        for case in cases:
            recommended = advise(case.visible, k)
            hidden = set(case.hidden)
            recalls.append(recall_at_k(recommended, hidden, k))
            ndcgs.append(ndcg_at_k(recommended, hidden, k))
        results[name] = {f"recall@{k}": mean(recalls), f"ndcg@{k}": mean(ndcgs), "cases": len(cases)}
        logger.info("skills %s: recall@%d %.4f, nDCG@%d %.4f", name, k, mean(recalls), k, mean(ndcgs))
    return results
