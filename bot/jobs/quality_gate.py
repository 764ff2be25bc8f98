"""The quality gate: a retrained bundle must not be worse than the serving one.

Like is compared with like: a candidate lacking a part the serving bundle has (a topic model:
nmf, lda, cluster; the salary model) is refused, since its metrics could only be compared on
what is left, unless the operator allowed it (``allow_smaller``: RETRAIN_ALLOW_SMALLER, or
`jobrec worker --once retrain --allow-smaller`).

Both manifests carry ``metrics`` (per topic model and for the salary model). Only metrics
whose direction is known and that do not grow with corpus size are compared; a candidate
that is worse than the current bundle by more than ``tolerance`` (relative) on any of them
is rejected.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Collection, Iterator, Mapping
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
    # Parts the serving bundle has and the candidate lacks ("lda", "salary", ...).
    missing_parts: tuple[str, ...] = ()
    allowed_smaller: bool = False

    @property
    def regressions(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.worse]

    def summary(self) -> str:
        reasons = []
        if self.missing_parts:
            lacks = f"the candidate lacks {', '.join(self.missing_parts)} that the serving bundle has"
            allowed = "allowed by the operator" if self.allowed_smaller else "set RETRAIN_ALLOW_SMALLER=true"
            reasons.append(f"{lacks} ({allowed})")
        reasons += [
            f"{c.metric} {c.current:.4g} -> {c.candidate:.4g} ({c.relative_change:+.1%})"
            for c in self.comparisons
        ]
        verdict = "accepted" if self.accepted else "rejected"
        return f"{verdict}: " + "; ".join(reasons) if reasons else f"no comparable metrics: {verdict}"

    def to_dict(self) -> dict[str, Any]:
        """What is stored with the model version (``model_versions.gate``)."""
        return {
            "decision": "accepted" if self.accepted else "rejected",
            "summary": self.summary(),
            "missing_parts": list(self.missing_parts),
            "allowed_smaller": self.allowed_smaller,
            "regressions": [c.metric for c in self.regressions],
        }


def bundle_parts(manifest: Mapping[str, Any]) -> frozenset[str]:
    """What a bundle serves, from its manifest: its topic models and "salary" when it has one."""
    models = manifest.get("models") or []
    parts = {str(name) for name in models} if isinstance(models, list) else set()
    return frozenset(parts | ({"salary"} if manifest.get("salary") else set()))


def metric_leaves(metrics: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a bundle's nested metrics under its dotted name: ("nmf.coherence", 0.41),
    ("salary.config", "product"), ... (the gate compares the numbers, /stats shows the short ones)."""
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from metric_leaves(value, f"{name}.")
        else:
            yield name, value


def flatten_metrics(metrics: Mapping[str, Any]) -> Iterator[tuple[str, float]]:
    """("nmf.coherence", 0.41), ("salary.mae", 21000.0), ... for every finite number."""
    for name, value in metric_leaves(metrics):
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            yield name, float(value)


def direction(metric: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 when not compared."""
    leaf = metric.rsplit(".", 1)[-1].lower().split("@", 1)[0]  # "recall@10" -> "recall"
    if leaf in HIGHER_IS_BETTER:
        return 1
    if leaf in LOWER_IS_BETTER:
        return -1
    return 0


def compare(
    current: Mapping[str, Any],
    candidate: Mapping[str, Any],
    *,
    tolerance: float,
    missing_parts: Collection[str] = (),
    allow_smaller: bool = False,
) -> GateDecision:
    """Compare the candidate's metrics with the current ones; reject on any regression beyond
    tolerance, and when it lacks parts the current bundle has (unless ``allow_smaller``)."""
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
    missing = tuple(sorted(missing_parts))
    decision = GateDecision(
        accepted=not any(c.worse for c in comparisons) and (not missing or allow_smaller),
        comparisons=comparisons,
        missing_parts=missing,
        allowed_smaller=allow_smaller and bool(missing),
    )
    logger.info("quality gate %s", decision.summary())
    return decision
