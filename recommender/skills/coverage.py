"""How much of a corpus the vocabulary understands."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recommender.data.models import Vacancy
    from recommender.skills.vocabulary import SkillVocabulary


def coverage(
    vocab: SkillVocabulary,
    vacancies: Sequence[Vacancy],
    *,
    per_vacancy: Sequence[Sequence[str]] | None = None,
) -> tuple[float, float]:
    """Share of vacancies with at least one skill, and the median number of skills.

    ``per_vacancy`` reuses skills already extracted (``vocab.skills_of`` for each vacancy).
    """
    if per_vacancy is None:
        per_vacancy = [vocab.skills_of(v) for v in vacancies]
    if not per_vacancy:
        return 0.0, 0.0
    counts = [len(skills) for skills in per_vacancy]
    share = sum(1 for c in counts if c > 0) / len(counts)
    return share, float(statistics.median(counts))
