"""KMeans over skill TF-IDF (or an NMF topic space): the report's clustering baseline."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans

from recommender.topics._docs import clean_docs
from recommender.topics.base import (
    SkillTfidfEncoder,
    TopicModel,
    column_distributions,
    make_tfidf,
    unit_columns,
    unit_rows,
)
from recommender.topics.nmf import NMFTopicModel

logger = logging.getLogger(__name__)


class ClusterTopicModel(TopicModel):
    """Hard clusters of vacancies presented as topics.

    Documents are L2-normalized before clustering, so KMeans approximates spherical (cosine)
    k-means. ``space="tfidf"`` clusters the skill TF-IDF rows; ``space="nmf"`` clusters the rows
    of an NMF topic model (``nmf`` if given and fitted, else one fitted with ``nmf`` params).

    ``transform`` gives each document's cosine similarity to every centroid, clipped at zero
    (``membership="similarity"``), or a one-hot row for its nearest centroid
    (``membership="onehot"``); an empty document maps to zeros either way.
    """

    def __init__(
        self,
        n_clusters: int = 64,
        *,
        space: str = "tfidf",
        nmf: NMFTopicModel | None = None,
        max_features: int | None = 1000,
        max_df: float | int = 0.997,
        min_df: float | int = 0.003,
        minibatch: bool = True,
        batch_size: int = 4096,
        n_init: int = 3,
        max_iter: int = 100,
        membership: str = "similarity",
        random_state: int | None = 0,
    ) -> None:
        self.n_clusters = n_clusters
        self.space = space
        self.nmf = nmf
        self.max_features = max_features
        self.max_df = max_df
        self.min_df = min_df
        self.minibatch = minibatch
        self.batch_size = batch_size
        self.n_init = n_init
        self.max_iter = max_iter
        self.membership = membership
        self.random_state = random_state

    def fit(self, docs: Sequence[Sequence[str]], y: object = None) -> ClusterTopicModel:
        if self.space not in ("tfidf", "nmf"):
            raise ValueError(f"space must be 'tfidf' or 'nmf', not {self.space!r}")
        if self.membership not in ("similarity", "onehot"):
            raise ValueError(f"membership must be 'similarity' or 'onehot', not {self.membership!r}")
        started = time.perf_counter()
        cleaned = clean_docs(docs)
        features = self._fit_space(cleaned)
        kmeans = self._make_kmeans()
        kmeans.fit(features)
        self.kmeans_ = kmeans
        self.centroids_ = unit_rows(np.asarray(kmeans.cluster_centers_, dtype=np.float32))
        self.n_topics_ = int(self.n_clusters)
        self.term_topic_ = column_distributions(self._centroid_terms())
        logger.info(
            "clusters: %d docs in %s space → %d clusters, %.1fs",
            len(cleaned), self.space, self.n_topics_, time.perf_counter() - started,
        )
        return self

    def transform(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        self._check_fitted()
        features = self._features(clean_docs(docs))
        similarity = np.clip(np.asarray(features @ self.centroids_.T, dtype=np.float32), 0.0, None)
        if self.membership == "similarity":
            return similarity
        onehot = np.zeros_like(similarity)
        has_signal = similarity.max(axis=1) > 0
        onehot[np.flatnonzero(has_signal), similarity[has_signal].argmax(axis=1)] = 1.0
        return onehot

    def _fit_space(self, docs: list[list[str]]):
        if self.space == "nmf":
            self.nmf_ = self._fitted_nmf(docs)
            self.vocabulary_ = list(self.nmf_.vocabulary_)
        else:
            vectorizer = make_tfidf(self.max_features, self.max_df, self.min_df)
            vectorizer.fit(docs)
            self.encoder_ = SkillTfidfEncoder(vectorizer)
            self.vocabulary_ = list(self.encoder_.terms)
        return self._features(docs)

    def _fitted_nmf(self, docs: list[list[str]]) -> NMFTopicModel:
        if self.nmf is not None and hasattr(self.nmf, "term_topic_"):
            return self.nmf
        params = self.nmf.get_params() if self.nmf is not None else {"random_state": self.random_state}
        return NMFTopicModel(**params).fit(docs)

    def _features(self, docs: list[list[str]]):
        """Documents as unit-length rows of the clustering space (zero rows for empty docs)."""
        if self.space == "nmf":
            return unit_rows(self.nmf_.transform(docs))
        return self.encoder_.transform(docs)  # already L2-normalized rows

    def _make_kmeans(self) -> KMeans | MiniBatchKMeans:
        if self.minibatch:
            return MiniBatchKMeans(
                n_clusters=self.n_clusters, batch_size=self.batch_size, n_init=self.n_init,
                max_iter=self.max_iter, random_state=self.random_state,
            )
        return KMeans(
            n_clusters=self.n_clusters, n_init=self.n_init, max_iter=self.max_iter,
            random_state=self.random_state,
        )

    def _centroid_terms(self) -> np.ndarray:
        """n_terms × n_clusters weights: a centroid's mean TF-IDF, or its NMF topics' term mix."""
        if self.space == "nmf":
            return unit_columns(self.nmf_.term_topic_) @ np.clip(self.centroids_, 0.0, None).T
        return self.centroids_.T
