"""A seeded random sample of a corpus's rows: what training fits on at a million vacancies
(``fit_parts(fit_sample=...)``) and what `jobrec data stats` learns its skill figures from."""

from __future__ import annotations

import numpy as np


def sample_rows(n_rows: int, sample: int | None, random_state: int) -> list[int] | None:
    """Sorted positions of a seeded random sample of ``sample`` rows; None when all rows are taken
    (``sample`` None, 0 or not below ``n_rows``)."""
    if not sample or sample >= n_rows:
        return None
    picked = np.random.default_rng(random_state).choice(n_rows, size=sample, replace=False)
    return sorted(picked.tolist())
