"""The report's three example queries, the design-advice target and the alias-invariance check."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# The report's queries (section 6); its tables are the reference answers.
REPORT_QUERIES = (
    "python, nlp, алгоритм, нейросети",
    "микроконтроллер, stm32, c",
    "design, photoshop, figma, 3d, ux-ui",
)
DESIGN_QUERY = REPORT_QUERIES[2]
# Typical student queries: what the bot shows as "your specialization" should read as a field.
COMMON_QUERIES = (
    *REPORT_QUERIES,
    "python, sql, нейросети",
    "1с, бухгалтерия",
    "excel, продажи",
    "photoshop, figma",
    "linux, bash, docker",
    "java, spring",
)
ALIAS_QUERIES = ("джава, спринг", "java, spring")

# A skill counts as a design tool or skill when its canonical name contains one of these
# (the report's design advice — "low", "cross", "яндекс", "микросервисы" — had none).
DESIGN_MARKERS = (
    "figma",
    "photoshop",
    "фотошоп",
    "illustrator",
    "sketch",
    "adobe",
    "corel",
    "indesign",
    "after effects",
    "premiere",
    "blender",
    "3ds",
    "3d",
    "cinema 4d",
    "maya",
    "zbrush",
    "substance",
    "дизайн",
    "design",
    "ux",
    "ui",
    "прототип",
    "wireframe",
    "макет",
    "типограф",
    "композиц",
    "иллюстрац",
    "illustration",
    "анимац",
    "animation",
    "motion",
    "брендинг",
    "branding",
    "айдентик",
    "логотип",
    "графи",
    "tilda",
    "zeplin",
    "invision",
    "axure",
    "protopie",
    "principle",
    "framer",
    "юзабилити",
    "usability",
    "cjm",
    "user research",
    "ретуш",
    "рисова",
)
_MARKER_RE = re.compile("|".join(rf"(?<![a-zа-яё]){re.escape(m)}" for m in DESIGN_MARKERS), re.IGNORECASE)


def is_design_skill(skill: str) -> bool:
    return bool(_MARKER_RE.search(skill))


def design_advice_check(bundle_like: Any, model: str, n: int = 10) -> dict[str, Any]:
    """How many of the design query's top ``n`` skills to learn are design tools or skills."""
    result = bundle_like.recommend(DESIGN_QUERY, 5, model=model)
    skills = [item.skill for item in result.skills_to_learn[:n]]
    design = [s for s in skills if is_design_skill(s)]
    return {"skills": skills, "design": design, "design_count": len(design), "target": 7, "n": n}


def alias_check(bundle_like: Any, model: str, k: int = 5) -> dict[str, Any]:
    """Do "джава, спринг" and "java, spring" give the same top-k vacancies?"""
    answers = [bundle_like.recommend(q, k, model=model) for q in ALIAS_QUERIES]
    ids = [[v.id for v in a.vacancies] for a in answers]
    return {
        "queries": list(ALIAS_QUERIES),
        "skills": [a.skills_recognized for a in answers],
        "same_top": bool(ids[0]) and ids[0] == ids[1],
    }


def report_queries(bundle_like: Any, models: list[str]) -> dict[str, dict[str, Any]]:
    """Top-5 vacancies and top-7 skills to learn for each report query and model."""
    table: dict[str, dict[str, Any]] = {}
    for query in REPORT_QUERIES:
        per_model: dict[str, Any] = {}
        for model in models:
            answer = bundle_like.recommend(query, 5, model=model)
            per_model[model] = {
                "skills_recognized": answer.skills_recognized,
                "specialization": answer.specialization.label if answer.specialization else None,
                "vacancies": [
                    {
                        "title": v.title,
                        "employer": v.employer,
                        "matched": v.matched_skills[:4],
                        "score": v.score,
                    }
                    for v in answer.vacancies
                ],
                "skills_to_learn": [s.skill for s in answer.skills_to_learn[:7]],
            }
        table[query] = per_model
    return table


def specializations(bundle_like: Any, models: list[str], n_skills: int = 5) -> dict[str, dict[str, Any]]:
    """The specialization (label, score, top skills) each model shows for each common query."""
    table: dict[str, dict[str, Any]] = {}
    for query in COMMON_QUERIES:
        table[query] = {}
        for model in models:
            spec = bundle_like.recommend(query, 1, model=model).specialization
            table[query][model] = (
                None
                if spec is None
                else {
                    "label": spec.label,
                    "score": spec.score,
                    "top_skills": [item.skill for item in spec.top_skills[:n_skills]],
                }
            )
    return table


class RecommenderSet:
    """Several recommenders behind the Bundle-like ``recommend(text, k, model=...)`` call."""

    def __init__(self, recommenders: Mapping[str, Any]) -> None:
        self.recommenders = dict(recommenders)

    def recommend(self, text: str, k: int = 5, *, model: str, **filters: Any) -> Any:
        return self.recommenders[model].recommend(text, k, **filters)
