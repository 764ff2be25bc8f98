""""Did you mean": the closest known skill spellings for an unknown term."""

from __future__ import annotations

import logging
import unicodedata
from collections import Counter

logger = logging.getLogger(__name__)

# A suggestion is more alike than not: at 0.5, half the letters of the longer spelling differ.
MIN_SIMILARITY = 0.55
# A one-word term alike a word of a longer spelling ("переводы" in "письменный перевод") counts
# a little below the same likeness to a whole spelling: "переводы" suggests translation, not
# "ведение переговоров", which is only alike as a string.
WORD_MATCH_WEIGHT = 0.95
MIN_WORD_SIMILARITY = 0.75
MAX_CANDIDATES = 60
MAX_TERM_CHARS = 60

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}


def transliterate(text: str) -> str:
    """Russian letters in Latin ("джаваскрипт" -> "javaskript"), for cross-script matching."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.replace("дж", "j").replace("кс", "x"))


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().replace("ё", "е").split())


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return 1.0 - levenshtein(a, b) / max(len(a), len(b))


def _likeness(term: str, spelling: str) -> float:
    """How alike a term is to a spelling: as a whole, or (a one-word term) to one of its words."""
    whole = similarity(term, spelling)
    words = spelling.split()
    if len(words) < 2 or " " in term:
        return whole
    word = max(similarity(term, word) for word in words)
    # only a near-spelling of the word: "учитель" is not "желание учиться новому"
    return max(whole, WORD_MATCH_WEIGHT * word) if word >= MIN_WORD_SIMILARITY else whole


class SuggestIndex:
    """Character-trigram index over every known spelling (canonical names, displays, aliases)."""

    def __init__(self, spellings: list[tuple[str, str]]) -> None:
        self._entries: list[tuple[str, str]] = []
        self._postings: dict[str, list[int]] = {}
        self._seen: set[tuple[str, str]] = set()
        for spelling, skill in spellings:
            self.add(spelling, skill)

    def add(self, spelling: str, skill: str) -> None:
        """Index one more spelling of a skill (in its own and in Latin letters)."""
        # sorted, here and below: suggestions must not depend on the hash seed of the process
        for form in sorted({_normal(spelling), transliterate(_normal(spelling))}):
            if form and (form, skill) not in self._seen:
                self._seen.add((form, skill))
                self._add(form, skill)

    def _add(self, form: str, skill: str) -> None:
        index = len(self._entries)
        self._entries.append((form, skill))
        for gram in _trigrams(form):
            self._postings.setdefault(gram, []).append(index)

    def suggest(self, term: str, n: int = 3) -> list[str]:
        return [skill for skill, _ in self.scored(term, n)]

    def candidates(self, term: str, limit: int = MAX_CANDIDATES) -> list[tuple[str, str]]:
        """Indexed (spelling, skill) pairs sharing the most character trigrams with the term."""
        if not isinstance(term, str):
            return []
        query = _normal(term)[:MAX_TERM_CHARS]
        shared: Counter[int] = Counter()
        for form in sorted({query, transliterate(query)} - {""}):
            for gram in sorted(_trigrams(form)):
                shared.update(self._postings.get(gram, ()))
        best = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [self._entries[index] for index, _ in best]

    def scored(self, term: str, n: int = 3) -> list[tuple[str, float]]:
        """Up to ``n`` (skill, similarity) pairs, most similar first."""
        if not isinstance(term, str) or n <= 0:
            return []
        query = _normal(term)[:MAX_TERM_CHARS]
        if not query:
            return []
        forms = {query, transliterate(query)}
        best: dict[str, float] = {}
        for spelling, skill in self.candidates(query):
            score = max(_likeness(form, spelling) for form in forms)
            if score >= MIN_SIMILARITY and score > best.get(skill, 0.0):
                best[skill] = score
        return sorted(best.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[:n]
