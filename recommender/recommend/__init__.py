"""Recommendations: vacancies, specialization and skills to learn for a skills query."""

from recommender.data.areas import RUSSIA
from recommender.recommend.filters import EMPLOYMENTS, SORTS, Filters
from recommender.recommend.index import SkillMatrix, VacancyIndex
from recommender.recommend.recommender import (
    RECENT_DAYS,
    Listing,
    Ranking,
    Recommender,
    ScoringParams,
    topic_skill_shares,
)
from recommender.recommend.results import (
    Recommendation,
    SkillAdvice,
    SkillShare,
    Specialization,
    UnknownTerm,
    VacancyMatch,
)
from recommender.recommend.search_links import hh_search_url, trudvsem_search_url

__all__ = [
    "EMPLOYMENTS",
    "RECENT_DAYS",
    "RUSSIA",
    "SORTS",
    "Filters",
    "Listing",
    "Ranking",
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
    "hh_search_url",
    "topic_skill_shares",
    "trudvsem_search_url",
]
