"""Ranking metrics over lists of recommended items and sets of relevant ones."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence


def recall_at_k(recommended: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Share of the relevant items found in the first k recommendations."""
    if not relevant:
        return 0.0
    hits = sum(1 for item in recommended[:k] if item in relevant)
    return hits / len(relevant)


def ndcg_at_k(recommended: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Binary-relevance nDCG@k: the hits' discounted gain over the best possible."""
    if not relevant:
        return 0.0
    gain = sum(1.0 / math.log2(rank + 2) for rank, item in enumerate(recommended[:k]) if item in relevant)
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(k, len(relevant))))
    return gain / ideal


def mean(values: Sequence[float]) -> float:
    return float(sum(values) / len(values)) if values else float("nan")
