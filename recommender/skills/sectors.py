"""Sectors: the field of work a student comes from (medicine, education, finance, IT, ...).

A sector is named by a job title ("медсестра", "teacher", "главный бухгалтер") or by the
curated skills of its field ("сестринское дело", "педагогика", "1С:Бухгалтерия"); the table is
``recommender/resources/sectors.yaml``. Answers use it so that a nurse is never told she is a
driver: the recommender ranks a query's sector first and names the sector honestly when the
corpus holds too few of its vacancies.

Plain text work, no model: ``Sectors.default()`` reads the table once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import yaml

from recommender.skills.normalize import canonical_name

SECTORS_FILE = "sectors.yaml"
IT = "it"
# Sectors whose skills (paperwork, negotiation) suit every other: never "another sector's" advice.
SHARED_SECTORS = frozenset({"office", "sales"})
TITLE_WEIGHT = 3  # a job title typed says more about the field than any one skill
_WORD = re.compile(r"[\w+#]")


@dataclass(frozen=True, slots=True)
class Sector:
    id: str
    name_ru: str
    name_en: str
    titles: tuple[str, ...]  # title stems, lower case, "ё" as "е"; "$" ends a whole word
    skill_fields: frozenset[str]  # curated skill fields of the sector
    skills: frozenset[str]  # canonical skills of other fields that belong here

    def name(self, lang: str = "ru") -> str:
        return self.name_en if lang == "en" else self.name_ru


@dataclass(frozen=True, slots=True)
class SectorGuess:
    """The sector a query names, with the evidence: title words typed and skills of the sector."""

    sector: Sector
    titles: tuple[str, ...]  # the typed words that are job titles of the sector
    skills: tuple[str, ...]  # the query's skills of the sector


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


class Sectors:
    """The sector table: which sector a title or a query names."""

    def __init__(self, sectors: Sequence[Sector], neutral: Iterable[str] = ()) -> None:
        self.sectors = {s.id: s for s in sectors}
        self.neutral = frozenset(canonical_name(skill) for skill in neutral)
        stems = sorted(((stem, s.id) for s in sectors for stem in s.titles), key=lambda p: -len(p[0]))
        pattern = "|".join(_stem_pattern(stem) for stem, _ in stems)
        self._pattern = re.compile(rf"(?<![\w+#])(?:{pattern})")
        self._sector_of_stem = {stem.rstrip("$").strip(): sector for stem, sector in stems}

    @staticmethod
    @functools.cache
    def default() -> Sectors:
        text = resources.files("recommender.resources").joinpath(SECTORS_FILE).read_text(encoding="utf-8")
        document = yaml.safe_load(text) or {}
        return Sectors(parse_sectors(document.get("sectors") or {}), document.get("neutral_skills") or ())

    def __getitem__(self, sector_id: str) -> Sector:
        return self.sectors[sector_id]

    def title_words(self, text: str) -> list[tuple[str, str]]:
        """(title words, sector id) of every job title the text names, in order of appearance."""
        found = []
        for match in self._pattern.finditer(fold(text)):
            found.append((match.group(0).strip(), self._sector_of_stem[match.group(0).strip()]))
        return found

    def of_title(self, title: str) -> str | None:
        """The sector a vacancy title names: its first title word ("Программист 1С: Бухгалтерия": it)."""
        match = self._pattern.search(fold(title))
        return self._sector_of_stem[match.group(0).strip()] if match else None

    def of_skill(self, skill: str, field_of: Callable[[str], str | None]) -> str | None:
        """The sector a canonical skill belongs to, None for a skill of every field (Excel, English)."""
        if skill in self.neutral:
            return None
        for sector in self.sectors.values():
            if skill in sector.skills:
                return sector.id
        field = field_of(skill)
        if field is None:
            return None
        for sector in self.sectors.values():
            if field in sector.skill_fields:
                return sector.id
        return None

    def of_query(
        self, text: str, skills: Iterable[str], field_of: Callable[[str], str | None]
    ) -> SectorGuess | None:
        """The sector a query names: job titles typed count TITLE_WEIGHT each, skills one each.

        None when nothing names a sector or two sectors tie ("python, бухгалтерский учёт" names
        no one field): then the answer is left to the skills alone.
        """
        votes: dict[str, float] = {}
        titles: dict[str, list[str]] = {}
        for words, sector in self.title_words(text):
            votes[sector] = votes.get(sector, 0.0) + TITLE_WEIGHT
            titles.setdefault(sector, []).append(words)
        own: dict[str, list[str]] = {}
        for skill in skills:
            skill_sector = self.of_skill(skill, field_of)
            if skill_sector is not None:
                votes[skill_sector] = votes.get(skill_sector, 0.0) + 1
                own.setdefault(skill_sector, []).append(skill)
        if not votes:
            return None
        ranked = sorted(votes.items(), key=lambda item: -item[1])
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None
        best = ranked[0][0]
        return SectorGuess(self.sectors[best], tuple(titles.get(best, ())), tuple(own.get(best, ())))


def _stem_pattern(stem: str) -> str:
    whole = stem.endswith("$")
    body = re.escape(stem.rstrip("$"))
    # a stem ending inside a word covers its endings; one ending in a space or "$" is whole
    return rf"{body}(?![\w+#])" if whole else body


def parse_sectors(document: dict) -> list[Sector]:
    sectors = []
    for sector_id, entry in document.items():
        name_ru, name_en = entry["name"]
        sectors.append(
            Sector(
                id=str(sector_id),
                name_ru=str(name_ru),
                name_en=str(name_en),
                titles=tuple(fold(str(t)) for t in entry.get("titles") or ()),
                skill_fields=frozenset(str(f) for f in entry.get("skill_fields") or ()),
                skills=frozenset(canonical_name(str(s)) for s in entry.get("skills") or ()),
            )
        )
    return sectors
