"""A user's skills query, parsed once and passed down as one object.

``Bundle.understand(text)`` (``recommender.skills.understand``) makes a :class:`Query` of typed
text, ``Bundle.query_of_profile(skills)`` one of stored skills; the recommender, the salary grid
and digest ranking all take it, so a query is cleaned, capped and matched exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The one cap on a query's length: a pasted resume is cut here, a skills list is never this long.
MAX_QUERY_CHARS = 3000


@dataclass(frozen=True, slots=True)
class UnknownTerm:
    """A query item the vocabulary did not understand, with the closest known skills."""

    term: str
    suggestions: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Query:
    """Canonical skills of a query, the terms not understood, and the cleaned text they came from."""

    text: str
    skills: tuple[str, ...] = ()
    unknown: tuple[UnknownTerm, ...] = ()
    truncated: bool = False  # the input was longer than MAX_QUERY_CHARS and was cut

    @property
    def empty(self) -> bool:
        """No skill was recognized: nothing to recommend from."""
        return not self.skills

    @property
    def typo_targets(self) -> frozenset[str]:
        """Skills the user probably meant by a typo (each unknown term's first suggestion): never
        advised back to them, never listed as lacking."""
        return frozenset(u.suggestions[0] for u in self.unknown if u.suggestions)


def clean_query_text(text: object) -> tuple[str, bool]:
    """Printable text, stripped, cut at MAX_QUERY_CHARS; and whether it was cut."""
    raw = text if isinstance(text, str) else ""
    printable = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in raw).strip()
    return printable[:MAX_QUERY_CHARS], len(printable) > MAX_QUERY_CHARS
