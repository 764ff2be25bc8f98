"""The sector of every indexed vacancy (from its title), and a job title read as a query.

A nurse typing "медсестра" and a teacher typing "учитель" must get their field or an honest
"too few vacancies", never a driver or a programmer: the recommender ranks the query's sector
first and draws the specialization and advice from it (``Recommender.recommend``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from recommender.skills.query import Query
from recommender.skills.sectors import IT, Sectors
from recommender.skills.understand import without_job_titles

NO_SECTOR = -1
# Vacancies of a sector the corpus must hold for the answer to name a field of it; with fewer,
# the answer names the sector and says how few there are.
MIN_SECTOR_ROWS = 30
TITLE_QUERY_SKILLS = 6  # skills a typed job title stands for
MIN_HEADED = 5  # titles beginning with the typed word that are enough to stand for it alone


@dataclass(frozen=True, slots=True)
class SectorAnswer:
    """The sector of an answer: its id and names, how many vacancies the corpus holds of it, and
    whether that is too few to name a field inside it (``thin``)."""

    id: str
    name_ru: str
    name_en: str
    vacancies: int
    thin: bool


class SectorRows:
    """Per indexed row, the code of the sector its title names (NO_SECTOR for none)."""

    def __init__(self, titles: Sequence[str], sectors: Sectors) -> None:
        self.sectors = sectors
        self.ids = list(sectors.sectors)
        code = {sector: i for i, sector in enumerate(self.ids)}
        of_title: dict[str, int] = {}  # re-posted titles repeat: read each distinct one once
        codes = np.empty(len(titles), dtype=np.int16)
        for row, title in enumerate(titles):
            found = of_title.get(title)
            if found is None:
                sector = sectors.of_title(title or "")
                found = of_title[title] = NO_SECTOR if sector is None else code[sector]
            codes[row] = found
        self.codes = codes

    def mask(self, sector_id: str) -> np.ndarray:
        return self.codes == self.ids.index(sector_id)

    def answer(self, sector_id: str) -> SectorAnswer:
        sector = self.sectors[sector_id]
        count = int(np.count_nonzero(self.mask(sector_id)))
        return SectorAnswer(sector.id, sector.name_ru, sector.name_en, count, thin=count < MIN_SECTOR_ROWS)

    def other_sector(self, sector_id: str) -> np.ndarray:
        """Rows whose titles name another sector than ``sector_id`` (IT vacancies included)."""
        return (self.codes != NO_SECTOR) & ~self.mask(sector_id)


def is_field_sector(sector_id: str | None) -> bool:
    """Sectors an answer is kept inside: every one but IT, whose fields the topics tell apart."""
    return sector_id is not None and sector_id != IT


def title_skills(
    typed: Sequence[str],
    titles: Sequence[str],
    in_sector: np.ndarray,
    skill_rows,
    names: Sequence[str],
    hard: np.ndarray,
    n_skills: int = TITLE_QUERY_SKILLS,
) -> tuple[str, ...]:
    """The skills most asked for by the sector's vacancies whose titles have the typed title words
    (those beginning with one, when there are enough), hard skills only: what a typed job title
    stands for. All the sector's vacancies when no title has the words."""
    rows = np.flatnonzero(in_sector)
    if rows.size == 0:
        return ()
    lowered = [(titles[r] or "").lower().replace("ё", "е") for r in rows.tolist()]
    having = [r for r, t in zip(rows.tolist(), lowered, strict=True) if any(w in t for w in typed)]
    headed = [r for r, t in zip(rows.tolist(), lowered, strict=True) if any(t.startswith(w) for w in typed)]
    chosen = headed if len(headed) >= MIN_HEADED else having or rows.tolist()
    counts = np.asarray(skill_rows[sorted(chosen)].sum(axis=0)).ravel() * hard
    order = np.lexsort((np.arange(counts.size), -counts))[:n_skills]
    return tuple(names[c] for c in order if counts[c] > 0)


def with_skills(query: Query, skills: Sequence[str]) -> Query:
    """The query with skills a typed title stands for (the text kept: it names the sector), the
    title no longer among the terms not understood (``without_job_titles``)."""
    return replace(without_job_titles(query), skills=tuple(skills))
