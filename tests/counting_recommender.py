"""A real recommender that counts how often it ranks the corpus and builds each part of an answer
(tests of issue 20's "rank once"), and a fresh copy of a recommender with nothing cached."""

from __future__ import annotations

from typing import Any

import numpy as np

from recommender.recommend import Recommender


class CountingRecommender(Recommender):
    """``calls``: how often ``_best`` (the partition of the corpus every ranking makes) and the
    specialization, the skills to learn and the match tiers were computed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls = {"_best": 0, "specialization": 0, "skills_to_learn": 0, "tiers": 0}

    def _best(self, scores: np.ndarray) -> np.ndarray:
        self.calls["_best"] += 1
        return super()._best(scores)

    def specialization(self, ranking: Any) -> Any:
        self.calls["specialization"] += 1
        return super().specialization(ranking)

    def skills_to_learn(self, ranking: Any) -> Any:
        self.calls["skills_to_learn"] += 1
        return super().skills_to_learn(ranking)

    def tiers(self, ranking: Any) -> Any:
        self.calls["tiers"] += 1
        return super().tiers(ranking)


def fresh(recommender: Any, cls: type[Recommender] = Recommender) -> Any:
    """A new recommender over the same model and corpus: nothing cached."""
    return cls(
        name=recommender.name, vocabulary=recommender.vocabulary, topic_model=recommender.topic_model,
        index=recommender.index, doc_topic=recommender.doc_topic, topic_labels=recommender.topic_labels,
        topic_shares=recommender.topic_shares, params=recommender.params, title_topic=recommender.title_topic,
    )  # fmt: skip
