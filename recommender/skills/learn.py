"""Skills learned from vacancy texts (placeholder until the learner lands)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recommender.data.models import Vacancy
    from recommender.skills.matcher import PhraseMatcher


@dataclass(frozen=True, slots=True)
class LearnedTerm:
    key: tuple[str, ...]
    display: str
    df: int


def learn_text_skills(
    vacancies: Sequence[Vacancy],
    matcher: PhraseMatcher,
    *,
    stopwords: frozenset[str],
    min_df: int | None = None,
) -> list[LearnedTerm]:
    return []
