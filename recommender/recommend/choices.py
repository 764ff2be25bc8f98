"""The fields a student may mean: when an answer's best matches split across job families
("SQL, BPMN, REST API, Python": analysts, Python developers, data engineers), the families are
offered, and a choice re-ranks the answer within one of them.

Key skills alone do not tell these roles apart (classifiers fitted to the roles stop at 0.65),
but the student knows which one they want. A family is ``recommender.topics.families``'s
title family (word stems of the job title: "python разработчик", "систем аналит").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recommender.topics.families import in_family, names_a_field, title_family
from recommender.topics.labels import clean_title

MAX_CHOICES = 3
MAX_CANDIDATES = 8  # commonest families looked at (each one a pass over the matches)
# of the best matches' employers, for a family to be offered: data engineers are 27 of the 200 best
# matches of "SQL, BPMN, REST API, Python", behind 109 Python developers
MIN_CHOICE_SHARE = 0.08
MIN_CHOICE_EMPLOYERS = 3
# Field masks kept (``TitleFamilies.rows``): 1 MB each at a million vacancies, and every field a
# student ever chose has one, so a replica answering for months keeps only the recent ones.
MAX_FIELD_MASKS = 64
CHOICE_WORDS = 2  # words of a family offered: "python разработчик", not "backend python разработчик"


def choice_key(title: str) -> str:
    """The key of the field a vacancy of this title is offered under: its family's first
    CHOICE_WORDS words, sorted ("Python-разработчик" and "Разработчик Python" are one)."""
    return " ".join(sorted(title_family(title)[:CHOICE_WORDS]))


@dataclass(frozen=True, slots=True)
class FieldChoice:
    """A field to choose: its key (the family's word stems, what ``recommend(field=...)`` takes),
    the commonest title of its matches ("Python-разработчик") and its share of the best matches."""

    key: str
    label: str
    share: float


class TitleFamilies:
    """Each indexed title's full family (distinct titles read once, ~1 s for 100k vacancies).
    ``known``: the families of an earlier version of the corpus, whose titles are not read again."""

    def __init__(self, titles: Sequence[str], known: TitleFamilies | None = None) -> None:
        earlier: dict[str, frozenset[str]] = known._by_title if known is not None else {}
        seen: dict[str, frozenset[str]] = {}
        for title in titles:
            if title not in seen:
                family = earlier.get(title)
                seen[title] = frozenset(title_family(title, limit=None)) if family is None else family
        self.titles = titles
        self.families = [seen[t] for t in titles]
        self._by_title: dict[str, frozenset[str]] = seen
        self._rows: dict[str, np.ndarray] = {}
        # the field-choice heads of titles still indexed (an earlier version's others are dropped)
        old_heads = known._heads if known is not None else {}
        self._heads: dict[str, tuple[tuple[str, ...], str]] = {
            t: old_heads[t] for t in seen if t in old_heads
        }

    def warm(self) -> None:
        """Read every title's head now (~1 s for 100k vacancies) rather than at the answers whose
        best matches first show it."""
        for row in range(len(self.titles)):
            self.head(row)

    def head(self, row: int) -> tuple[tuple[str, ...], str]:
        """A row's choice family (its first CHOICE_WORDS family words, unordered: "Python-разработчик"
        and "Разработчик Python" are one) and its cleaned title, read once per distinct title."""
        title = self.titles[row]
        head = self._heads.get(title)
        if head is None:
            head = self._heads[title] = (tuple(choice_key(title).split()), clean_title(title))
        return head

    def rows(self, key: str) -> np.ndarray:
        """Mask of the rows in the family ``key`` (every word of it in the title's family)."""
        mask = self._rows.get(key)
        if mask is None:
            words = tuple(key.split())
            mask = np.fromiter(
                (in_family(f, words) for f in self.families), dtype=bool, count=len(self.families)
            )
            if len(self._rows) >= MAX_FIELD_MASKS:  # the oldest goes: one bool per vacancy each
                self._rows.pop(next(iter(self._rows)), None)
            self._rows[key] = mask
        return mask


def field_choices(
    voters: np.ndarray, titles: Sequence[str], employers: np.ndarray, families: TitleFamilies
) -> list[FieldChoice]:
    """The families the answer's best matches (``voters``: its 200 best, a few per employer) split into, each
    with ``MIN_CHOICE_SHARE`` of their employers; [] when one family holds them (nothing to ask).

    Families are taken greedily by how many employers' matches they hold; one nested in an
    offered family ("backend python разработчик" in "python разработчик") is not offered again."""
    rows = voters.tolist()
    if not rows:
        return []
    owners = [int(e) if e >= 0 else -1 - r for r, e in zip(rows, employers[voters].tolist(), strict=True)]
    n_owners = len(set(owners))
    candidates: Counter[tuple[str, ...]] = Counter()
    for row in rows:
        family = families.head(row)[0]
        if names_a_field(family):
            candidates[family] += 1
    chosen: list[FieldChoice] = []
    for family, _ in candidates.most_common(MAX_CANDIDATES):
        if len(chosen) == MAX_CHOICES:
            break
        if any(set(family) <= set(c.key.split()) or set(c.key.split()) <= set(family) for c in chosen):
            continue
        members = [i for i, row in enumerate(rows) if in_family(families.families[row], family)]
        holders = {owners[i] for i in members}
        share = len(holders) / n_owners
        if share < MIN_CHOICE_SHARE or len(holders) < MIN_CHOICE_EMPLOYERS:
            continue
        label = Counter(families.head(rows[i])[1] for i in members).most_common(1)[0][0]
        chosen.append(FieldChoice(" ".join(family), label, round(share, 3)))
    return chosen if len(chosen) >= 2 else []


def field_label(rows: np.ndarray, families: TitleFamilies) -> str | None:
    """The commonest cleaned title of ``rows`` (a chosen field's best matches), None for no rows:
    the name of a field chosen in an earlier answer that this one does not offer as a button."""
    titles = Counter(families.head(row)[1] for row in rows.tolist())
    return titles.most_common(1)[0][0] if titles else None
