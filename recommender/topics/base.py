"""What every topic model shares: the fitted-attribute contract and term-based helpers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from recommender.topics._docs import identity_analyzer


class TopicModel(TransformerMixin, BaseEstimator):
    """Base of the three specialization models.

    Subclasses set, in ``fit``: ``n_topics_``, ``vocabulary_`` (list of terms) and
    ``term_topic_`` (n_terms × n_topics_, each column a distribution over terms), and implement
    ``transform(docs)`` returning a non-negative float32 (n_docs, n_topics_) array.
    """

    n_topics_: int
    vocabulary_: list[str]
    term_topic_: np.ndarray

    def fit(self, docs: Sequence[Sequence[str]], y: object = None) -> TopicModel:
        raise NotImplementedError

    def transform(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        raise NotImplementedError

    def fit_transform(self, docs: Sequence[Sequence[str]], y: object = None, **_: object) -> np.ndarray:
        return self.fit(docs).transform(docs)

    def top_terms(self, topic: int, n: int = 10) -> list[str]:
        """The ``n`` terms that weigh most in ``topic``, strongest first (zero weights left out)."""
        self._check_fitted()
        if not 0 <= topic < self.n_topics_:
            raise IndexError(f"topic {topic} out of range 0..{self.n_topics_ - 1}")
        column = self.term_topic_[:, topic]
        # stable sort on the negated weights: ties keep vocabulary order, so output is deterministic
        order = np.argsort(-column, kind="stable")[:n]
        return [self.vocabulary_[i] for i in order if column[i] > 0]

    def _check_fitted(self) -> None:
        if not hasattr(self, "term_topic_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit(docs) first")


def make_tfidf(max_features: int | None, max_df: float | int, min_df: float | int) -> TfidfVectorizer:
    """TF-IDF over skill lists: every skill, multi-word ones too, is one term."""
    return TfidfVectorizer(
        analyzer=identity_analyzer,
        lowercase=False,
        max_features=max_features,
        max_df=max_df,
        min_df=min_df,
        dtype=np.float32,
    )


def column_distributions(matrix: np.ndarray) -> np.ndarray:
    """Non-negative matrix with each column scaled to sum to 1 (all-zero columns stay zero)."""
    matrix = np.clip(np.asarray(matrix, dtype=np.float32), 0.0, None)
    sums = matrix.sum(axis=0, keepdims=True)
    return np.divide(matrix, sums, out=np.zeros_like(matrix), where=sums > 0)


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Each row scaled to unit L2 norm (all-zero rows stay zero); works on empty matrices too."""
    return unit_columns(np.asarray(matrix).T).T


def unit_columns(matrix: np.ndarray) -> np.ndarray:
    """Each column scaled to unit L2 norm (all-zero columns stay zero)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=0, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


class SkillTfidfEncoder:
    """The fitted TF-IDF as a plain term index and idf array.

    ``TfidfVectorizer.transform`` spends most of its time on input validation, which dominates
    for a 2–10 skill query; this encoder builds the same L2-normalized rows directly (checked
    against the vectorizer in the tests) in microseconds, and is just as fast in batch.
    """

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.index: dict[str, int] = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float32)
        self.terms: list[str] = [""] * len(self.index)
        for term, i in self.index.items():
            self.terms[i] = term

    def encode(self, docs: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR parts (indptr, indices, data) of the TF-IDF rows of ``docs``."""
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for doc in docs:
            counts: dict[int, int] = {}
            for term in doc:
                i = self.index.get(term)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
            if counts:
                cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                vals = np.fromiter(counts.values(), dtype=np.float32, count=len(counts)) * self.idf[cols]
                vals /= np.linalg.norm(vals)
                indices.extend(cols.tolist())
                data.extend(vals.tolist())
            indptr.append(len(indices))
        return (
            np.asarray(indptr, dtype=np.int64),
            np.asarray(indices, dtype=np.int64),
            np.asarray(data, dtype=np.float32),
        )

    def transform(self, docs: Sequence[Sequence[str]]):  # -> scipy.sparse.csr_matrix
        from scipy.sparse import csr_matrix

        indptr, indices, data = self.encode(docs)
        return csr_matrix((data, indices, indptr), shape=(len(docs), len(self.terms)), dtype=np.float32)

    def project(self, docs: Sequence[Sequence[str]], projection: np.ndarray) -> np.ndarray:
        """TF-IDF rows of ``docs`` times ``projection`` (n_terms × k), as dense float32."""
        if len(docs) == 1:
            # the single-query path: gather a few rows instead of building a sparse matrix
            _, indices, data = self.encode(docs)
            if not len(indices):
                return np.zeros((1, projection.shape[1]), dtype=np.float32)
            return (data @ projection[indices])[None, :].astype(np.float32, copy=False)
        return np.asarray(self.transform(docs) @ projection, dtype=np.float32)
