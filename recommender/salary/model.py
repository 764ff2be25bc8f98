"""CatBoost salary model: fit on vacancies, predict quartiles, fill the schedule × experience grid."""

from __future__ import annotations

import json
import logging
import os
import pickle
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from catboost import CatBoostRegressor, Pool

from recommender.salary.cells import FieldLevels
from recommender.salary.config import SalaryConfig, get_config
from recommender.salary.experience import ExperienceEffect
from recommender.salary.features import (
    DEFAULT_SALARY_BOUNDS,
    UNKNOWN,
    SalaryInput,
    SkillSource,
    as_query,
    cell_support,
    query_skills,
    skills_token,
)
from recommender.salary.grid import SalaryGrid, build_grid, grid_keys
from recommender.salary.grid import enforce_monotone as monotone_quantiles
from recommender.salary.text_score import TextSalaryScorer

logger = logging.getLogger(__name__)

MODEL_FILE = "salary.cbm"
META_FILE = "salary.json"
VOCABULARY_FILE = "vocabulary.pkl"
TEXT_SCORER_FILE = "text_scorer.pkl"
EXPERIENCE_FILE = "experience.pkl"


def default_thread_count() -> int:
    """All cores but one: the bot keeps answering while a model trains."""
    return max(1, (os.cpu_count() or 1) - 1)


def _feature_value(row: SalaryInput, name: str) -> str | float:
    if name == "skills":
        return " ".join(skills_token(skill) for skill in row.skills)
    if name == "experience_level":
        return row.experience_level
    if name == "year":
        return float(row.year)
    return str(getattr(row, name))


# A year needs this many salaried rows before queries are answered in it: the 2023 cards (a
# few particular searches: Belarusian engineers, DevOps) are not "the 2023 market"; 2026's
# 1,173 salaried rows (IT, hh_2025_2026) are.
MIN_QUERY_YEAR_ROWS = 1_000


def query_year(years: Sequence[int]) -> int:
    """The year queries are answered in: the newest with ``MIN_QUERY_YEAR_ROWS`` rows, else the
    median year (the model's year feature then speaks for a year it has really seen)."""
    counts = Counter(years)
    recent = [year for year, n in counts.items() if year and n >= MIN_QUERY_YEAR_ROWS]
    return max(recent) if recent else int(np.median(years))


class SalaryModel:
    """A salary regressor in scikit-learn style: parameters in ``__init__``, state after ``fit``.

    Fitted attributes: ``estimator_`` (CatBoostRegressor), ``experience_``
    (ExperienceEffect, or None when experience is a CatBoost feature), ``support_`` (rows
    per schedule × experience cell), ``topic_support_`` (the same per topic), ``cities_``,
    ``year_`` (the year queries are asked in: the money's year), ``year_offsets_`` (year → log
    level added back after fitting), ``years_`` (first and
    last year of the training vacancies), ``metrics_``.
    """

    def __init__(
        self,
        config: str | SalaryConfig = "product",
        *,
        thread_count: int | None = None,
        random_state: int = 0,
        iterations: int | None = None,
        vocabulary: SkillSource | None = None,
    ) -> None:
        self.config = config
        self.thread_count = thread_count
        self.random_state = random_state
        self.iterations = iterations
        self.vocabulary = vocabulary

    # -- training ---------------------------------------------------------------------------

    @property
    def config_(self) -> SalaryConfig:
        return get_config(self.config)

    def _pool(
        self,
        rows: Sequence[SalaryInput],
        targets: np.ndarray | None = None,
        text_scores: np.ndarray | None = None,
    ) -> Pool:
        config = self.config_
        names = list(config.feature_names)
        nearest = self._nearest_fields(rows) if "field" in names else []
        data = [
            [
                float(text_scores[i])
                if name == "text_score" and text_scores is not None
                else nearest[i]
                if name == "field"
                else _feature_value(row, name)
                for name in names
            ]
            for i, row in enumerate(rows)
        ]
        n_text, n_cat = len(config.text_features), len(config.cat_features)
        return Pool(
            data,
            label=targets,
            text_features=list(range(n_text)) or None,
            cat_features=list(range(n_text, n_text + n_cat)),
            feature_names=names,
        )

    def _nearest_fields(self, rows: Sequence[SalaryInput]) -> list[str]:
        """Each row's nearest hh field as read from its title and skills (a query's too)."""
        if self.experience_ is None:
            return [UNKNOWN] * len(rows)
        return [max(w, key=w.__getitem__) for w in self.experience_.field_weights(rows)]

    def _text_scores(self, rows: Sequence[SalaryInput]) -> np.ndarray | None:
        return self.text_scorer_.transform(rows) if self.text_scorer_ is not None else None

    def fit(self, rows: Sequence[SalaryInput], targets: np.ndarray) -> SalaryModel:
        """Train on rows and their net monthly RUB salaries."""
        if len(rows) == 0:
            raise ValueError("no salary rows to train on")
        config = self.config_
        targets = np.asarray(targets, dtype=float)
        self.estimator_ = self._new_estimator()
        started = time.perf_counter()
        fit_rows, fit_targets, groups = (
            _with_query_copies(rows, targets, config.query_copies, self.random_state)
            if config.query_copies > 0
            else (list(rows), targets, np.arange(len(rows)))
        )
        self.experience_: ExperienceEffect | None = None
        self.year_offsets_: dict[int, float] = {}
        self.field_levels_: FieldLevels | None = None
        log_targets = np.log(fit_targets)
        if config.experience_effect:
            # Learned on the vacancies (not their query copies), then taken out of the target:
            # CatBoost and the text score learn pay at no experience, the curve adds the rest.
            self.experience_ = ExperienceEffect().fit(rows, np.log(targets))
            log_targets = log_targets - self.experience_.offsets(fit_rows)
        self.text_scorer_: TextSalaryScorer | None = None
        scores = None
        if config.text_score:
            self.text_scorer_ = TextSalaryScorer(
                n_folds=config.text_score_folds, random_state=self.random_state
            )
            scores = self.text_scorer_.fit_transform(fit_rows, log_targets, groups)
        label = log_targets if config.log_target else fit_targets
        self.estimator_.fit(self._pool(fit_rows, label, scores))
        if self.experience_ is not None:
            # Backfitting: the curve's steps less what the base already explains (experience.py).
            # The residuals use the vacancies' out-of-fold text scores, as CatBoost was trained
            # on: the full ridge has memorised the training texts (seniority words included), so
            # its in-sample residuals understate what the base leaves at each level on new rows.
            own_scores = scores[: len(rows)] if scores is not None else None
            fitted = self._quantiles(rows, own_scores)[:, 1]
            self.experience_.calibrate(rows, np.log(targets) - np.log(fitted))
            # Then each year's level: CatBoost's leaves are shared with 38,000 rows of 2021, so
            # the few newer years' rows stay under-fitted (2024 and 2026 ~7–9% in sample) and
            # were as much under-predicted held out; their median residual is added back.
            fitted = self._quantiles(rows, own_scores)[:, 1]
            self.year_offsets_ = year_offsets(rows, np.log(targets) - np.log(fitted))
            self.field_levels_ = self._listed_levels(rows, targets, own_scores)
        self.fit_seconds_ = time.perf_counter() - started
        self._remember_training_rows(rows)
        logger.info("salary model %s fitted on %d rows in %.1f s", config.name, len(rows), self.fit_seconds_)
        return self

    def _listed_levels(
        self, rows: Sequence[SalaryInput], targets: np.ndarray, text_scores: np.ndarray | None
    ) -> FieldLevels:
        """The training salaries per field × city × level, in the query year's money."""
        # the money the levels are in; _remember_training_rows sets the same year again after
        self.year_ = query_year([row.year for row in rows])
        return FieldLevels.fit(
            self.experience_.read_fields(rows) if self.experience_ is not None else [()] * len(rows),
            [row.city for row in rows],
            [row.experience for row in rows],
            self.in_query_year(rows, targets, text_scores),
        )

    def in_query_year(
        self, rows: Sequence[SalaryInput], targets: np.ndarray, text_scores: np.ndarray | None = None
    ) -> np.ndarray:
        """Log salaries moved to the query year's money by what the model says the year changes
        for each vacancy: its estimate asked in the query year over that in its own year (the
        data disagree with the average-wage index for IT, see docs/evaluation-salary.md)."""
        if text_scores is None:
            text_scores = self._text_scores(rows)
        own = self._quantiles(rows, text_scores)[:, 1]
        moved = self._quantiles([replace(row, year=self.year_) for row in rows], text_scores)[:, 1]
        return np.log(np.asarray(targets, dtype=float)) + np.log(moved) - np.log(own)

    def _new_estimator(self) -> CatBoostRegressor:
        params = self.config_.catboost_params()
        if self.iterations is not None:
            params["iterations"] = self.iterations
        return CatBoostRegressor(
            **params,
            random_seed=self.random_state,
            thread_count=self.thread_count or default_thread_count(),
            verbose=0,
            allow_writing_files=False,
        )

    def _remember_training_rows(self, rows: Sequence[SalaryInput]) -> None:
        """What the grid needs besides the estimator: support counts, known cities, the query year."""
        self.support_ = cell_support(rows)
        self.topic_support_ = {
            topic: cell_support([row for row in rows if row.topic == topic])
            for topic in {r.topic for r in rows}
        }
        self.field_support_ = (
            {f: cell_support([row for row in rows if f in row.fields]) for f in self.experience_.fields_}
            if self.experience_ is not None
            else {}
        )
        self.cities_ = sorted({row.city for row in rows})
        years = [row.year for row in rows]
        self.year_ = query_year(years)
        self.years_ = (int(min(years)), int(max(years)))
        self.n_train_ = len(rows)
        self.metrics_: dict[str, Any] = {
            "config": self.config_.name,
            "n_train": len(rows),
            "fit_seconds": round(self.fit_seconds_, 1),
        }

    # -- prediction -------------------------------------------------------------------------

    def predict_quantiles(self, rows: Sequence[SalaryInput]) -> np.ndarray:
        """(n, 3) array of p25, p50, p75 in RUB; a point model repeats its estimate three times."""
        if not rows:
            return np.zeros((0, 3))
        return self._quantiles(rows, self._text_scores(rows))

    def _quantiles(self, rows: Sequence[SalaryInput], text_scores: np.ndarray | None) -> np.ndarray:
        """``predict_quantiles`` with the text scores given (out-of-fold ones for training rows)."""
        if not rows:
            return np.zeros((0, 3))
        raw = np.asarray(self.estimator_.predict(self._pool(rows, text_scores=text_scores)), dtype=float)
        raw = raw.reshape(len(rows), -1)
        if self.experience_ is not None:
            raw = raw + self.experience_.offsets(rows)[:, None]
        if self.year_offsets_:
            raw = raw + np.array([self.year_offsets_.get(row.year, 0.0) for row in rows])[:, None]
        if self.config_.log_target:
            raw = np.exp(raw)
        if raw.shape[1] == 1:
            raw = np.repeat(raw, 3, axis=1)
        # Separate quantile heads can cross; sorting restores p25 ≤ p50 ≤ p75.
        return np.sort(raw, axis=1)

    def predict(self, rows: Sequence[SalaryInput]) -> np.ndarray:
        """Median (or point) estimate in RUB per row."""
        return self.predict_quantiles(rows)[:, 1]

    def resolve_city(self, area: str | None) -> str:
        """A known training city matching ``area`` case-insensitively, else ``unknown`` (Russia-wide)."""
        if not area:
            return UNKNOWN
        wanted = area.strip().casefold()
        for city in self.cities_:
            if city.casefold() == wanted:
                return city
        logger.info("salary: no training vacancies in %r; estimating without a city", area)
        return UNKNOWN

    def query_rows(
        self,
        skills_text: str,
        area: str | None = None,
        topic: object = None,
        skills: Sequence[str] | None = None,
    ) -> list[SalaryInput]:
        """The 20 grid rows for one query, in ``grid_keys()`` order.

        ``skills``: the query's canonical skills when the caller has parsed it already (a
        bundle's ``Query``); else they are read from ``skills_text`` with the model's vocabulary.
        """
        skills = tuple(skills) if skills is not None else query_skills(self.vocabulary, skills_text)
        city = self.resolve_city(area)
        topic_key = UNKNOWN if topic is None else str(topic)
        return [
            SalaryInput(
                text=skills_text,
                experience=level,
                schedule=schedule,
                # Titles carry much of the salary signal in training ("Python разработчик");
                # a student's skills are the closest thing a query has to a title.
                title=skills_text,
                skills=skills,
                city=city,
                year=self.year_,
                topic=topic_key,
            )
            for schedule, level in grid_keys()
        ]

    def salary_grid(
        self,
        skills_text: str,
        area: str | None = None,
        topic: object = None,
        *,
        skills: Sequence[str] | None = None,
        enforce_monotone: bool | None = None,
        settle: bool = True,
    ) -> SalaryGrid:
        """p25/p50/p75 for every schedule × experience pair, with support and extrapolation marks.

        Support is counted in the query's hh fields when the model has an experience curve,
        else within the topic when a known topic is given, else over all training vacancies.
        ``skills``: the query's parsed skills (else read from ``skills_text``).
        ``enforce_monotone`` (default: the config's choice) applies the running-maximum fix
        along experience; the product's curve needs none. ``settle``: keep each cell near what
        the vacancies list for the query's field, city and level (``SalaryModel.settle``); a caller that
        calibrates the grid first settles it after (``Bundle.salary_grid``).
        """
        rows = self.query_rows(skills_text, area, topic, skills)
        quantiles = self.predict_quantiles(rows)
        if self.config_.enforce_monotone_grid if enforce_monotone is None else enforce_monotone:
            quantiles = monotone_quantiles(quantiles)
        support = self._support(rows[0], topic)
        grid = build_grid(
            skills_text,
            quantiles,
            support,
            area=area,
            model=self.config_.name,
            skills=list(rows[0].skills),
            money_year=self.year_,
            data_years=self.years_,
        )
        return self.settle(grid) if settle else grid

    def settle(self, grid: SalaryGrid, keep: tuple[str, str] | None = None) -> SalaryGrid:
        """The grid with each cell kept near the listed salaries of the query's fields, city and
        level (recommender.salary.cells): inside their p10–p90 where at least ten are listed,
        shrunk toward the field's level where fewer; then made non-decreasing along experience
        again. ``keep``: a (schedule, level) cell left as it is (one calibrated on the listing the
        user sees). Unchanged for a model without field levels (older, or without the curve)."""
        if self.field_levels_ is None or self.experience_ is None or not grid.cells:
            return grid
        row = self.query_rows(grid.query, grid.area, skills=grid.skills)[0]
        weights = self.experience_.field_weights([row])[0]
        keys = [(c.schedule, c.experience) for c in grid.cells]
        quantiles = np.array([[c.p25, c.p50, c.p75] for c in grid.cells], dtype=float)
        settled = self.field_levels_.settle(quantiles, keys, weights, row.city)
        if keep in keys:
            settled[keys.index(keep)] = quantiles[keys.index(keep)]
        if keys == grid_keys():
            settled = monotone_quantiles(settled)
        cells = [
            replace(c, p25=round(float(q[0]), -2), p50=round(float(q[1]), -2), p75=round(float(q[2]), -2))
            for c, q in zip(grid.cells, settled, strict=True)
        ]
        return replace(grid, cells=cells)

    def _support(self, query: SalaryInput, topic: object) -> dict[tuple[str, str], int]:
        """Training vacancies behind each cell: in the query's fields (their counts averaged by the
        fields' weights) when the experience curve reads fields, else in its topic, else all."""
        if self.experience_ is not None and self.field_support_:
            weights = self.experience_.field_weights([query])[0]
            known = {f: w for f, w in weights.items() if f in self.field_support_}
            if known:
                total = sum(known.values())
                return {
                    key: round(sum(w * self.field_support_[f][key] for f, w in known.items()) / total)
                    for key in self.support_
                }
        if topic is not None:
            return self.topic_support_.get(str(topic), self.support_)
        return self.support_

    # -- persistence ------------------------------------------------------------------------

    def save(self, directory: str | Path) -> Path:
        """Write the CatBoost model, a JSON of everything else, and the vocabulary (pickle)."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        self.estimator_.save_model(str(path / MODEL_FILE))
        meta = {
            "config": self.config_.name,
            "random_state": self.random_state,
            "iterations": self.iterations,
            "support": _support_to_json(self.support_),
            "topic_support": {topic: _support_to_json(s) for topic, s in self.topic_support_.items()},
            "field_support": {f: _support_to_json(s) for f, s in self.field_support_.items()},
            "cities": self.cities_,
            "year": self.year_,
            "years": list(self.years_),
            "year_offsets": {str(year): offset for year, offset in self.year_offsets_.items()},
            "field_levels": self.field_levels_.to_json() if self.field_levels_ is not None else None,
            "n_train": self.n_train_,
            "metrics": self.metrics_,
        }
        (path / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        pickled = (
            (VOCABULARY_FILE, self.vocabulary),
            (TEXT_SCORER_FILE, self.text_scorer_),
            (EXPERIENCE_FILE, self.experience_),
        )
        for name, value in pickled:
            if value is not None:
                with open(path / name, "wb") as handle:
                    pickle.dump(value, handle)
        return path

    @classmethod
    def load(cls, directory: str | Path) -> SalaryModel:
        path = Path(directory)
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        vocabulary = _load_pickle(path / VOCABULARY_FILE)
        model = cls(
            meta["config"],
            random_state=meta["random_state"],
            iterations=meta["iterations"],
            vocabulary=vocabulary,
        )
        model.text_scorer_ = _load_pickle(path / TEXT_SCORER_FILE)
        model.experience_ = _load_pickle(path / EXPERIENCE_FILE)
        model.estimator_ = CatBoostRegressor()
        model.estimator_.load_model(str(path / MODEL_FILE))
        model.support_ = _support_from_json(meta["support"])
        model.topic_support_ = {t: _support_from_json(s) for t, s in meta["topic_support"].items()}
        model.field_support_ = {f: _support_from_json(s) for f, s in meta.get("field_support", {}).items()}
        model.cities_ = list(meta["cities"])
        model.year_ = int(meta["year"])
        model.years_ = tuple(meta.get("years", (model.year_, model.year_)))
        model.year_offsets_ = {int(year): float(v) for year, v in meta.get("year_offsets", {}).items()}
        levels = meta.get("field_levels")  # absent in models saved before the listed cells
        model.field_levels_ = FieldLevels.from_json(levels) if levels else None
        model.n_train_ = int(meta["n_train"])
        model.metrics_ = dict(meta["metrics"])
        return model

    @staticmethod
    def exists(directory: str | Path) -> bool:
        return (Path(directory) / MODEL_FILE).exists() and (Path(directory) / META_FILE).exists()


# Pseudo-rows of zero residual a year's offset is shrunk with: a year of a few dozen rows
# (2025: 38) keeps a fraction of its median residual, one of a thousand nearly all of it.
YEAR_PRIOR_ROWS = 40.0


def year_offsets(rows: Sequence[SalaryInput], residuals: np.ndarray) -> dict[int, float]:
    """Each year's median log residual, shrunk toward zero by ``YEAR_PRIOR_ROWS``."""
    by_year: dict[int, list[float]] = {}
    for row, value in zip(rows, np.asarray(residuals, dtype=float), strict=True):
        by_year.setdefault(row.year, []).append(float(value))
    return {
        year: float(np.median(values)) * len(values) / (len(values) + YEAR_PRIOR_ROWS)
        for year, values in sorted(by_year.items())
    }


def _with_query_copies(
    rows: Sequence[SalaryInput], targets: np.ndarray, share: float, random_state: int
) -> tuple[list[SalaryInput], np.ndarray, np.ndarray]:
    """Rows plus query-like copies of a ``share`` of the rows.

    A vacancy without skills gets an empty copy too: it teaches the model what a query
    that says nothing is worth (about the level's median), where it would otherwise read the
    ridge's intercept as a text score it never saw in training (held out, such rows came out
    at about three times their pay). ``groups`` ties each copy to its vacancy (for
    out-of-fold text scores).
    """
    rng = np.random.default_rng(random_state)
    copied = [i for i in range(len(rows)) if share >= 1 or rng.random() < share]
    fit_rows = list(rows) + [as_query(rows[i]) for i in copied]
    fit_targets = np.concatenate([targets, targets[copied]])
    groups = np.concatenate([np.arange(len(rows)), np.asarray(copied, dtype=int)])
    return fit_rows, fit_targets, groups


def _load_pickle(path: Path) -> Any | None:
    if not path.exists():
        return None
    with open(path, "rb") as handle:
        return pickle.load(handle)  # our own file, written by save() beside the model


def _support_to_json(support: dict[tuple[str, str], int]) -> dict[str, int]:
    return {f"{schedule}/{level}": count for (schedule, level), count in support.items()}


def _support_from_json(data: dict[str, int]) -> dict[tuple[str, str], int]:
    support: dict[tuple[str, str], int] = {}
    for key, count in data.items():
        schedule, level = key.split("/", 1)
        support[(schedule, level)] = int(count)
    return support


__all__ = ["DEFAULT_SALARY_BOUNDS", "SalaryModel", "default_thread_count"]
