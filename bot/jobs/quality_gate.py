"""The quality gate: a retrained bundle must not be worse than the serving one.

Both manifests carry ``metrics`` (per topic model and for the salary model). Only metrics
whose direction is known and that do not grow with corpus size are compared; a candidate
that is worse than the current bundle by more than ``tolerance`` (relative) on any of them
is rejected.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

HIGHER_IS_BETTER = frozenset(
    {"coherence", "r2", "coverage", "hit_rate", "ndcg", "precision", "recall", "map"}
)
LOWER_IS_BETTER = frozenset({"mae", "rmse", "mape", "nrmse", "mae_rub"})


@dataclass(frozen=True)
class Comparison:
    metric: str
    current: float
    candidate: float
    relative_change: float  # positive means better
    worse: bool


@dataclass(frozen=True)
class GateDecision:
    accepted: bool
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def regressions(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.worse]

    def summary(self) -> str:
        if not self.comparisons:
            return "no comparable metrics: accepted"
        parts = [
            f"{c.metric} {c.current:.4g} -> {c.candidate:.4g} ({c.relative_change:+.1%})"
            for c in self.comparisons
        ]
        return ("accepted: " if self.accepted else "rejected: ") + "; ".join(parts)


def flatten_metrics(metrics: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, float]]:
    """("nmf.coherence", 0.41), ("salary.mae", 21000.0), ... for every finite number."""
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flatten_metrics(value, f"{name}.")
        elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            yield name, float(value)


def direction(metric: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 when not compared."""
    leaf = metric.rsplit(".", 1)[-1].lower().split("@", 1)[0]  # "recall@10" -> "recall"
    if leaf in HIGHER_IS_BETTER:
        return 1
    if leaf in LOWER_IS_BETTER:
        return -1
    return 0


def compare(current: Mapping[str, Any], candidate: Mapping[str, Any], *, tolerance: float) -> GateDecision:
    """Compare the candidate's metrics with the current ones; reject on any regression beyond tolerance."""
    ours = dict(flatten_metrics(current))
    theirs = dict(flatten_metrics(candidate))
    comparisons = []
    for metric in sorted(ours.keys() & theirs.keys()):
        sign = direction(metric)
        if sign == 0:
            continue
        old, new = ours[metric], theirs[metric]
        # Relative to the current value; a tiny floor keeps values near zero comparable.
        change = sign * (new - old) / max(abs(old), 1e-9)
        comparisons.append(Comparison(metric, old, new, change, worse=change < -tolerance))
    decision = GateDecision(accepted=not any(c.worse for c in comparisons), comparisons=comparisons)
    logger.info("quality gate %s", decision.summary())
    return decision
