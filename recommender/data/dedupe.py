"""One job, one entry: the same vacancy posted on hh.ru and on Работа России is merged.

Two records are the same job when they come from different sources, their employers match
after normalization (legal forms such as ООО/АО/ИП, quotes and case dropped), their titles
match after normalization (case, ё, punctuation, bracketed notes), they are in the same city,
and they were published within ``MAX_DAYS_APART`` days of each other. Records without an
employer, city or date are never merged: nothing vouches for them.

Records are blocked by (employer, city, title), so the work is linear in the number of records
plus the size of the largest block. Within a block every record of one source is paired with
the nearest-dated unpaired record of another source (ties broken by input order): one-to-one,
deterministic. The merged entry is the record of the preferred source (hh.ru: cards carry key
skills and full descriptions), with what it lacks filled from the other, and the other's link
in ``also_at``. Measured precision and recall: docs/fresh-data.md, "Dedupe".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from recommender.data.models import Vacancy

MAX_DAYS_APART = 14
SOURCE_PREFERENCE = ("hh", "trudvsem")  # which record of a pair stays the entry

# Legal forms as whole words: Russian abbreviations and their spelled-out forms, and a few
# foreign ones. "АО" alone also covers "АО" in "ПАО"/"НАО"/"ЗАО" spelled as separate words.
_LEGAL_FORMS = re.compile(
    r"\b(?:ооо|оао|зао|пао|нао|ао|ип|гуп|муп|фгуп|гбу|гку|мбу|мку|ано|нко|тоо|"
    r"llc|ltd|inc|gmbh|"
    r"общество с ограниченной ответственностью|(?:публичное |закрытое |открытое )?акционерное общество|"
    r"индивидуальный предприниматель)\b"
)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_WORD = re.compile(r"[^\w+#]+")


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def normalize_employer(name: str) -> str:
    """'ООО "Ромашка"' / 'ромашка, ооо' / '«РОМАШКА»' → 'ромашка'."""
    folded = _LEGAL_FORMS.sub(" ", _fold(name))
    return " ".join(_NON_WORD.sub(" ", folded).split())


def normalize_title(title: str) -> str:
    """'Инженер-программист (1С)' → 'инженер программист'; 'C++ developer' keeps its '+'."""
    return " ".join(_NON_WORD.sub(" ", _BRACKETS.sub(" ", _fold(title))).replace("_", " ").split())


def _block(vacancy: Vacancy) -> tuple[str, str, str] | None:
    employer, city = normalize_employer(vacancy.employer), _fold(vacancy.area).strip()
    title = normalize_title(vacancy.title)
    if not (employer and city and title and vacancy.published_at):
        return None
    return employer, city, title


def _utc(moment: datetime) -> datetime:
    """Comparable across sources: an aware time in UTC without its zone; a naive one as it is."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _days_apart(a: Vacancy, b: Vacancy) -> float:
    assert a.published_at is not None and b.published_at is not None  # checked by _block
    return abs((_utc(a.published_at) - _utc(b.published_at)).total_seconds()) / 86_400


def _rank(source: str) -> int:
    return SOURCE_PREFERENCE.index(source) if source in SOURCE_PREFERENCE else len(SOURCE_PREFERENCE)


def match_pairs(vacancies: Sequence[Vacancy]) -> list[tuple[int, int]]:
    """Index pairs (entry, duplicate) of the same job on two sources; the entry is the record
    of the preferred source. Each record is in at most one pair."""
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, vacancy in enumerate(vacancies):
        key = _block(vacancy)
        if key is not None:
            blocks[key].append(index)
    pairs: list[tuple[int, int]] = []
    for members in blocks.values():
        if len({vacancies[i].source for i in members}) > 1:
            pairs.extend(_pair_block(vacancies, members))
    return sorted(pairs)


def _pair_block(vacancies: Sequence[Vacancy], members: list[int]) -> list[tuple[int, int]]:
    """Closest-in-time cross-source pairs first, each record used once."""
    candidates = sorted(
        (days, a, b)
        for n, a in enumerate(members)
        for b in members[n + 1 :]
        if vacancies[a].source != vacancies[b].source
        and (days := _days_apart(vacancies[a], vacancies[b])) <= MAX_DAYS_APART
    )
    used: set[int] = set()
    pairs = []
    for _days, a, b in candidates:
        if a in used or b in used:
            continue
        used.update((a, b))
        entry, duplicate = sorted((a, b), key=lambda i: (_rank(vacancies[i].source), i))
        pairs.append((entry, duplicate))
    return pairs


def merge(entry: Vacancy, duplicate: Vacancy) -> Vacancy:
    """The entry, with what it lacks taken from the duplicate and the duplicate's link kept."""
    links = [*entry.also_at, duplicate.url, *duplicate.also_at]
    updated = [d for d in (entry.updated_at, duplicate.updated_at) if d is not None]
    return replace(
        entry,
        salary=entry.salary or duplicate.salary,
        experience=entry.experience or duplicate.experience,
        key_skills=entry.key_skills or duplicate.key_skills,
        text=entry.text or duplicate.text,
        updated_at=max(updated, key=_utc) if updated else None,
        also_at=tuple(link for link in dict.fromkeys(links) if link and link != entry.url),
    )


def dedupe(vacancies: Sequence[Vacancy]) -> list[Vacancy]:
    """The records with each cross-source duplicate merged into its entry, in input order."""
    pairs = match_pairs(vacancies)
    merged = {entry: merge(vacancies[entry], vacancies[duplicate]) for entry, duplicate in pairs}
    dropped = {duplicate for _entry, duplicate in pairs}
    return [merged.get(i, v) for i, v in enumerate(vacancies) if i not in dropped]
