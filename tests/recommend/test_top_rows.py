"""The top-n selection every ranking goes through: exactly the full sort's first n rows."""

import numpy as np
import pytest

from recommender.recommend.recommender import _ranked


def _full_sort(scores: np.ndarray, rows: np.ndarray | None, n: int) -> list[int]:
    pool = np.arange(scores.size) if rows is None else rows
    return sorted(pool.tolist(), key=lambda r: (-scores[r], r))[:n]


@pytest.mark.parametrize(
    ("size", "n", "ties"),
    [
        (50, 5, False),  # smaller than the sample: a plain partition
        (100_000, 1, False),
        (100_000, 13, False),
        (100_000, 200, False),
        (100_000, 30_000, False),  # most of the array: no threshold
        (100_000, 200, True),  # few distinct values: ties at the threshold
    ],
)
def test_ranked_matches_a_full_sort(size: int, n: int, ties: bool) -> None:
    rng = np.random.default_rng(size + n)
    scores = rng.integers(0, 5, size).astype(np.float32) if ties else rng.random(size, dtype=np.float32)
    assert _ranked(scores, None, n).tolist() == _full_sort(scores, None, n)


def test_ranked_within_given_rows_and_skewed_scores() -> None:
    rng = np.random.default_rng(1)
    scores = np.zeros(200_000, dtype=np.float64)
    scores[rng.choice(scores.size, 40, replace=False)] = rng.random(40) + 1  # a few strong rows
    rows = np.sort(rng.choice(scores.size, 120_000, replace=False))
    for n in (5, 40, 100):
        assert _ranked(scores, rows, n).tolist() == _full_sort(scores, rows, n)
    assert _ranked(scores, None, 0).size == 0
