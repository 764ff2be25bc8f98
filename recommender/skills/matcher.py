"""Longest-first phrase matching over normalized token streams."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Skills longer than this many tokens are not worth matching in text.
MAX_PHRASE_TOKENS = 6
# A Russian word and its lemma share their first letters (нейросетями / нейросеть), so a word
# whose first letters start no known token need not be lemmatized at all. Short words are
# tested on fewer letters, since their endings change more (сети / сеть).
PREFIX_CHARS = 5


def _prefix(word: str) -> str:
    return word[: min(PREFIX_CHARS, max(2, len(word) - 3))]


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int  # exclusive token index
    skills: tuple[str, ...]  # empty for stoplisted phrases: consumed, never reported


class PhraseMatcher:
    """A dictionary of token tuples to canonical skills, indexed by first token.

    Matching tries the longest phrase starting at each position first, so "ms sql server"
    wins over "ms sql" and "sql".
    """

    def __init__(self) -> None:
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._lengths_by_first: dict[str, list[int]] = {}
        self._tokens: set[str] = set()
        self._prefixes: set[str] = set()

    def __len__(self) -> int:
        return len(self._phrases)

    def __contains__(self, key: object) -> bool:
        return key in self._phrases

    def get(self, key: tuple[str, ...]) -> tuple[str, ...] | None:
        return self._phrases.get(key)

    def items(self) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        return list(self._phrases.items())

    def knows_token(self, token: str) -> bool:
        """Whether the token occurs in any phrase (then it must not be split or stripped)."""
        return token in self._tokens

    def knows_prefix(self, word: str) -> bool:
        """Whether some phrase token starts like this word (a cheap test before lemmatizing)."""
        return _prefix(word) in self._prefixes

    def add(self, key: Sequence[str], skills: Sequence[str], *, overwrite: bool = False) -> bool:
        """Add a phrase; an existing phrase keeps its skills unless ``overwrite``."""
        key = tuple(key)
        if not key or len(key) > MAX_PHRASE_TOKENS:
            return False
        if key in self._phrases and not overwrite:
            return False
        self._phrases[key] = tuple(skills)
        lengths = self._lengths_by_first.setdefault(key[0], [])
        if len(key) not in lengths:
            lengths.append(len(key))
            lengths.sort(reverse=True)
        self._tokens.update(key)
        self._prefixes.update(token[:n] for token in key for n in range(2, PREFIX_CHARS + 1))
        return True

    def find(self, tokens: Sequence[str]) -> list[Match]:
        """Non-overlapping matches, scanning left to right, longest phrase first."""
        matches: list[Match] = []
        phrases = self._phrases
        lengths_by_first = self._lengths_by_first
        n = len(tokens)
        i = 0
        while i < n:
            lengths = lengths_by_first.get(tokens[i])
            if lengths is not None:
                for length in lengths:
                    if i + length > n:
                        continue
                    skills = phrases.get(tuple(tokens[i : i + length]))
                    if skills is not None:
                        matches.append(Match(i, i + length, skills))
                        i += length
                        break
                else:
                    i += 1
                continue
            i += 1
        return matches
