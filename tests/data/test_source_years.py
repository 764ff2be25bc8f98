"""The evaluation report says where and when its rows are from."""

from __future__ import annotations

from datetime import datetime

from recommender.data import Vacancy
from recommender.evaluation.markdown import _source_years
from recommender.evaluation.report import source_years


def test_rows_are_counted_by_source_and_year():
    rows = [
        Vacancy(id="1", title="a", published_at=datetime(2021, 11, 2)),
        Vacancy(id="2", title="b", published_at=datetime(2021, 3, 1)),
        Vacancy(id="3", title="c", source="trudvsem", published_at=datetime(2026, 8, 13)),
        Vacancy(id="4", title="d"),
    ]
    assert source_years(rows) == {"hh 2021": 2, "hh undated": 1, "trudvsem 2026": 1}
    lines = _source_years({"data": {"by_source_year": {"train": source_years(rows), "test": {"hh 2021": 1}}}})
    assert lines == [
        "By source and year, train: hh 2021 2, hh undated 1, trudvsem 2026 1.",
        "By source and year, test: hh 2021 1.",
    ]
    assert _source_years({"data": {}}) == []
