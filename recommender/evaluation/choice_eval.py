"""Letting the student pick the field: title-family precision@5 with the held-out vacancy's own
field chosen, beside the same answers unchosen.

Each held-out vacancy (title-family queries of ``fields_eval``) asks with its skills, as a
student would. *Chosen*: the student names their own field (the first two words of the
vacancy's title family, ``recommend(field=...)``), applied when the answer's best matches include
some of it; *chosen among the buttons*: only when the answer offers it (``Recommendation.fields``:
the offered field the vacancy's title is in, the most specific one). Queries where the field is
not applied keep the unchosen answer. Every column counts the five vacancies the answer lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from recommender.evaluation.fields_eval import FamilyQuery
from recommender.evaluation.metrics import mean
from recommender.recommend.choices import FieldChoice
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

    unchosen, chosen, direct = [], [], []
    offered = own = applied = 0
    for query in queries:
        asked = recommender.vocabulary.query_of(query.skills, ", ".join(query.skills))
        plain = recommender.recommend(asked, k=K)
        before = precision(plain, query.family)
        unchosen.append(before)
        offered += bool(plain.fields)
        mine = recommender.recommend(asked, k=K, field=" ".join(sorted(query.family[:2])))
        applied += mine.field is not None
        direct.append(precision(mine, query.family) if mine.field is not None else before)
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
        "chosen": mean(direct),
        "chosen_from_buttons": mean(chosen),
        "applied": applied / n if n else 0.0,
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
        f"| title-family precision@5, own field chosen (applied for {s.get('applied', 0):.1%} of queries) | "
        f"{s['chosen']:.3f} (target ≥ {s['target']}) |",
        f"| title-family precision@5, own field chosen among the buttons offered | "
        f"{s.get('chosen_from_buttons', s['chosen']):.3f} |",
        f"| answers offering a choice | {s['offered']:.1%} |",
        f"| answers offering the vacancy's own field | {s['own_offered']:.1%} |",
        "",
    ]
