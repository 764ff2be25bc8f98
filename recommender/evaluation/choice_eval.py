"""Letting the student pick the field: title-family precision@5 with the held-out vacancy's own
field chosen, beside the same answers unchosen.

Each held-out vacancy (title-family queries of ``fields_eval``) asks with its skills, as a
student would. A hit is a listed vacancy whose title is in the held-out title's family (up to three
words, ``fields_eval``'s title-family precision): a "Системный аналитик BPM системы" is answered
well by BPM system analysts, not by system analysts in general.

- *Own field chosen*: the student names their own field as finely as the answer lets them: their
  title's family (``recommend(field=...)``: "аналит bpm систем", a narrower field offered under a
  chosen one, ``choices.subfield_choices``), else its first two words (``choices.choice_key``: a
  button of the first row), applied when the answer's best matches have some of it;
- *among the buttons*: only as the buttons allow: the offered field the title is in
  (``Recommendation.fields``), then, in the answer within it, the narrower field offered that the
  title is in, if any.

Queries where no field applies keep the unchosen answer. Every column counts the five vacancies the
answer lists.
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

    def precision(result: Any, family: Sequence[str]) -> float:
        rows = [row_of[v.id] for v in result.vacancies]
        return sum(in_family(train_families[r], tuple(family)) for r in rows) / K

    unchosen, chosen, from_buttons = [], [], []
    offered = own = narrower = applied = 0
    for query in queries:
        asked = recommender.vocabulary.query_of(query.skills, ", ".join(query.skills))
        plain = recommender.recommend(asked, k=K)
        mine = finest_choice(recommender, asked, query)
        applied += mine.field is not None
        unchosen.append(precision(plain, query.family))
        chosen.append(precision(mine if mine.field is not None else plain, query.family))
        offered += bool(plain.fields)
        pressed, depth = pressed_own(recommender, asked, plain, query.title)
        own += depth >= 1
        narrower += depth == 2
        from_buttons.append(precision(pressed, query.family))
    n = len(queries)
    return {
        "queries": n,
        "unchosen": mean(unchosen),
        "chosen": mean(chosen),
        "chosen_from_buttons": mean(from_buttons),
        "applied": applied / n if n else 0.0,
        "offered": offered / n if n else 0.0,
        "own_offered": own / n if n else 0.0,
        "own_narrower_offered": narrower / n if n else 0.0,
        "target": TARGET,
    }


def finest_choice(recommender: Any, asked: Any, query: FamilyQuery) -> Any:
    """The answer within the query's own field, named as finely as it applies: the title's family,
    else its first two words (``choice_key``); ``field`` None when neither applies."""
    finest = " ".join(sorted(query.family))
    mine = recommender.recommend(asked, k=K, field=finest)
    broad = choice_key(query.title)
    if mine.field is None and broad != finest:
        mine = recommender.recommend(asked, k=K, field=broad)
    return mine


def pressed_own(recommender: Any, asked: Any, plain: Any, title: str) -> tuple[Any, int]:
    """The answer a student reaches by pressing the buttons their title is in: the offered field,
    then the narrower one offered within it; with how many presses (0, 1 or 2)."""
    choice = own_choice(plain.fields, title)
    if choice is None:
        return plain, 0
    first = recommender.recommend(asked, k=K, field=choice.key)
    sub = own_choice([c for c in first.fields if c.parent], title)
    if sub is None:
        return first, 1
    return recommender.recommend(asked, k=K, field=sub.key), 2


def choice_markdown(section: dict[str, Any]) -> list[str]:
    s = section
    return [
        "## Letting the student pick the field",
        "",
        f"{s['queries']} held-out vacancies ask with their skills (the title-family queries above). "
        "An answer offers fields when its best matches split across title families "
        "(`Recommendation.fields`), and once one is chosen, the narrower fields its own matches split "
        "into. *Own field chosen*: the student names their field as finely as the answer allows (the "
        "title's family of up to three words, else its first two), and `recommend(field=...)` re-ranks "
        "within it reusing the query's scores; *among the buttons*: they press the offered field their "
        "title is in, then the narrower one if offered. A hit is a listed vacancy whose title is in the "
        "held-out title's family (`recommender/evaluation/choice_eval.py`).",
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
        f"| ... and, once it is chosen, the vacancy's own narrower field | "
        f"{s.get('own_narrower_offered', 0.0):.1%} |",
        "",
    ]
