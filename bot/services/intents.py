"""What a message means before it is a skills query: a greeting, a salary question, a job
title typed alone; and near-certain typo corrections.

All of it is deterministic text work on the parsed query and the serving bundle's plain data
(vacancy titles and the skills they ask for): no model is called here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from recommender.skills.query import Query, UnknownTerm
from recommender.skills.suggest import levenshtein

if TYPE_CHECKING:
    from recommender.bundle import Bundle
    from recommender.recommend import Recommender

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
MIN_HEADED = 5  # titles beginning with the typed word that are enough to name its field


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
    """A job title read as a field: a query made of the skills its vacancies ask for most."""

    title: str
    query: Query


def _stems(text: str) -> list[str]:
    return [w[:STEM] for w in re.findall(r"[\w+#]+", text.lower()) if len(w) >= MIN_WORD]


def field_of_title(bundle: Bundle, text: str, n_skills: int = 6) -> FieldGuess | None:
    """A title typed alone ("тестировщик", "бухгалтер"): the skills most asked by vacancies with that
    word in their titles (those beginning with it, when there are enough) as the query; the answer
    then names the field as for any skills. None when no title has the word."""
    stems = _stems(text)
    if not stems or len(text.split()) > MAX_TITLE_WORDS:
        return None
    recommender = bundle.recommender()
    index = recommender.index
    titles = _TitleIndex.of(recommender)
    rows = set.intersection(*(titles.rows.get(s, set()) for s in stems))
    # "Бухгалтер", "Главный бухгалтер" name the job; "Программист 1С: Бухгалтерия" does not:
    # titles that begin with the typed word decide when there are enough of them
    headed = {row for row in rows if titles.heads[row] == stems[0]}
    if len(headed) >= MIN_HEADED:
        rows = headed
    if not rows:
        return None
    # the skills those vacancies ask for most: what the job is, whatever topic it shares
    counts = np.asarray(index.skills.rows[sorted(rows)].sum(axis=0)).ravel()
    order = np.lexsort((np.arange(counts.size), -counts))[:n_skills]
    skills = tuple(index.skills.names[c] for c in order if counts[c] > 0)
    if not skills:
        return None
    return FieldGuess(text.strip(), Query(text=text.strip(), skills=skills))


@dataclass(frozen=True, slots=True)
class _TitleIndex:
    """Per recommender, once: title word stem → rows, and each title's first word."""

    rows: dict[str, set[int]]
    heads: list[str]  # each title's first word stem

    @staticmethod
    @functools.lru_cache(maxsize=2)
    def of(recommender: Recommender) -> _TitleIndex:
        rows: dict[str, set[int]] = {}
        heads: list[str] = []
        for row, title in enumerate(recommender.index.titles):
            stems = _stems(title)
            heads.append(stems[0] if stems else "")
            for stem in stems:
                rows.setdefault(stem, set()).add(row)
        return _TitleIndex(rows, heads)


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
