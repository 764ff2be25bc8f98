"""What a recommendation returns: plain dataclasses with a stable JSON form.

``Recommendation.to_dict()`` is the object ``jobrec ask --json`` prints; the bot and the
evaluation read these key names, so keep them stable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from recommender.data.money import PublishedPay
from recommender.recommend.choices import FieldChoice
from recommender.recommend.sector_rows import SectorAnswer
from recommender.skills.query import UnknownTerm


@dataclass(frozen=True, slots=True)
class SkillShare:
    skill: str
    share: float  # share of the specialization's vacancies asking for the skill


@dataclass(frozen=True, slots=True)
class Specialization:
    topic: int
    label: str
    score: float
    top_skills: list[SkillShare]
    # Another field nearly as close to the query, under another name (shown beside this one).
    second: Specialization | None = None


@dataclass(frozen=True, slots=True)
class VacancyMatch:
    id: str  # the source's own id
    title: str
    employer: str
    area: str
    url: str
    salary: float | None  # monthly net roubles, the comparable figure
    pay: PublishedPay | None  # as published, in its own currency; None when not stated
    score: float
    matched_skills: list[str]  # the vacancy asks for them and the user has them
    missing_skills: list[str]  # the vacancy asks for them and the user lacks them
    schedule: str | None = None
    experience: str | None = None
    employment: str | None = None
    published_at: str | None = None  # ISO date of publication at the source
    # a strong match: shares two of the user's skills (all of a one-skill query), or names the
    # field in its title and shares one (``recommender.match_tiers``); within a field the student
    # chose, that field's vacancies sharing one (``chosen_field_tiers``); the header counts these
    strong: bool = False
    source: str = "hh"  # "hh" | "trudvsem"
    country: str = ""  # the country's name; "" when unknown (Russia)
    also_at: tuple[str, ...] = ()  # the same job at other sources (merged by recommender.data.dedupe)

    @property
    def key(self) -> str:
        """``Vacancy.key``, "source:id": how the bot refers to the vacancy."""
        return f"{self.source}:{self.id}"


@dataclass(frozen=True, slots=True)
class SkillAdvice:
    skill: str
    score: float
    share: float  # share of the vacancies nearest to the query asking for the skill


@dataclass(slots=True)
class Recommendation:
    query_text: str  # the text answered (Query.text); the parsed query is the caller's Query
    model: str
    skills_recognized: list[str] = field(default_factory=list)
    unknown_terms: list[UnknownTerm] = field(default_factory=list)
    specialization: Specialization | None = None
    vacancies: list[VacancyMatch] = field(default_factory=list)
    total_vacancies: int = 0  # strong matches (VacancyMatch.strong) passing the filters
    # strong matches plus weaker ones sharing at least one skill: what paging can reach
    total_candidates: int = 0
    skills_to_learn: list[SkillAdvice] = field(default_factory=list)
    # the sector outside IT the query names (a nurse's, a teacher's); ``thin``: the corpus holds
    # too few of its vacancies to name a field inside it, and the answer says so
    sector: SectorAnswer | None = None
    # the fields the best matches split into, to let the student choose ([] when they agree), and
    # the one chosen (a FieldChoice.key passed to recommend(field=...))
    fields: list[FieldChoice] = field(default_factory=list)
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the text is under "query", the key `jobrec ask --json` has always written."""
        return {("query" if key == "query_text" else key): value for key, value in asdict(self).items()}
