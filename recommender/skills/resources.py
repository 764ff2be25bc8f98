"""The curated skill files shipped in ``recommender/resources/``."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

logger = logging.getLogger(__name__)

SKILLS_FILE = "skills.yaml"
STOPLIST_FILE = "skills_stoplist.txt"
TEXT_STOPWORDS_FILE = "text_stopwords.txt"
# An alias written "=cv" is matched only when a whole query item equals it: short or
# ambiguous words ("cv", "от", "связь") would give false hits inside vacancy texts.
QUERY_ONLY_PREFIX = "="


@dataclass(frozen=True, slots=True)
class CuratedSkill:
    display: str
    field: str
    aliases: tuple[str, ...] = ()
    query_only_aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CuratedResources:
    skills: tuple[CuratedSkill, ...]
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stoplist: tuple[str, ...] = ()
    text_stopwords: frozenset[str] = frozenset()

    @property
    def alias_count(self) -> int:
        return sum(len(s.aliases) + len(s.query_only_aliases) for s in self.skills) + len(self.expansions)


def _read_text(name: str) -> str:
    return resources.files("recommender.resources").joinpath(name).read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    """Non-empty lines without comments."""
    stripped = (line.strip() for line in text.splitlines())
    return [line for line in stripped if line and not line.startswith("#")]


def parse_skills(document: dict) -> tuple[tuple[CuratedSkill, ...], dict[str, tuple[str, ...]]]:
    """Curated skills and expansions from the parsed YAML document."""
    skills: list[CuratedSkill] = []
    for field_name, entries in (document.get("fields") or {}).items():
        for display, aliases in (entries or {}).items():
            names = [str(a) for a in (aliases or [])]
            skills.append(
                CuratedSkill(
                    display=str(display),
                    field=str(field_name),
                    aliases=tuple(a for a in names if not a.startswith(QUERY_ONLY_PREFIX)),
                    query_only_aliases=tuple(
                        a[len(QUERY_ONLY_PREFIX) :] for a in names if a.startswith(QUERY_ONLY_PREFIX)
                    ),
                )
            )
    expansions = {
        str(name): tuple(str(t) for t in targets)
        for name, targets in (document.get("expansions") or {}).items()
    }
    return tuple(skills), expansions


@lru_cache(maxsize=1)
def load_resources() -> CuratedResources:
    """The curated files of the installed package (read once)."""
    skills, expansions = parse_skills(yaml.safe_load(_read_text(SKILLS_FILE)) or {})
    stoplist = tuple(_lines(_read_text(STOPLIST_FILE)))
    stopwords = frozenset(w.lower() for line in _lines(_read_text(TEXT_STOPWORDS_FILE)) for w in line.split())
    logger.debug("curated: %d skills, %d expansions, %d stoplist terms", len(skills), len(expansions),
                 len(stoplist))
    return CuratedResources(skills, expansions, stoplist, stopwords)
