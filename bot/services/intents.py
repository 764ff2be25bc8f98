"""What a message means before it is a skills query: a greeting, a salary question, a job
title typed alone; and near-certain typo corrections.

All of it is deterministic text work on the parsed query and the serving bundle's plain data
(topic labels, topic skill shares, vacancy titles): no model is called here.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from recommender.skills.query import Query, UnknownTerm
from recommender.skills.suggest import levenshtein

GREETING = re.compile(
    r"^\W*(привет|приветик|приветствую|здравствуй\w*|здрасте|добр\w+\s+(утро|день|вечер)|доброе|хай|салют|ку|"
    r"hi|hello|hey|good\s+(morning|afternoon|evening)|спасибо|благодарю|thanks|thank\s+you|"
    r"как\s+дела|что\s+ты\s+умеешь|ты\s+кто|кто\s+ты|what\s+can\s+you\s+do|help|помощь|помоги\w*)\W*$",
    re.IGNORECASE,
)
SALARY_QUESTION = re.compile(
    r"\b(сколько\s+(сейчас\s+)?(получа\w*|зарабатыва\w*|плат\w*|да[ёе]т|стоит)|какая\s+зарплата|"
    r"зарплат\w*|зп|оклад\w*|доход\w*|how\s+much|salary|salaries|pay\s+for)\b",
    re.IGNORECASE,
)
# Words around the subject of a salary question: "сколько получает [тестировщик] в Москве?"
FILLER = re.compile(
    r"\b(в\s+месяц|в\s+год|сейчас|обычно|примерно|у\s+нас|в\s+россии|в\s+среднем|на\s+руки|"
    r"у|на|для|по|в|of|for|a|an|the|in\s+russia|per\s+month|does|do|is|can|earns?|makes?|make|paid|"
    r"gets?|junior|middle|senior)\b",
    re.IGNORECASE,
)
STEM = 6  # letters compared when a typed word is matched to a title word
MIN_WORD = 4
MAX_TITLE_WORDS = 4  # longer texts are skills lists, not a job title


def is_greeting(text: str) -> bool:
    return bool(GREETING.match(text.strip())) and len(text) <= 60


def salary_subject(text: str) -> str | None:
    """The field or title a salary question names ("тестировщик"), None when it is no salary question."""
    if not SALARY_QUESTION.search(text):
        return None
    subject = SALARY_QUESTION.sub(" ", text)
    subject = FILLER.sub(" ", subject)
    subject = re.sub(r"[?!.,;:«»\"()]+", " ", subject)
    return " ".join(subject.split())


@dataclass(frozen=True, slots=True)
class FieldGuess:
    """A job title read as a field: the topic it names and a query made of that field's skills."""

    title: str
    label: str
    query: Query


def _stems(text: str) -> list[str]:
    return [w[:STEM] for w in re.findall(r"[\w+#]+", text.lower()) if len(w) >= MIN_WORD]


def field_of_title(bundle: Any, text: str, n_skills: int = 6) -> FieldGuess | None:
    """A title typed alone ("тестировщик", "бухгалтер"): the topic most vacancies with that word in
    their title belong to, and its most asked skills as the query. None when no title has the word."""
    stems = _stems(text)
    if not stems or len(text.split()) > MAX_TITLE_WORDS:
        return None
    recommender = bundle.recommender()
    index = recommender.index
    titles = _TitleIndex.of(recommender)
    rows = set.intersection(*(titles.rows.get(s, set()) for s in stems))
    topics: Counter[int] = Counter(t for t in (titles.dominant[row] for row in rows) if t is not None)
    if not topics:
        return None
    topic = min(topics, key=lambda t: (-topics[t], t))  # the most common; ties to the lower id
    shares = np.asarray(recommender.topic_shares[topic])
    order = np.lexsort((np.arange(shares.size), -shares))[:n_skills]
    skills = tuple(index.skills.names[c] for c in order if shares[c] > 0)
    if not skills:
        return None
    label = recommender.topic_labels[topic] if topic < len(recommender.topic_labels) else ""
    return FieldGuess(text.strip(), label, Query(text=text.strip(), skills=skills))


@dataclass(frozen=True, slots=True)
class _TitleIndex:
    """Per recommender, once: title word stem → rows, and each row's dominant topic."""

    rows: dict[str, set[int]]
    dominant: list[int | None]

    @staticmethod
    @functools.lru_cache(maxsize=2)
    def of(recommender: Any) -> _TitleIndex:
        rows: dict[str, set[int]] = {}
        for row, title in enumerate(recommender.index.titles):
            for stem in _stems(title):
                rows.setdefault(stem, set()).add(row)
        return _TitleIndex(rows, recommender.dominant_topics())


@dataclass(frozen=True, slots=True)
class Correction:
    term: str
    skill: str


def autocorrect(query: Query, display: Any) -> tuple[Query, list[Correction]]:
    """Apply near-certain corrections: an unknown term whose suggestions include exactly one skill
    one edit away (in its canonical or display spelling). The rest stay suggestions (buttons)."""
    corrections: list[Correction] = []
    kept: list[UnknownTerm] = []
    skills = list(query.skills)
    for unknown in query.unknown:
        term = unknown.term.strip().lower()
        close = [
            s for s in unknown.suggestions
            if min(levenshtein(term, s.lower()), levenshtein(term, str(display(s)).lower())) <= 1
        ]  # fmt: skip
        if len(close) == 1 and len(term) >= 3:
            corrections.append(Correction(unknown.term, close[0]))
            if close[0] not in skills:
                skills.append(close[0])
        else:
            kept.append(unknown)
    if not corrections:
        return query, []
    return replace(query, skills=tuple(skills), unknown=tuple(kept)), corrections


def typo_targets(query: Query) -> set[str]:
    """Skills the user probably meant by a typo: never advised back to them, never listed as lacking."""
    return {u.suggestions[0] for u in query.unknown if u.suggestions}
