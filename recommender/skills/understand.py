"""A student's text read as a skills query, once, the same way on every path.

``QueryReader.understand(text)`` cleans and caps the text, extracts its skills, applies
near-certain typo corrections (the rest stay unknown terms with suggestions, whose first
suggestions are the query's ``typo_targets``), and reads a job title typed alone
("бухгалтер") as its field: the skills its vacancies ask for most. ``Bundle.understand`` is
the entry the bot's paths and ``jobrec ask`` call; a stored profile becomes a query again
through ``Bundle.query_of_profile`` (``SkillVocabulary.query_of``), never by parsing again.

All of it is deterministic text work on the vocabulary and the indexed vacancies' titles and
skills: no model is called.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from recommender.skills.query import Query, UnknownTerm
from recommender.skills.sectors import Sectors
from recommender.skills.suggest import levenshtein

if TYPE_CHECKING:
    from recommender.skills.vocabulary import SkillVocabulary

STEM = 6  # letters compared when a typed word is matched to a title word
MIN_WORD = 4
MAX_TITLE_WORDS = 4  # longer texts are skills lists, not a job title
MIN_HEADED = 5  # titles beginning with the typed word that are enough to name its field
TITLE_SKILLS = 6  # skills a job title typed alone stands for
MIN_CORRECTED = 3  # shorter terms are too ambiguous to correct without asking


@dataclass(frozen=True, slots=True)
class Correction:
    """A typed term read as the one skill a single edit away ("pyton" → "python")."""

    term: str
    skill: str


@dataclass(frozen=True, slots=True)
class Understood:
    """The query a text means, with what was read into it: the corrections applied, and the
    title typed alone when the query is its field's skills (None otherwise)."""

    query: Query
    corrections: tuple[Correction, ...] = ()
    title: str | None = None


def autocorrect(query: Query, display: Callable[[str], Any]) -> tuple[Query, tuple[Correction, ...]]:
    """Apply near-certain corrections: an unknown term whose suggestions include exactly one skill
    one edit away (in its canonical or display spelling). The rest stay suggestions."""
    corrections: list[Correction] = []
    kept: list[UnknownTerm] = []
    skills = list(query.skills)
    for unknown in query.unknown:
        term = unknown.term.strip().lower()
        close = [
            s for s in unknown.suggestions
            if min(levenshtein(term, s.lower()), levenshtein(term, str(display(s)).lower())) <= 1
        ]  # fmt: skip
        if len(close) == 1 and len(term) >= MIN_CORRECTED:
            corrections.append(Correction(unknown.term, close[0]))
            if close[0] not in skills:
                skills.append(close[0])
        else:
            kept.append(unknown)
    if not corrections:
        return query, ()
    return replace(query, skills=tuple(skills), unknown=tuple(kept)), tuple(corrections)


def without_job_titles(query: Query) -> Query:
    """A job title typed beside skills ("teacher, english") is no unknown skill: the answer reads it
    as the field (``Sectors.of_query``), so it is not reported back with suggestions."""
    sectors = Sectors.default()
    kept = tuple(u for u in query.unknown if not sectors.title_words(u.term))
    return query if len(kept) == len(query.unknown) else replace(query, unknown=kept)


def title_stems(text: str) -> list[str]:
    """The words of a title or a typed text as compared: their first STEM letters, short words left out."""
    return [w[:STEM] for w in re.findall(r"[\w+#]+", text.lower()) if len(w) >= MIN_WORD]


class TitleIndex:
    """The indexed vacancies' titles by word: stem → rows, and each title's first stem."""

    def __init__(self, titles: Sequence[str]) -> None:
        self.rows: dict[str, set[int]] = {}
        self.heads: list[str] = []
        for row, title in enumerate(titles):
            stems = title_stems(title or "")
            self.heads.append(stems[0] if stems else "")
            for stem in stems:
                self.rows.setdefault(stem, set()).add(row)

    def rows_named(self, stems: Sequence[str]) -> set[int]:
        """Rows whose titles have every stem; those beginning with the first, when there are enough:
        "Бухгалтер", "Главный бухгалтер" name the job, "Программист 1С: Бухгалтерия" does not."""
        rows = set.intersection(*(self.rows.get(s, set()) for s in stems))
        headed = {row for row in rows if self.heads[row] == stems[0]}
        return headed if len(headed) >= MIN_HEADED else rows


class QueryReader:
    """Reads texts with one vocabulary over one set of indexed vacancies (their titles, and their
    skills as a rows × skills matrix). The title index is built at the first title typed alone."""

    def __init__(
        self,
        vocabulary: SkillVocabulary,
        titles: Sequence[str],
        skill_rows: Any,
        skill_names: Sequence[str],
    ) -> None:
        self.vocabulary = vocabulary
        self._titles = titles
        self._skill_rows = skill_rows
        self._skill_names = skill_names
        self._title_index: TitleIndex | None = None

    def understand(self, text: object) -> Understood:
        """The text's query: parsed once (cleaned, capped), near-certain typos corrected, and, when
        no skill is left, a job title typed alone read as its field's skills."""
        query, corrections = autocorrect(self.vocabulary.parse(text), self.vocabulary.display)
        query = without_job_titles(query)
        if query.empty:
            skills = self.skills_of_title(query.text)
            if skills:
                return Understood(Query(text=query.text, skills=skills), corrections, title=query.text)
        return Understood(query, corrections)

    def skills_of_title(self, text: str) -> tuple[str, ...]:
        """A title typed alone ("тестировщик"): the skills most asked by the vacancies with its words
        in their titles, most asked first; () when no title has them or the text is a longer one."""
        stems = title_stems(text)
        if not stems or len(text.split()) > MAX_TITLE_WORDS:
            return ()
        if self._title_index is None:
            self._title_index = TitleIndex(self._titles)
        rows = self._title_index.rows_named(stems)
        if not rows:
            return ()
        # what the job is, whatever topic it shares
        counts = np.asarray(self._skill_rows[sorted(rows)].sum(axis=0)).ravel()
        order = np.lexsort((np.arange(counts.size), -counts))[:TITLE_SKILLS]
        return tuple(self._skill_names[c] for c in order if counts[c] > 0)
