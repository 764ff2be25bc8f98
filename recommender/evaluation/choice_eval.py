"""Letting the student pick the field: title-family precision@5 with the held-out vacancy's own
field chosen, beside the same answers unchosen.

Each held-out vacancy (title-family queries of ``fields_eval``) asks with its skills, as a
student would. *Chosen*: the student names their own field, the key a button for their title
carries (``choices.choice_key``: the first two words of the title family, ``recommend(field=...)``),
applied when the answer's best matches include some of it; *chosen among the buttons*: only when
the answer offers it (``Recommendation.fields``: the offered field the vacancy's title is in, the
most specific one). Queries where the field is not applied keep the unchosen answer. Every column
counts the five vacancies the answer lists.

Two definitions of a hit, both reported, chosen and unchosen alike:

- *the chosen field's family* (the target's since round five): a listed vacancy whose title is in
  the field the student chose ("python разраб"). A choice has two words (the buttons'), so this is
  what the student asked for: a "Менеджер по продажам B2B" who chose "Менеджер по продажам" and got
  "Менеджер по продажам" postings, or a "Системный аналитик BPM системы" who chose "Системный
  аналитик" and got five system analysts, got the field they chose;
- *the held-out title's family* (up to three words, ``fields_eval``'s title-family precision, the
  target's before): the same answers count as misses there, as no choice can name "B2B", "BPM
  системы" or "Linux". It is kept beside the first so the two stay comparable across rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from recommender.evaluation.fields_eval import FamilyQuery
from recommender.evaluation.metrics import mean
from recommender.recommend.choices import FieldChoice, choice_key
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

    # per definition (the chosen field's family, the held-out title's): unchosen, chosen
    unchosen: dict[str, list[float]] = {"field": [], "title": []}
    direct: dict[str, list[float]] = {"field": [], "title": []}
    chosen = []
    offered = own = applied = 0
    for query in queries:
        asked = recommender.vocabulary.query_of(query.skills, ", ".join(query.skills))
        key = choice_key(query.title)
        families = {"field": tuple(key.split()), "title": query.family}
        plain = recommender.recommend(asked, k=K)
        mine = recommender.recommend(asked, k=K, field=key)
        applied += mine.field is not None
        for name, family in families.items():
            before = precision(plain, family)
            unchosen[name].append(before)
            direct[name].append(precision(mine, family) if mine.field is not None else before)
        offered += bool(plain.fields)
        choice = own_choice(plain.fields, query.title)
        if choice is None:
            chosen.append(unchosen["title"][-1])
            continue
        own += 1
        chosen.append(precision(recommender.recommend(asked, k=K, field=choice.key), query.family))
    n = len(queries)
    return {
        "queries": n,
        "unchosen_field": mean(unchosen["field"]),
        "chosen_field": mean(direct["field"]),
        "unchosen": mean(unchosen["title"]),
        "chosen": mean(direct["title"]),
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
        "| a hit: a listed vacancy whose title is in the field chosen (the key's two words) | |",
        f"| title-family precision@5, unchosen | {s.get('unchosen_field', 0.0):.3f} |",
        f"| title-family precision@5, own field chosen (applied for {s.get('applied', 0):.1%} of queries) | "
        f"{s.get('chosen_field', 0.0):.3f} (target ≥ {s['target']}) |",
        "| a hit: a listed vacancy whose title is in the held-out title's family (up to three words) | |",
        f"| title-family precision@5, unchosen (the answer's five listed vacancies) | {s['unchosen']:.3f} |",
        f"| title-family precision@5, own field chosen | {s['chosen']:.3f} |",
        f"| title-family precision@5, own field chosen among the buttons offered | "
        f"{s.get('chosen_from_buttons', s['chosen']):.3f} |",
        f"| answers offering a choice | {s['offered']:.1%} |",
        f"| answers offering the vacancy's own field | {s['own_offered']:.1%} |",
        "",
    ]
