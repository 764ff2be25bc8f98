"""Topic quality: coherence (c_v, NPMI), LDA perplexity, topic diversity."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from recommender.topics import model_coherence
from recommender.topics.coherence import sample_docs

logger = logging.getLogger(__name__)


def topic_diversity(model: Any, topn: int = 10) -> float:
    """Share of unique terms among all topics' top ``topn`` terms (1.0: no topic repeats another's)."""
    terms = [term for t in range(model.n_topics_) for term in model.top_terms(t, topn)]
    return len(set(terms)) / len(terms) if terms else 0.0


def evaluate_topics(
    models: Mapping[str, Any],
    train_docs: Sequence[Sequence[str]],
    test_docs: Sequence[Sequence[str]],
    *,
    sample_size: int = 3000,
) -> dict[str, dict[str, float]]:
    """c_v and NPMI on a seeded sample of training docs, perplexity on held-out docs (LDA)."""
    results: dict[str, dict[str, float]] = {}
    for name, model in models.items():
        row: dict[str, float] = {"topics": int(model.n_topics_)}
        for measure in ("c_v", "c_npmi"):
            result = model_coherence(model, train_docs, measure=measure, sample_size=sample_size)
            row[measure] = result.score
        row["diversity"] = topic_diversity(model)
        perplexity = getattr(model, "perplexity", None)
        if callable(perplexity):
            held = [doc for doc in sample_docs(test_docs, sample_size, 0) if doc]
            row["perplexity"] = float(perplexity(held))
        results[name] = row
        logger.info("topics %s: %s", name, row)
    return results
