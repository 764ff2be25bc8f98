"""Does an answer land in the user's field? Measures a popular-item or naive search cannot game.

- *title-family precision@5*: held-out vacancies as queries (their skills), the share of the
  5 recommended training vacancies whose title is in the held-out title's family
  (``recommender.topics.families``);
- *role precision@5*: held-out cards with an hh professional role as queries (their skills),
  ranked among the training cards with a role; the share of the 5 sharing the role;
- *label accuracy*: held-out cards with a role, queried with their key skills; a system's
  specialization is right when the role it stands for is the card's role. For a topic model's
  specialization that is the majority role of the training cards the topic dominates; for the
  naive search, the majority role of its 50 best cards; for *popularity*, the commonest role.

Every system here is queried with canonical skills; ``top_vacancy_rows(skills, n, rows=None)``
ranks (``rows`` restricts the candidates) and ``predict_role(skills)`` names a role.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from recommender.data.models import Vacancy
from recommender.evaluation.metrics import mean
from recommender.topics.families import display_family, in_family, names_a_field, title_family
from recommender.train import canonical_key_skills

logger = logging.getLogger(__name__)

# hh's catch-all role says nothing about the field: neither a query nor a match.
CATCH_ALL_ROLES = frozenset({"Другое"})
MIN_FAMILY_SUPPORT = 5  # training vacancies in a family for its held-out vacancies to be queries
ROLE_NEIGHBOURS = 50


class Ranker(Protocol):
    def top_vacancy_rows(
        self, skills: Sequence[str], n: int, rows: np.ndarray | None = None
    ) -> list[int]: ...


RolePredictor = Callable[[Sequence[str]], "str | None"]


def _hash(vacancy_id: str) -> str:
    return hashlib.sha1(vacancy_id.encode("utf-8")).hexdigest()


def fixed_sample(vacancies: Sequence[Vacancy]) -> list[Vacancy]:
    """The vacancies in a fixed pseudo-random order (by id hash): a prefix is an unbiased sample."""
    return sorted(vacancies, key=lambda v: _hash(v.id))


def role_of(vacancy: Vacancy) -> str | None:
    """The card's professional role (hh gives one), None without one or with the catch-all."""
    for role in vacancy.professional_roles:
        if role.name not in CATCH_ALL_ROLES:
            return role.name
    return None


@dataclass(frozen=True, slots=True)
class FamilyQuery:
    vacancy_id: str
    title: str
    family: tuple[str, ...]
    skills: list[str]


def family_queries(
    vocabulary: Any, train: Sequence[Vacancy], test: Sequence[Vacancy], *, max_queries: int
) -> tuple[list[FamilyQuery], list[frozenset[str]]]:
    """Held-out vacancies whose family names a field with ``MIN_FAMILY_SUPPORT`` training vacancies.

    Returns the queries and every training vacancy's (full) family, row-aligned with ``train``.
    """
    train_families = [frozenset(title_family(v.title, limit=None)) for v in train]
    postings: dict[str, set[int]] = {}
    for row, words in enumerate(train_families):
        for word in words:
            postings.setdefault(word, set()).add(row)
    queries: list[FamilyQuery] = []
    support: dict[tuple[str, ...], int] = {}
    for vacancy in fixed_sample(test):
        family = title_family(vacancy.title)
        if not names_a_field(family):
            continue
        if family not in support:
            rows = set.intersection(*(postings.get(word, set()) for word in family))
            support[family] = len(rows)
        if support[family] < MIN_FAMILY_SUPPORT:
            continue
        skills = list(vocabulary.skills_of(vacancy))
        if skills:
            queries.append(FamilyQuery(vacancy.id, vacancy.title, family, skills))
        if len(queries) >= max_queries:
            break
    return queries, train_families


def evaluate_title_families(
    rankers: Mapping[str, Ranker],
    queries: Sequence[FamilyQuery],
    train_families: Sequence[frozenset[str]],
    *,
    k: int = 5,
    n_breakdown: int = 12,
) -> dict[str, Any]:
    """Title-family precision@k per system, overall and for the commonest query families."""
    common = [f for f, _ in Counter(q.family for q in queries).most_common(n_breakdown)]
    results: dict[str, Any] = {}
    for name, ranker in rankers.items():
        per_query = []
        for query in queries:
            rows = ranker.top_vacancy_rows(query.skills, k)
            hits = sum(in_family(train_families[row], query.family) for row in rows)
            per_query.append(hits / k)
        by_family = {
            display_family(f): mean([p for q, p in zip(queries, per_query, strict=True) if q.family == f])
            for f in common
        }
        results[name] = {f"precision@{k}": mean(per_query), "queries": len(queries), "by_family": by_family}
        logger.info("title family %s: precision@%d %.4f", name, k, results[name][f"precision@{k}"])
    results["_family_counts"] = {display_family(f): sum(1 for q in queries if q.family == f) for f in common}
    return results


def role_rows(train: Sequence[Vacancy]) -> tuple[np.ndarray, list[str | None]]:
    """Rows of the training cards with a role, and every training row's role (None without)."""
    roles = [role_of(v) if v.detail == "card" else None for v in train]
    rows = np.asarray([i for i, role in enumerate(roles) if role], dtype=np.int64)
    return rows, roles


def role_queries(
    vocabulary: Any, test: Sequence[Vacancy], *, max_queries: int, key_skills_only: bool = False
) -> list[tuple[str, list[str]]]:
    """(role, skills) of held-out cards with a role: all their skills, or only their key skills."""
    queries = []
    for vacancy in fixed_sample([v for v in test if v.detail == "card"]):
        role = role_of(vacancy)
        if not role:
            continue
        skills = (
            canonical_key_skills(vocabulary, vacancy)
            if key_skills_only
            else list(vocabulary.skills_of(vacancy))
        )
        if skills:
            queries.append((role, skills))
        if len(queries) >= max_queries:
            break
    return queries


def evaluate_roles(
    rankers: Mapping[str, Ranker],
    queries: Sequence[tuple[str, list[str]]],
    card_rows: np.ndarray,
    roles: Sequence[str | None],
    *,
    k: int = 5,
) -> dict[str, dict[str, float]]:
    """Role precision@k: the share of the k best training cards (with a role) sharing the query's role."""
    results: dict[str, dict[str, float]] = {}
    for name, ranker in rankers.items():
        per_query = []
        for role, skills in queries:
            rows = ranker.top_vacancy_rows(skills, k, card_rows)
            per_query.append(sum(roles[row] == role for row in rows) / k)
        results[name] = {f"precision@{k}": mean(per_query), "queries": len(queries)}
        logger.info("roles %s: precision@%d %.4f", name, k, results[name][f"precision@{k}"])
    return results


def majority_role(rows: Sequence[int], roles: Sequence[str | None]) -> str | None:
    counts = Counter(roles[row] for row in rows if roles[row])
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def topic_roles(
    dominant_topics: Sequence[int | None], roles: Sequence[str | None], n_topics: int
) -> list[str | None]:
    """Per topic, the majority role of the training cards it dominates (None: no such card)."""
    counts: list[Counter[str]] = [Counter() for _ in range(n_topics)]
    for topic, role in zip(dominant_topics, roles, strict=True):
        if topic is not None and role:
            counts[topic][role] += 1
    return [max(c.items(), key=lambda kv: (kv[1], kv[0]))[0] if c else None for c in counts]


def evaluate_label_accuracy(
    predictors: Mapping[str, RolePredictor], queries: Sequence[tuple[str, list[str]]]
) -> dict[str, dict[str, float]]:
    """Share of held-out cards whose role the system's specialization stands for."""
    results: dict[str, dict[str, float]] = {}
    for name, predict in predictors.items():
        correct = [float(predict(skills) == role) for role, skills in queries]
        results[name] = {"accuracy": mean(correct), "queries": len(queries)}
        logger.info("label accuracy %s: %.4f", name, results[name]["accuracy"])
    return results
