"""Regression metrics in roubles, including the report's normalized RMSE."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def regression_metrics(y_true: ArrayLike, y_pred: ArrayLike) -> dict[str, float]:
    """MAE, RMSE, MAPE (%), R² and NRMSE = RMSE / (max − min of the true salaries).

    NRMSE is the report's "normalized RMSE" (it reported 0.08 after removing
    salaries outside 40k–500k); the range is taken over the evaluated salaries.
    """
    truth = np.asarray(y_true, dtype=float)
    predicted = np.asarray(y_pred, dtype=float)
    if truth.size == 0:
        return {
            "n": 0,
            "mae": float("nan"),
            "rmse": float("nan"),
            "mape": float("nan"),
            "r2": float("nan"),
            "nrmse": float("nan"),
        }
    errors = predicted - truth
    rmse = float(np.sqrt(np.mean(errors**2)))
    spread = float(truth.max() - truth.min())
    total = float(np.sum((truth - truth.mean()) ** 2))
    return {
        "n": int(truth.size),
        "mae": float(np.mean(np.abs(errors))),
        "rmse": rmse,
        "mape": float(np.mean(np.abs(errors) / np.abs(truth)) * 100),
        "r2": 1.0 - float(np.sum(errors**2)) / total if total > 0 else float("nan"),
        "nrmse": rmse / spread if spread > 0 else float("nan"),
    }


def interval_coverage(y_true: ArrayLike, low: ArrayLike, high: ArrayLike) -> float:
    """Share of true salaries inside [low, high]; for p25–p75 the ideal is 0.5."""
    truth = np.asarray(y_true, dtype=float)
    if truth.size == 0:
        return float("nan")
    inside = (truth >= np.asarray(low)) & (truth <= np.asarray(high))
    return float(np.mean(inside))


def breakdown(
    y_true: ArrayLike, y_pred: ArrayLike, groups: ArrayLike, *, resamples: int = 2000, seed: int = 0
) -> dict[str, dict[str, float]]:
    """Per group: rows, MAE and bias, the median signed relative error (predicted ÷ true − 1),
    with its bootstrap 95% interval (``bias_low``, ``bias_high``): a level with a few dozen
    held-out rows has a bias that is mostly noise, and the interval says how much."""
    truth = np.asarray(y_true, dtype=float)
    predicted = np.asarray(y_pred, dtype=float)
    labels = np.asarray(groups)
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, float]] = {}
    for group in sorted(set(labels.tolist())):
        mask = labels == group
        ratio = predicted[mask] / truth[mask]
        low, high = bias_interval(ratio, rng, resamples)
        out[str(group)] = {
            "n": int(mask.sum()),
            "mae": float(np.mean(np.abs(predicted[mask] - truth[mask]))),
            "bias": float(np.median(ratio) - 1.0),
            "bias_low": low,
            "bias_high": high,
        }
    return out


def bias_interval(ratio: np.ndarray, rng: np.random.Generator, resamples: int) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of median(ratio) − 1."""
    chunk = max(1, 2_000_000 // max(ratio.size, 1))  # resamples per batch: bounded memory
    medians = (
        np.concatenate(
            [
                np.median(
                    ratio[rng.integers(0, ratio.size, size=(min(chunk, resamples - start), ratio.size))],
                    axis=1,
                )
                for start in range(0, resamples, chunk)
            ]
        )
        - 1.0
    )
    low, high = np.percentile(medians, [2.5, 97.5])
    return float(low), float(high)
