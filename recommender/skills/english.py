"""Skill names in English for English-speaking users.

The vocabulary shows a skill by one display name, Russian for many ("СУБД", "Визуализация").
``english_name`` gives its English spelling: the curated table ``resources/skills_en.txt``
first, then the curated skill's first English alias (``skills.yaml``), else the name as it is
(a proper name such as an employer's product stays recognisable).
"""

from __future__ import annotations

import re
from functools import lru_cache

from recommender.skills.resources import _lines, _read_text, load_resources

ENGLISH_FILE = "skills_en.txt"
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
MIN_ALIAS_CHARS = 3
ACRONYM_CHARS = 4  # an alias this short and all letters is an acronym: "dbms" → "DBMS"


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("ё", "е").split())


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def _alias_name(alias: str) -> str:
    if len(alias) <= ACRONYM_CHARS and alias.isalpha():
        return alias.upper()
    return alias[:1].upper() + alias[1:]


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for skill in load_resources().skills:  # aliases first: the curated table below overrides them
        english = [a for a in skill.aliases if not has_cyrillic(a) and len(a) >= MIN_ALIAS_CHARS]
        if has_cyrillic(skill.display) and english:
            names[_key(skill.display)] = _alias_name(english[0])
    for line in _lines(_read_text(ENGLISH_FILE)):
        russian, _, english_name = line.rpartition(" | ")
        if russian and english_name:
            names[_key(russian)] = english_name.strip()
    return names


def english_name(display: str) -> str:
    """``display`` in English when it is Russian and an English name is known, else unchanged."""
    if not has_cyrillic(display):
        return display
    return _english_names().get(_key(display), display)


def display_in(lang: str, display: str) -> str:
    """A skill's display name as a reader of ``lang`` ("ru" or "en") should see it."""
    return english_name(display) if lang == "en" else display
