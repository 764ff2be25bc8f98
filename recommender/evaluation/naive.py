"""The simplest thing that could work: TF-IDF cosine over a vacancy's title and text.

No skill vocabulary for ranking, no topics, no tuned weights. The product has to beat it on
every measure, so every evaluation entry the product has, this has too:

- ``top_vacancy_rows(skills, n, rows=None)``: the query (the skills' names joined) against each
  vacancy's title + snippet / description, cosine of sublinear TF-IDF vectors, near-duplicates
  (same title and employer) skipped as the product does;
- ``advise(skills, n)``: the skills most frequent among its top ``ADVICE_NEIGHBOURS`` vacancies
  (the issue's "key skills most frequent among its top 50"; a search-list item's skills are the
  ones found in its title and snippet, a card's are its key skills plus those);
- ``neighbour_rows(skills, n, rows=None)``: its n best rows, for a majority-vote specialization.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from recommender.data.models import Vacancy
from recommender.recommend.index import VacancyIndex

ADVICE_NEIGHBOURS = 50
# letters, digits and the characters skill names carry ("c++", "c#", "1с", "node.js")
TOKEN_PATTERN = r"(?u)[\w][\w+#.]*[\w+#]|[\w]"


def vacancy_document(vacancy: Vacancy) -> str:
    """What the naive search reads of a vacancy: its title and its text, one bag of words."""
    return f"{vacancy.title}\n{vacancy.text}"


class NaiveTfidfRecommender:
    """TF-IDF cosine search over title + text, row-aligned with ``index``."""

    name = "naive"

    def __init__(self, vacancies: Sequence[Vacancy], index: VacancyIndex, *, min_df: int = 2) -> None:
        if len(vacancies) != len(index):
            raise ValueError("vacancies and index must be row-aligned")
        self.index = index
        self.vectorizer = TfidfVectorizer(
            lowercase=True, token_pattern=TOKEN_PATTERN, sublinear_tf=True, min_df=min_df, dtype=np.float32
        )
        matrix = self.vectorizer.fit_transform([vacancy_document(v) for v in vacancies])
        self.postings = sp.csc_matrix(matrix, dtype=np.float32)

    def scores(self, skills: Sequence[str]) -> np.ndarray:
        query = self.vectorizer.transform([" ".join(skills)])
        return np.asarray((self.postings @ query.T).todense(), dtype=np.float32).ravel()

    def _top(self, scores: np.ndarray, rows: np.ndarray | None, n: int, *, unique: bool) -> list[int]:
        candidates = np.arange(scores.size) if rows is None else np.asarray(rows, dtype=np.int64)
        values = scores[candidates]
        positive = values > 0
        candidates, values = candidates[positive], values[positive]
        order = candidates[np.lexsort((candidates, -values))]
        if not unique:
            return order[:n].tolist()
        picked: list[int] = []
        seen: set[int] = set()
        for row in order.tolist():
            key = int(self.index.dedupe_codes[row])
            if key not in seen:
                seen.add(key)
                picked.append(row)
                if len(picked) == n:
                    break
        return picked

    def top_vacancy_rows(self, skills: Sequence[str], n: int, rows: np.ndarray | None = None) -> list[int]:
        return self._top(self.scores(skills), rows, n, unique=True)

    def neighbour_rows(self, skills: Sequence[str], n: int, rows: np.ndarray | None = None) -> list[int]:
        return self._top(self.scores(skills), rows, n, unique=False)

    def advise(self, skills: Sequence[str], n: int = 10) -> list[str]:
        own = set(skills)
        counts: Counter[str] = Counter()
        for row in self.neighbour_rows(skills, ADVICE_NEIGHBOURS):
            counts.update(s for s in self.index.skills.skills_of_row(row) if s not in own)
        return [skill for skill, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]
