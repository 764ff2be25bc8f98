"""Recommendations: vacancies, specialization and skills to learn for a skills query."""

from recommender.recommend.filters import EMPLOYMENTS, SORTS, Filters
from recommender.recommend.index import SkillMatrix, VacancyIndex
from recommender.recommend.recommender import Recommender, ScoringParams, topic_skill_shares
from recommender.recommend.results import (
    Recommendation,
    SkillAdvice,
    SkillShare,
    Specialization,
    UnknownTerm,
    VacancyMatch,
)

__all__ = [
    "EMPLOYMENTS",
    "SORTS",
    "Filters",
    "Recommendation",
    "Recommender",
    "ScoringParams",
    "SkillAdvice",
    "SkillMatrix",
    "SkillShare",
    "Specialization",
    "UnknownTerm",
    "VacancyIndex",
    "VacancyMatch",
    "topic_skill_shares",
]
