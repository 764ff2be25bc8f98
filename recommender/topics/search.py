"""Choosing the LDA topic count by coherence, as the report did."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from recommender.topics._docs import clean_docs
from recommender.topics.coherence import sample_docs
from recommender.topics.lda import LDATopicModel
from recommender.topics.plots import coherence_plot

logger = logging.getLogger(__name__)

DEFAULT_TOPIC_COUNTS = (16, 32, 48, 64, 96)


@dataclass(slots=True)
class TopicCountSearch:
    counts: list[int]
    scores: list[float]
    best_count: int
    measure: str
    seconds: float
    plot_path: Path | None = None
    best_model: LDATopicModel | None = field(default=None, repr=False)  # fitted on the search sample

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts, "scores": self.scores, "best_count": self.best_count,
            "measure": self.measure, "seconds": round(self.seconds, 1),
            "plot": str(self.plot_path) if self.plot_path else None,
        }


def search_topic_count(
    docs: Sequence[Sequence[str]],
    counts: Sequence[int] = DEFAULT_TOPIC_COUNTS,
    *,
    measure: str = "c_v",
    sample_size: int | None = 20_000,
    coherence_sample: int | None = 10_000,
    plot_path: str | Path | None = None,
    random_state: int | None = 0,
    **lda_params: Any,
) -> TopicCountSearch:
    """Train one LDA per topic count on a sample of ``docs`` and pick the most coherent count.

    ``lda_params`` go to every ``LDATopicModel`` (e.g. ``passes=2`` to search faster). Coherence
    is measured on a separate seeded sample of ``coherence_sample`` docs. Ties go to the smaller
    count. The coherence-by-count plot is written to ``plot_path`` when given.
    """
    if not counts:
        raise ValueError("search_topic_count needs at least one topic count")
    started = time.perf_counter()
    cleaned = clean_docs(docs)
    train = sample_docs(cleaned, sample_size, random_state)
    held = sample_docs(cleaned, coherence_sample, None if random_state is None else random_state + 1)
    grid = sorted(set(int(c) for c in counts))
    scores: list[float] = []
    best_model: LDATopicModel | None = None
    for count in grid:
        model = LDATopicModel(count, random_state=random_state, **lda_params).fit(train)
        score = model.coherence(held, measure, sample_size=None)
        logger.info("LDA search: %d topics → %s %.4f", count, measure, score)
        if not scores or _better(score, max(_finite(scores), default=-np.inf)):
            best_model = model
        scores.append(score)
    best_count = grid[int(np.nanargmax(scores))] if np.isfinite(scores).any() else grid[0]
    plot = coherence_plot(grid, scores, plot_path, measure=measure, best=best_count) if plot_path else None
    return TopicCountSearch(
        counts=grid, scores=scores, best_count=best_count, measure=measure,
        seconds=time.perf_counter() - started, plot_path=plot, best_model=best_model,
    )


def _finite(values: list[float]) -> list[float]:
    return [v for v in values if np.isfinite(v)]


def _better(score: float, best: float) -> bool:
    return bool(np.isfinite(score)) and score > best
