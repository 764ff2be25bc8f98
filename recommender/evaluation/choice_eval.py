"""Letting the student pick the field: title-family precision@5 with the held-out vacancy's own
field chosen, beside the same answers unchosen.

Each held-out vacancy (title-family queries of ``fields_eval``) asks with its skills, as a
student would; when the answer offers fields (``Recommendation.fields``), the student picks the
one their own title is in (the vacancy's full title family holds every word of the choice;
the most specific such choice). Queries where no offered field is theirs keep the unchosen
answer. Both columns count the five vacancies the answer lists (its tiers included).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from recommender.evaluation.fields_eval import FamilyQuery
from recommender.evaluation.metrics import mean
from recommender.recommend.choices import FieldChoice
from recommender.skills.query import Query
from recommender.topics.families import in_family, title_family

TARGET = 0.85
K = 5


def own_choice(choices: Sequence[FieldChoice], title: str) -> FieldChoice | None:
    """The offered field a vacancy of this title is in (the most specific one), None if none is."""
    family = frozenset(title_family(title, limit=None))
    mine = [c for c in choices if in_family(family, tuple(c.key.split()))]
    return max(mine, key=lambda c: len(c.key.split()), default=None)


def evaluate_field_choice(
    recommender: Any, queries: Sequence[FamilyQuery], train_families: Sequence[frozenset[str]]
) -> dict[str, Any]:
    row_of = {vacancy_id: row for row, vacancy_id in enumerate(recommender.index.ids)}

    def precision(result: Any, family: tuple[str, ...]) -> float:
        rows = [row_of[v.id] for v in result.vacancies]
        return sum(in_family(train_families[r], family) for r in rows) / K

    unchosen, chosen = [], []
    offered = own = 0
    for query in queries:
        asked = Query(text=", ".join(query.skills), skills=tuple(query.skills))
        plain = recommender.recommend(asked, k=K)
        before = precision(plain, query.family)
        unchosen.append(before)
        offered += bool(plain.fields)
        choice = own_choice(plain.fields, query.title)
        if choice is None:
            chosen.append(before)
            continue
        own += 1
        chosen.append(precision(recommender.recommend(asked, k=K, field=choice.key), query.family))
    n = len(queries)
    return {
        "queries": n,
        "unchosen": mean(unchosen),
        "chosen": mean(chosen),
        "offered": offered / n if n else 0.0,
        "own_offered": own / n if n else 0.0,
        "target": TARGET,
    }


def choice_markdown(section: dict[str, Any]) -> list[str]:
    s = section
    return [
        "## Letting the student pick the field",
        "",
        f"{s['queries']} held-out vacancies ask with their skills (the title-family queries above). "
        "An answer "
        "offers fields when its best matches split across title families (`Recommendation.fields`); the "
        "student picks the one their own title is in, and `recommend(field=...)` re-ranks within it "
        "reusing the query's scores (`recommender/evaluation/choice_eval.py`).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| title-family precision@5, unchosen (the answer's five listed vacancies) | {s['unchosen']:.3f} |",
        f"| title-family precision@5, own field chosen where offered | {s['chosen']:.3f} "
        f"(target ≥ {s['target']}) |",
        f"| answers offering a choice | {s['offered']:.1%} |",
        f"| answers offering the vacancy's own field | {s['own_offered']:.1%} |",
        "",
    ]
