"""Simple salary baselines the CatBoost models must beat."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge
from sklearn.preprocessing import OneHotEncoder

from recommender.salary.features import SalaryInput, skills_token


class MedianByExperience(BaseEstimator, RegressorMixin):
    """Predicts the training median salary of the row's experience level (overall median if unseen)."""

    def fit(self, rows: Sequence[SalaryInput], y: np.ndarray) -> MedianByExperience:
        y = np.asarray(y, dtype=float)
        levels = np.array([row.experience for row in rows])
        self.overall_ = float(np.median(y))
        self.medians_ = {level: float(np.median(y[levels == level])) for level in set(levels.tolist())}
        return self

    def predict(self, rows: Sequence[SalaryInput]) -> np.ndarray:
        return np.array([self.medians_.get(row.experience, self.overall_) for row in rows])


def _document(row: SalaryInput) -> str:
    skills = " ".join(skills_token(skill) for skill in row.skills)
    # The title is repeated so its words weigh more than the long description's.
    return f"{row.title} {row.title} {skills} {row.text}"


class TfidfRidge(BaseEstimator, RegressorMixin):
    """Ridge regression on TF-IDF of title, skills and text plus one-hot experience, schedule, city.

    Fitted on log salary (errors on salaries are multiplicative); predictions in RUB.
    """

    def __init__(self, alpha: float = 3.0, max_features: int = 50_000, min_df: int = 3) -> None:
        self.alpha = alpha
        self.max_features = max_features
        self.min_df = min_df

    def _categories(self, rows: Sequence[SalaryInput]) -> list[list[str]]:
        return [[row.experience, row.schedule, row.city] for row in rows]

    def _matrix(self, rows: Sequence[SalaryInput]) -> sp.csr_matrix:
        text = self.vectorizer_.transform([_document(row) for row in rows])
        categories = self.encoder_.transform(self._categories(rows))
        return sp.hstack([text, categories]).tocsr()

    def fit(self, rows: Sequence[SalaryInput], y: np.ndarray) -> TfidfRidge:
        self.vectorizer_ = TfidfVectorizer(
            max_features=self.max_features, min_df=self.min_df, ngram_range=(1, 2), sublinear_tf=True
        ).fit([_document(row) for row in rows])
        self.encoder_ = OneHotEncoder(handle_unknown="ignore").fit(self._categories(rows))
        self.ridge_ = Ridge(alpha=self.alpha).fit(self._matrix(rows), np.log(np.asarray(y, dtype=float)))
        return self

    def predict(self, rows: Sequence[SalaryInput]) -> np.ndarray:
        return np.exp(self.ridge_.predict(self._matrix(rows)))
