"""The fields a student may mean: when an answer's best matches split across job families
("SQL, BPMN, REST API, Python": analysts, Python developers, data engineers), the families are
offered, and a choice re-ranks the answer within one of them. A chosen field's own matches may
split again ("Python-разработчик": Django, backend, data): its narrower families are offered
beside it (``subfield_choices``), so a student can say "Python-разработчик Django".

Key skills alone do not tell these roles apart (classifiers fitted to the roles stop at 0.65),
but the student knows which one they want. A family is ``recommender.topics.families``'s
title family (word stems of the job title: "python разработчик", "систем аналит").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from recommender.topics.families import in_family, names_a_field, title_family
from recommender.topics.labels import clean_title

# Up to four fields, each held by 4% of the best matches' employers (and 3 of them at least):
# "sql, bpmn, rest api, python" offers system analysts (4.4%) beside Python developers (69%), and
# "excel, word, 1с" accountants and 1С operators. Held-out vacancies asking with their skills find
# their own field among the buttons more often than with three at 8% (docs/evaluation.md).
MAX_CHOICES = 4
MAX_CANDIDATES = 8  # commonest families looked at (each one a pass over the matches)
MIN_CHOICE_SHARE = 0.04
MIN_CHOICE_EMPLOYERS = 3
# Field masks kept (``TitleFamilies.rows``): 1 MB each at a million vacancies, and every field a
# student ever chose has one, so a replica answering for months keeps only the recent ones.
MAX_FIELD_MASKS = 64
CHOICE_WORDS = 2  # words of a family offered: "python разработчик", not "backend python разработчик"
SUBFIELD_WORDS = 3  # ... and of a narrower one within a chosen field ("python разработчик django")


def choice_key(title: str) -> str:
    """The key of the field a vacancy of this title is offered under: its family's first
    CHOICE_WORDS words, sorted ("Python-разработчик" and "Разработчик Python" are one)."""
    return " ".join(sorted(title_family(title)[:CHOICE_WORDS]))


def subfield_key(title: str) -> str:
    """The key of the narrower field a vacancy of this title is in, within its ``choice_key``
    field: its family's first SUBFIELD_WORDS words, sorted; "" for a title of fewer words."""
    family = title_family(title)[:SUBFIELD_WORDS]
    return " ".join(sorted(family)) if len(family) == SUBFIELD_WORDS else ""


def narrower(key: str, than: str) -> bool:
    """Is the field ``key`` a narrower one within the field ``than`` (every word of it and more)?"""
    return set(key.split()) > set(than.split())


@dataclass(frozen=True, slots=True)
class FieldChoice:
    """A field to choose: its key (the family's word stems, what ``recommend(field=...)`` takes),
    the commonest title of its matches ("Python-разработчик") and its share of the best matches;
    ``parent``: for a narrower field offered within a chosen one, that field's key."""

    key: str
    label: str
    share: float
    parent: str = ""


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
        self._subheads: dict[str, tuple[str, ...]] = {}

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

    def subhead(self, row: int) -> tuple[str, ...]:
        """A row's narrower family (``subfield_key``'s words; () for a title of fewer words), read
        once per distinct title: only the chosen fields' matches are ever asked."""
        title = self.titles[row]
        head = self._subheads.get(title)
        if head is None:
            head = self._subheads[title] = tuple(subfield_key(title).split())
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
    heads = [families.head(row)[0] for row in voters.tolist()]
    chosen = _choices(voters, heads, employers, families)
    return chosen if len(chosen) >= 2 else []


def subfield_choices(
    matches: np.ndarray, parent: str, employers: np.ndarray, families: TitleFamilies
) -> list[FieldChoice]:
    """The narrower families (``subfield_key``) a chosen field's best matches (``matches``: a few per
    employer, every one in the field ``parent``) split into, by the same rules as ``field_choices``;
    one is enough to offer ("Python-разработчик Django" beside "Python-разработчик")."""
    heads = [families.subhead(row) for row in matches.tolist()]
    heads = [head if narrower(" ".join(head), parent) else () for head in heads]
    return [replace(c, parent=parent) for c in _choices(matches, heads, employers, families)]


def _choices(
    voters: np.ndarray, heads: Sequence[tuple[str, ...]], employers: np.ndarray, families: TitleFamilies
) -> list[FieldChoice]:
    """Up to MAX_CHOICES of the families ``heads`` (one per voter), each held by MIN_CHOICE_SHARE
    of the voters' employers and at least MIN_CHOICE_EMPLOYERS of them, largest share first. A family
    whose matches are mostly an offered one's is not offered: "Backend Python developer" is in
    "python разраб", "backend разраб" and "backend python", and one button of them is enough."""
    rows = voters.tolist()
    if not rows:
        return []
    owners = [int(e) if e >= 0 else -1 - r for r, e in zip(rows, employers[voters].tolist(), strict=True)]
    n_owners = len(set(owners))
    candidates: Counter[tuple[str, ...]] = Counter(head for head in heads if names_a_field(head))
    chosen: list[FieldChoice] = []
    offered: set[int] = set()  # the matches of the families offered
    for family, _ in candidates.most_common(MAX_CANDIDATES):
        if len(chosen) == MAX_CHOICES:
            break
        members = [i for i, row in enumerate(rows) if in_family(families.families[row], family)]
        if 2 * len(offered.intersection(members)) > len(members):
            continue
        holders = {owners[i] for i in members}
        share = len(holders) / n_owners
        if share < MIN_CHOICE_SHARE or len(holders) < MIN_CHOICE_EMPLOYERS:
            continue
        label = commonest_title(Counter(families.head(rows[i])[1] for i in members))
        if any(c.label == label for c in chosen):
            continue
        offered.update(members)
        chosen.append(FieldChoice(" ".join(family), label, round(share, 3)))
    # shown by share: picked by how many matches a family holds, a share counts their employers
    return sorted(chosen, key=lambda c: -c.share)


def field_label(rows: np.ndarray, families: TitleFamilies) -> str | None:
    """The commonest cleaned title of ``rows`` (a chosen field's best matches), None for no rows:
    the name of a field chosen in an earlier answer that this one does not offer as a button."""
    titles = Counter(families.head(row)[1] for row in rows.tolist())
    return commonest_title(titles) if titles else None


def commonest_title(titles: Counter[str]) -> str:
    """The commonest of the titles, the shortest of those as common: "Python-разработчик" rather than
    "Python back-end developer / ML engineer" when each is one posting's."""
    return min(titles.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
