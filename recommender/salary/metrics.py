"""Regression metrics in roubles, including the report's normalized RMSE."""

from __future__ import annotations

import numpy as np


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """MAE, RMSE, MAPE (%), R² and NRMSE = RMSE / (max − min of the true salaries).

    NRMSE is the report's "normalized RMSE" (it reported 0.08 after removing
    salaries outside 40k–500k); the range is taken over the evaluated salaries.
    """
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.size == 0:
        return {
            "n": 0,
            "mae": float("nan"),
            "rmse": float("nan"),
            "mape": float("nan"),
            "r2": float("nan"),
            "nrmse": float("nan"),
        }
    errors = y_pred - y_true
    rmse = float(np.sqrt(np.mean(errors**2)))
    spread = float(y_true.max() - y_true.min())
    total = float(np.sum((y_true - y_true.mean()) ** 2))
    return {
        "n": int(y_true.size),
        "mae": float(np.mean(np.abs(errors))),
        "rmse": rmse,
        "mape": float(np.mean(np.abs(errors) / np.abs(y_true)) * 100),
        "r2": 1.0 - float(np.sum(errors**2)) / total if total > 0 else float("nan"),
        "nrmse": rmse / spread if spread > 0 else float("nan"),
    }


def interval_coverage(y_true: np.ndarray, low: np.ndarray, high: np.ndarray) -> float:
    """Share of true salaries inside [low, high]; for p25–p75 the ideal is 0.5."""
    y_true = np.asarray(y_true, dtype=float)
    if y_true.size == 0:
        return float("nan")
    inside = (y_true >= np.asarray(low)) & (y_true <= np.asarray(high))
    return float(np.mean(inside))
