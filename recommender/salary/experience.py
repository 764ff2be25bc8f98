"""How pay grows with experience, per field, learned where the data has it.

The big file has two experience levels (no experience, 1–3 years); only the full cards
carry all four. A gradient-boosted model trained on both barely moves past 1–3 years
(3–6 ÷ 1–3 came out 1.02 where the cards say 1.41), so the product model learns the
experience effect apart from CatBoost, as a curve per field:

- A field is an hh label of the vacancy (a 2021 specialization or a 2023 professional
  role, by id); labels that describe a level rather than a field ("Начальный уровень,
  Мало опыта") or nothing ("Другое") are not fields. A row without labels (the 2024 table
  rows) counts in its nearest field, read as a query's is (below).
- Each step between adjacent levels is the difference of median log salaries *within one
  data set*: one source, one detail (list item or card) and one year (``data_set``), so a
  step never compares junior list items with senior cards, nor 2021's juniors with 2026's
  seniors (the 2024 and 2026 items are list items too, and carry all four levels where the
  2021 list file has two: pooled by detail only, the 3–6 step read the years' pay rise as
  experience). Data sets are combined weighted by the harmonic mean of the two levels' counts.
- Partial pooling: a field's step is shrunk toward its parent's, weighted by the field's
  count against ``prior_rows`` (field → all IT, or all other fields → all vacancies), so a
  field with a dozen cards keeps mostly its sector's step and one with a thousand its own.
  A parent's step is the weighted mean of its fields' steps, so a parent never mistakes
  "senior cards come from better-paid fields" for the effect of experience.
- One backfitting pass (``calibrate``, after the base model is fitted): the training rows'
  residual steps, measured the same way, correct the sector's steps (both sources) and the
  field's (cards only, shrunk toward the sector's correction): the cards' medians overstate
  what is left once title, city and text are known (senior non-IT cards came out ~20% over).
- Steps are floored at zero and summed: the curve is non-decreasing by construction.

A row's field is read from its title and skills (what a student's query has too) by the
cosine to each field's TF-IDF centroid; its curve is the similarity-weighted mix of its
nearest fields' curves, a mix of non-decreasing curves being non-decreasing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer

from recommender.data.models import Vacancy
from recommender.salary.features import EXPERIENCE_LEVELS, NOT_FIELDS, SalaryInput, skills_token

logger = logging.getLogger(__name__)

ALL = "all"
IT = "it"
OTHER = "other"  # every field outside IT
# hh's professional roles of the "Информационные технологии" category (2023 cards); the 2021
# specializations of the IT profarea have ids "1.<n>".
IT_ROLE_IDS: frozenset[str] = frozenset(
    {
        "10", "12", "25", "34", "36", "73", "96", "104", "107", "112", "113", "114", "116", "121",
        "124", "125", "126", "148", "150", "155", "156", "157", "160", "164", "165",
    }
)  # fmt: skip


def field_names(vacancies: Iterable[Vacancy]) -> dict[str, str]:
    """Label id → hh name, for the fields the vacancies carry."""
    return {label.id: label.name for v in vacancies for label in v.labels if label.name not in NOT_FIELDS}


def is_it_field(field: str) -> bool:
    return field.startswith("1.") or field in IT_ROLE_IDS


def sector_of(field: str) -> str:
    """The parent a field's steps are pooled toward: all IT, or all other fields."""
    return IT if is_it_field(field) else OTHER


def field_document(row: SalaryInput) -> str:
    """What a field is read from: the title and the skills, both of which a query has."""
    return f"{row.title} " + " ".join(skills_token(skill) for skill in row.skills)


def data_set(row: SalaryInput) -> str:
    """The rows a step is measured within: one source, one detail, one year."""
    return f"{row.source}/{row.detail}/{row.year}"


def _step(by_source: dict[str, list[list[float]]], step: int) -> tuple[float, float]:
    """(within-source median log difference between levels step-1 and step, its weight)."""
    total, weight = 0.0, 0.0
    for levels in by_source.values():
        low, high = levels[step - 1], levels[step]
        if not low or not high:
            continue
        w = 2.0 * len(low) * len(high) / (len(low) + len(high))
        total += w * (float(np.median(high)) - float(np.median(low)))
        weight += w
    return (total / weight if weight else 0.0), weight


class ExperienceEffect(BaseEstimator):
    """Per-field log-salary curves over the four experience levels, pooled toward sector and all.

    Fitted attributes: ``curves_`` (group → array of 4 log offsets, 0 at no experience),
    ``steps_`` (group → raw within-source steps and weights), ``fields_`` (fields with a
    centroid, the columns of ``centroids_``), ``vectorizer_``.
    """

    def __init__(
        self,
        prior_rows: float = 40.0,
        min_field_rows: int = 15,
        neighbours: int = 3,
        min_similarity: float = 0.05,
    ) -> None:
        self.prior_rows = prior_rows
        self.min_field_rows = min_field_rows
        self.neighbours = neighbours
        self.min_similarity = min_similarity

    def fit(self, rows: Sequence[SalaryInput], log_y: np.ndarray) -> ExperienceEffect:
        log_y = np.asarray(log_y, dtype=float)
        # group → data set → level → log salaries
        values: dict[str, dict[str, list[list[float]]]] = defaultdict(
            lambda: defaultdict(lambda: [[] for _ in EXPERIENCE_LEVELS])
        )
        self._fit_fields(rows)
        for row, value, read in zip(rows, log_y, self.read_fields(rows), strict=True):
            level = EXPERIENCE_LEVELS.index(row.experience)
            for group in {ALL, *read}:
                values[group][data_set(row)][level].append(float(value))
        self.steps_ = {
            group: [_step(by_source, i) for i in range(1, len(EXPERIENCE_LEVELS))]
            for group, by_source in values.items()
        }
        fields = [g for g in self.steps_ if g != ALL]
        # A parent's step is the weighted mean of its fields' own steps, not the step of its
        # pooled medians: senior cards sit in better-paid fields (DevOps, data engineering),
        # which would otherwise pass for the effect of experience.
        whole = [raw for raw, _ in self.steps_.get(ALL, [(0.0, 0.0)] * 3)]
        pooled = {ALL: self._mean_step(fields) or whole}
        for sector in (IT, OTHER):
            members = [f for f in fields if sector_of(f) == sector]
            mean = self._mean_step(members)
            if mean is not None:
                weights = [sum(self.steps_[f][i][1] for f in members) for i in range(len(mean))]
                self.steps_[sector] = list(zip(mean, weights, strict=True))
            pooled[sector] = self._pool(sector, pooled[ALL])
        for group in fields:
            pooled[group] = self._pool(group, pooled[sector_of(group)])
        self.pooled_steps_ = pooled
        self._set_curves()
        logger.info(
            "experience effect: %d fields; all-vacancies ratios %s",
            len(self.fields_),
            np.round(np.exp(np.diff(self.curves_[ALL])), 2).tolist(),
        )
        return self

    def _set_curves(self) -> None:
        self.curves_ = {
            group: np.concatenate([[0.0], np.cumsum(np.maximum(steps, 0.0))])
            for group, steps in self.pooled_steps_.items()
        }

    def calibrate(self, rows: Sequence[SalaryInput], residuals: np.ndarray) -> ExperienceEffect:
        """One backfitting pass: correct each sector's steps by what the fitted model still misses.

        ``residuals``: log salary minus the full model's log estimate (base + curve) on the
        training rows. The medians of the cards' steps say how pay grows within a field, but
        the base model already explains part of that through title, city and text (senior
        non-IT cards in training came out about 20% over). The step of the residuals, measured
        within one data set like the steps themselves, is shrunk by ``prior_rows`` toward
        zero for a sector and toward its sector's correction for a field, and added to the
        group's steps; steps stay floored at zero. A field's correction is read from its cards
        only: on the list file CatBoost's own field feature has already fitted each field.
        """
        values: dict[str, dict[str, list[list[float]]]] = defaultdict(
            lambda: defaultdict(lambda: [[] for _ in EXPERIENCE_LEVELS])
        )
        read = self.read_fields(rows)
        for row, value, fields in zip(rows, np.asarray(residuals, dtype=float), read, strict=True):
            level = EXPERIENCE_LEVELS.index(row.experience)
            sectors = {ALL, *(sector_of(f) for f in fields)}
            for group in sectors if row.detail != "card" else {*sectors, *row.fields}:
                values[group][data_set(row)][level].append(float(value))
        raw = {
            g: [_step(by_source, i) for i in range(1, len(EXPERIENCE_LEVELS))]
            for g, by_source in values.items()
        }

        def shrunk(group: str, parent: list[float]) -> list[float]:
            return [
                (w * r + self.prior_rows * p) / (w + self.prior_rows)
                for (r, w), p in zip(raw.get(group, [(0.0, 0.0)] * len(parent)), parent, strict=True)
            ]

        zero = [0.0] * (len(EXPERIENCE_LEVELS) - 1)
        corrections = {ALL: shrunk(ALL, zero)}
        for sector in (IT, OTHER):
            corrections[sector] = shrunk(sector, zero)
        for group in self.pooled_steps_:
            if group not in corrections:
                corrections[group] = shrunk(group, corrections[sector_of(group)])
        self.corrections_ = corrections
        for group, steps in self.pooled_steps_.items():
            self.pooled_steps_[group] = [s + c for s, c in zip(steps, corrections[group], strict=True)]
        self._set_curves()
        logger.info(
            "experience effect calibrated: step corrections %s",
            {g: np.round(np.exp(corrections[g]), 3).tolist() for g in (ALL, IT, OTHER)},
        )
        return self

    def _mean_step(self, fields: Sequence[str]) -> list[float] | None:
        """Each step averaged over ``fields``, weighted by their counts (None when none has data)."""
        out = []
        for step in range(len(EXPERIENCE_LEVELS) - 1):
            pairs = [self.steps_[f][step] for f in fields]
            weight = sum(w for _, w in pairs)
            if weight == 0:
                return None
            out.append(sum(raw * w for raw, w in pairs) / weight)
        return out

    def _pool(self, group: str, parent: list[float]) -> list[float]:
        steps = self.steps_.get(group)
        if steps is None:
            return list(parent)
        return [
            (weight * raw + self.prior_rows * prior) / (weight + self.prior_rows)
            for (raw, weight), prior in zip(steps, parent, strict=True)
        ]

    def _fit_fields(self, rows: Sequence[SalaryInput]) -> None:
        """A TF-IDF centroid per field with enough rows: what a query's field is read from."""
        labelled = [row for row in rows if row.fields]
        counts: dict[str, int] = defaultdict(int)
        for row in labelled:
            for f in row.fields:
                counts[f] += 1
        self.fields_ = sorted(f for f, n in counts.items() if n >= self.min_field_rows)
        self.vectorizer_ = TfidfVectorizer(min_df=2, max_features=30_000, sublinear_tf=True, dtype=np.float32)
        if not self.fields_:
            self.centroids_ = np.zeros((0, 0), dtype=np.float32)
            return
        matrix = self.vectorizer_.fit_transform([field_document(row) for row in labelled])
        column = {f: i for i, f in enumerate(self.fields_)}
        membership = np.zeros((len(labelled), len(self.fields_)), dtype=np.float32)
        for i, row in enumerate(labelled):
            for f in row.fields:
                if f in column:
                    membership[i, column[f]] = 1.0
        centroids = np.asarray((matrix.T @ membership).T)
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        self.centroids_ = (centroids / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    def read_fields(self, rows: Sequence[SalaryInput]) -> list[tuple[str, ...]]:
        """Each row's hh fields; for a row without labels (the 2024 table rows, IT vacancies
        with no hh label) its nearest field read from title and skills, as a query's is, so
        its senior rows teach the curves of the fields it is answered with."""
        unlabelled = [i for i, row in enumerate(rows) if not row.fields]
        out = [row.fields for row in rows]
        if not unlabelled:
            return out
        weights = self.field_weights([rows[i] for i in unlabelled])
        for i, w in zip(unlabelled, weights, strict=True):
            nearest = max(w, key=w.__getitem__)
            out[i] = () if nearest == ALL else (nearest,)
        return out

    def field_weights(self, rows: Sequence[SalaryInput]) -> list[dict[str, float]]:
        """Each row's nearest fields and their weights (summing to 1); ``all`` when none is near."""
        if not self.fields_:
            return [{ALL: 1.0} for _ in rows]
        documents = [field_document(row) for row in rows]
        unique = list(dict.fromkeys(documents))
        similarity = np.asarray(self.vectorizer_.transform(unique) @ self.centroids_.T)
        by_document = {}
        for doc, sims in zip(unique, similarity, strict=True):
            top = np.argsort(-sims)[: self.neighbours]
            top = top[sims[top] >= self.min_similarity]
            if top.size == 0:
                by_document[doc] = {ALL: 1.0}
                continue
            strength = sims[top] ** 2  # the nearest field dominates; ties share
            by_document[doc] = {
                self.fields_[i]: float(s / strength.sum()) for i, s in zip(top, strength, strict=True)
            }
        return [by_document[doc] for doc in documents]

    def curves(self, rows: Sequence[SalaryInput]) -> np.ndarray:
        """(n, 4) log offsets per experience level for each row: non-decreasing along levels."""
        out = np.zeros((len(rows), len(EXPERIENCE_LEVELS)))
        for i, weights in enumerate(self.field_weights(rows)):
            for group, weight in weights.items():
                out[i] += weight * self.curves_[group]
        return out

    def offsets(self, rows: Sequence[SalaryInput]) -> np.ndarray:
        """Each row's log offset at its own experience level."""
        if not rows:
            return np.zeros(0)
        levels = np.array([EXPERIENCE_LEVELS.index(row.experience) for row in rows])
        return self.curves(rows)[np.arange(len(rows)), levels]

    def ratios(self, group: str) -> list[float]:
        """Pay ratios of adjacent levels for a group (1–3 ÷ none, 3–6 ÷ 1–3, 6+ ÷ 3–6)."""
        return np.exp(np.diff(self.curves_[group])).round(3).tolist()
