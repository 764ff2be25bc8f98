"""Skill recommendation, offline: hide half of a held-out card's key skills, query with the rest.

Beside plain recall@k and nDCG@k of the hidden skills:

- *long-tail recall@k*: recall of the hidden skills that are not among the corpus's
  ``N_FREQUENT`` most frequent ones, over the cases that hide at least one such skill (the
  advised list is not filtered: a slot spent on "git" is a slot lost). Recommending the
  corpus favourites to everyone wins plain recall, not this;
- *mean lift*: how much more the card's professional role asks for an advised skill than the
  corpus does, P(skill | role) / P(skill) over the training cards (P(skill | role) smoothed
  towards the corpus rate with ``LIFT_SMOOTHING`` pseudo-cards), averaged over the advised skills
  of the cases whose card has a role. 1.0 is advice no more specific than the corpus.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from recommender.data.models import Vacancy
from recommender.evaluation.fields_eval import role_of
from recommender.evaluation.metrics import mean, ndcg_at_k, recall_at_k
from recommender.train import canonical_key_skills

logger = logging.getLogger(__name__)

Advisor = Callable[[Sequence[str], int], list[str]]
N_FREQUENT = 30
LIFT_SMOOTHING = 10.0


@dataclass(frozen=True, slots=True)
class SkillCase:
    vacancy_id: str
    visible: list[str]
    hidden: list[str]
    role: str | None = None  # the card's professional role, for the lift of the advice
    group: str = ""  # the card's source and publication year (``source_year``), for the breakdown


def source_year(vacancy: Vacancy) -> str:
    """ "hh 2021", "trudvsem 2026", "hh undated": where and when a row is from."""
    return f"{vacancy.source} {vacancy.published_at.year if vacancy.published_at else 'undated'}"


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
        if vacancy.detail != "card":
            continue
        skills = canonical_key_skills(vocabulary, vacancy)
        if len(skills) < min_skills:
            continue
        order = np.random.default_rng(_seed(vacancy.id)).permutation(len(skills))
        n_hidden = len(skills) // 2
        hidden = [skills[i] for i in sorted(order[:n_hidden])]
        visible = [skills[i] for i in sorted(order[n_hidden:])]
        cases.append(SkillCase(vacancy.id, visible, hidden, role_of(vacancy), source_year(vacancy)))
        if max_cases and len(cases) >= max_cases:
            break
    return cases


class RoleLift:
    """P(skill | role) / P(skill) over training cards with a role (see the module docstring)."""

    def __init__(self, card_skills: Sequence[Sequence[str]], roles: Sequence[str | None]) -> None:
        pairs = [(set(skills), role) for skills, role in zip(card_skills, roles, strict=True) if role]
        self.n_cards = max(len(pairs), 1)
        self.skill_count: Counter[str] = Counter(s for skills, _ in pairs for s in skills)
        self.role_size: Counter[str] = Counter(role for _, role in pairs)
        self.pair_count: Counter[tuple[str, str]] = Counter(
            (role, s) for skills, role in pairs if role for s in skills
        )

    def lift(self, role: str, skill: str) -> float:
        corpus = (self.skill_count[skill] + 1) / (self.n_cards + 1)
        in_role = (self.pair_count[(role, skill)] + LIFT_SMOOTHING * corpus) / (
            self.role_size[role] + LIFT_SMOOTHING
        )
        return in_role / corpus


def frequent_skills(doc_skills: Sequence[Sequence[str]], n: int = N_FREQUENT) -> set[str]:
    """The ``n`` skills the most training vacancies ask for."""
    counts: Counter[str] = Counter(s for skills in doc_skills for s in set(skills))
    return {s for s, _ in counts.most_common(n)}


def evaluate_skill_advice(
    advisors: Mapping[str, Advisor],
    cases: Sequence[SkillCase],
    k: int = 10,
    *,
    frequent: set[str] | None = None,
    lift: RoleLift | None = None,
) -> dict[str, dict[str, float]]:
    """recall@k and nDCG@k of the hidden skills, per advisor; with ``frequent`` also the long-tail
    recall@k, with ``lift`` the mean lift of the advised skills."""
    results = {}
    for name, advise in advisors.items():
        recalls, ndcgs, tail, lifts = [], [], [], []
        for case in cases:
            recommended = advise(case.visible, k)
            hidden = set(case.hidden)
            recalls.append(recall_at_k(recommended, hidden, k))
            ndcgs.append(ndcg_at_k(recommended, hidden, k))
            rare = hidden - frequent if frequent is not None else set()
            if rare:
                tail.append(recall_at_k(recommended, rare, k))
            if lift is not None and case.role and recommended:
                lifts.append(mean([lift.lift(case.role, s) for s in recommended[:k]]))
        row = {f"recall@{k}": mean(recalls), f"ndcg@{k}": mean(ndcgs), "cases": len(cases)}
        if frequent is not None:
            row.update({f"long_tail_recall@{k}": mean(tail), "long_tail_cases": len(tail)})
        if lift is not None:
            row.update({"mean_lift": mean(lifts), "lift_cases": len(lifts)})
        results[name] = row
        logger.info("skills %s: %s", name, row)
    return results


def skill_advice_by_group(
    advisors: Mapping[str, Advisor], cases: Sequence[SkillCase], k: int = 10, *, min_cases: int = 10
) -> dict[str, dict[str, dict[str, float]]]:
    """``evaluate_skill_advice`` per source and year of the held-out cards (groups of at least
    ``min_cases``): does the advice hold for the newer data as for the 2021 bulk?"""
    groups: dict[str, list[SkillCase]] = {}
    for case in cases:
        groups.setdefault(case.group, []).append(case)
    return {
        group: evaluate_skill_advice(advisors, members, k)
        for group, members in sorted(groups.items())
        if len(members) >= min_cases
    }
