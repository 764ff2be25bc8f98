"""Gate metrics: both bundles answer the same held-out skill questions.

Runs in the training child process, after training. For held-out cards (the fixed
``is_test`` split) half of the key skills are shown as the query and the other half hidden;
a bundle scores by how many hidden skills its "skills to learn" advice recovers
(recall@10). The candidate and the serving bundle answer the same cases, so the
comparison is fair even when the corpus grew. (The candidate was trained on a corpus that
includes these cards, which flatters it slightly; the gate only asks "not worse".)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from recommender.bundle import Bundle, load_bundle
from recommender.data.models import Vacancy
from recommender.data.split import is_test
from recommender.evaluation.metrics import mean, recall_at_k
from recommender.evaluation.skills_eval import SkillCase, make_skill_cases

logger = logging.getLogger(__name__)

ADVICE_K = 10


def held_out_cases(vocabulary: Any, vacancies: Sequence[Vacancy], max_cases: int) -> list[SkillCase]:
    return make_skill_cases(vocabulary, [v for v in vacancies if is_test(v.id)], max_cases=max_cases)


def skill_recall(bundle: Bundle, cases: Sequence[SkillCase], k: int = ADVICE_K) -> float:
    recalls = []
    for case in cases:
        query = bundle.vocabulary.query_of(case.visible)
        ranking = bundle.recommender().rank(query)
        advice = [a.skill for a in ranking.skills_to_learn] if ranking is not None else []
        recalls.append(recall_at_k(advice, set(case.hidden), k))
    return mean(recalls)


def gate_metrics(
    candidate_dir: Path, current_dir: Path | None, vacancies: Sequence[Vacancy], max_cases: int = 300
) -> dict[str, dict[str, float]]:
    """{"candidate": {...}, "current": {...}} with ``recall@10`` and the number of cases."""
    candidate = load_bundle(candidate_dir)
    cases = held_out_cases(candidate.vocabulary, vacancies, max_cases)
    result = {"candidate": {f"recall@{ADVICE_K}": skill_recall(candidate, cases), "cases": float(len(cases))}}
    if current_dir is not None:
        try:
            current = load_bundle(current_dir)
        except (OSError, RuntimeError, ValueError) as exc:  # an unreadable bundle cannot veto its successor
            logger.warning("serving bundle %s not scored: %s", current_dir, exc)
        else:
            result["current"] = {
                f"recall@{ADVICE_K}": skill_recall(current, cases),
                "cases": float(len(cases)),
            }
    logger.info("gate metrics on %d held-out cases: %s", len(cases), result)
    return result
