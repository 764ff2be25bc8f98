"""Skill vocabulary and normalization: what skills a text or a vacancy names.

``SkillVocabulary.build(vacancies)`` learns canonical skills from the cards' key_skills,
the curated aliases in ``recommender/resources/`` and frequent terms of vacancy texts;
``SkillVocabulary.default()`` uses the curated resource only.
"""

from recommender.skills.coverage import coverage
from recommender.skills.query import MAX_QUERY_CHARS, Query, UnknownTerm
from recommender.skills.vocabulary import Extraction, SkillMentions, SkillVocabulary, canonical_name

__all__ = [
    "MAX_QUERY_CHARS",
    "Extraction",
    "Query",
    "SkillMentions",
    "SkillVocabulary",
    "UnknownTerm",
    "canonical_name",
    "coverage",
]
