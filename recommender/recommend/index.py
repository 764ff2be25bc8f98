"""The searchable vacancy corpus: compact display fields, a doc-skill matrix, filters.

Only what a recommendation shows is kept (no vacancy texts), as integer codes and
float32 arrays where possible, so an 87k-vacancy bundle stays small in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import scipy.sparse as sp
from tqdm import tqdm

from recommender.data.areas import RUSSIA
from recommender.data.models import Vacancy
from recommender.data.money import format_pay
from recommender.recommend.fields import FieldParams, field_weights, seniority_levels, title_words
from recommender.recommend.filters import Filters
from recommender.skills.vocabulary import FieldSkills
from recommender.topics.labels import clean_title

logger = logging.getLogger(__name__)


def extract_doc_skills(
    vocabulary: Any, vacancies: Sequence[Vacancy], *, progress: bool = False
) -> list[list[str]]:
    """Canonical skills of every vacancy; a vacancy the vocabulary fails on gets none (logged)."""
    return [fields.all for fields in extract_field_skills(vocabulary, vacancies, progress=progress)]


def extract_field_skills(
    vocabulary: Any, vacancies: Sequence[Vacancy], *, progress: bool = False
) -> list[FieldSkills]:
    """Every vacancy's skills by field (``FieldSkills``); a vacancy the vocabulary fails on gets none."""
    fields: list[FieldSkills] = []
    failed = 0
    for vacancy in tqdm(vacancies, desc="skills", unit="vac", disable=not progress, mininterval=1.0):
        try:
            fields.append(vocabulary.skills_by_field(vacancy))
        except Exception:
            failed += 1
            fields.append(FieldSkills((), (), ()))
    if failed:
        logger.warning("skill extraction failed on %d vacancies (indexed without skills)", failed)
    return fields


def canonical_key_skills(vocabulary: Any, vacancy: Vacancy) -> list[str]:
    """The vacancy's key_skills in canonical form, de-duplicated, in their order."""
    skills: dict[str, None] = {}
    for name in vacancy.key_skills:
        try:
            found = vocabulary.extract(name).skills
        except Exception:  # one odd key skill must not stop the training
            logger.warning("skill extraction failed for key skill %r", name[:80])
            continue
        for skill in found:
            skills.setdefault(skill, None)
    return list(skills)


HH_URL = "https://hh.ru/vacancy/{id}"
NO_CODE = -1
EPOCH = date(1970, 1, 1)
NO_DATE = -1  # published_days of a vacancy without a publication date


def _encode(values: Sequence[str | None]) -> tuple[np.ndarray, list[str]]:
    """Category codes (int32, -1 for missing) and the code → value table."""
    table: dict[str, int] = {}
    codes = np.full(len(values), NO_CODE, dtype=np.int32)
    for i, value in enumerate(values):
        if value:
            codes[i] = table.setdefault(value, len(table))
    return codes, list(table)


def _group_rows(codes: np.ndarray, n_codes: int) -> list[np.ndarray]:
    """Sorted row indices per code: the precomputed filter index arrays."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_codes + 1))
    return [order[bounds[c] : bounds[c + 1]].astype(np.int64) for c in range(n_codes)]


def format_salary(low: float, high: float, currency: str, gross: int) -> str:
    """hh's published salary, short: "от 80 000 ₽", "до 80 000 ₽", "80 000–120 000 ₽", foreign
    pay in its own currency ("от 4 000 $"); the index's NaN / -1 for "not given"
    (recommender.data.money.format_pay writes it)."""
    return format_pay(
        None if np.isnan(low) else low, None if np.isnan(high) else high, currency, gross == 1 or None
    )


KEYNESS_SMOOTHING = 5.0  # pseudo-observations pulling a rarely seen skill to the corpus-wide rate


def _keyness(
    doc_skills: Sequence[Sequence[str]], key_skills: Sequence[Sequence[str]], names: dict[str, int]
) -> np.ndarray:
    """Per skill: of the vacancies with key_skills that mention it, the smoothed share listing it as one."""
    mentioned = np.zeros(len(names), dtype=np.float64)
    listed = np.zeros(len(names), dtype=np.float64)
    for skills, keys in zip(doc_skills, key_skills, strict=True):
        if not keys:
            continue
        keys_set = set(keys)
        for skill in set(skills) | keys_set:
            column = names.get(skill)
            if column is not None:
                mentioned[column] += 1
                listed[column] += skill in keys_set
    base = listed.sum() / mentioned.sum() if mentioned.sum() else 1.0
    return ((listed + KEYNESS_SMOOTHING * base) / (mentioned + KEYNESS_SMOOTHING)).astype(np.float32)


@dataclass
class SkillMatrix:
    """Which canonical skills each vacancy asks for, plus corpus statistics over them."""

    names: list[str]
    rows: sp.csr_matrix  # n_docs × n_skills, 1.0 where the vacancy asks for the skill
    doc_freq: np.ndarray  # float32 share of vacancies asking for each skill
    cooccurrence: sp.csr_matrix  # n_skills × n_skills counts of vacancies asking for both
    # How often a skill, where it occurs in a card, is one of the card's explicit key_skills
    # rather than a word found in its text (smoothed; 1.0 when no key skills are known).
    keyness: np.ndarray | None = None
    columns: sp.csc_matrix = field(init=False, repr=False)
    column_of: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.columns = self.rows.tocsc()
        self.column_of = {name: i for i, name in enumerate(self.names)}

    @classmethod
    def build(
        cls, doc_skills: Sequence[Sequence[str]], key_skills: Sequence[Sequence[str]] | None = None
    ) -> SkillMatrix:
        names: dict[str, int] = {}
        indptr = [0]
        indices: list[int] = []
        for skills in doc_skills:
            seen = dict.fromkeys(skills)  # de-duplicated, order kept for display
            indices.extend(names.setdefault(s, len(names)) for s in seen)
            indptr.append(len(indices))
        n_docs = len(doc_skills)
        rows = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
            shape=(n_docs, len(names)),
        )
        doc_freq = np.asarray(rows.sum(axis=0)).ravel().astype(np.float32) / max(n_docs, 1)
        cooc = (rows.T @ rows).tocsr().astype(np.float32)
        keyness = _keyness(doc_skills, key_skills, names) if key_skills is not None else None
        return cls(names=list(names), rows=rows, doc_freq=doc_freq, cooccurrence=cooc, keyness=keyness)

    def __len__(self) -> int:
        return len(self.names)

    def __getstate__(self) -> dict:
        return {
            "names": self.names,
            "rows": self.rows,
            "doc_freq": self.doc_freq,
            "cooc": self.cooccurrence,
            "keyness": self.keyness,
        }

    def __setstate__(self, state: dict) -> None:
        self.names, self.rows = state["names"], state["rows"]
        self.doc_freq, self.cooccurrence = state["doc_freq"], state["cooc"]
        self.keyness = state.get("keyness")
        self.__post_init__()

    def skills_of_row(self, row: int) -> list[str]:
        start, end = self.rows.indptr[row], self.rows.indptr[row + 1]
        return [self.names[c] for c in self.rows.indices[start:end]]

    def idf(self) -> np.ndarray:
        return np.log1p(1.0 / np.maximum(self.doc_freq, 1e-6)).astype(np.float32)


class VacancyIndex:
    """Display fields and filters of the vacancies a recommender ranks, row-aligned."""

    def __init__(
        self,
        vacancies: Sequence[Vacancy],
        doc_skills: Sequence[Sequence[str]],
        key_skills: Sequence[Sequence[str]] | None = None,
        title_skills: Sequence[Sequence[str]] | None = None,
        *,
        field_params: FieldParams | None = None,
    ) -> None:
        """``doc_skills``: each vacancy's canonical skills; ``key_skills``: the subset it lists as
        key_skills (cards only; empty for search-list items); ``title_skills``: the subset its
        title names. Where a skill is named sets its weight in the ranking (``fields``)."""
        if len(vacancies) != len(doc_skills):
            raise ValueError("one skill list per vacancy is needed")
        self.ids = [v.id for v in vacancies]
        self.source_codes, self.sources = _encode([v.source for v in vacancies])
        self.country_codes, self.countries = _encode([v.country for v in vacancies])
        self.titles = [v.title for v in vacancies]
        self.employer_codes, self.employers = _encode([v.employer for v in vacancies])
        self.area_codes, self.areas = _encode([v.area for v in vacancies])
        area_ids = {v.area: v.area_id for v in vacancies if v.area and v.area_id}
        self.area_ids = [area_ids.get(name, "") for name in self.areas]
        self.schedule_codes, self.schedules = _encode([v.schedule for v in vacancies])
        self.experience_codes, self.experiences = _encode([v.experience for v in vacancies])
        self.employment_codes, self.employments = _encode([v.employment for v in vacancies])
        # Days since 1970 (int32, NO_DATE when unknown): dates to show and to sort by.
        self.published_days = np.asarray(
            [(v.published_at.date() - EPOCH).days if v.published_at else NO_DATE for v in vacancies],
            dtype=np.int32,
        )
        self.archived = np.asarray([v.archived for v in vacancies], dtype=bool)
        self._set_salaries(vacancies)
        # Only URLs that differ from hh's standard address are stored.
        self.custom_urls = {
            i: v.url for i, v in enumerate(vacancies) if v.url and v.url != HH_URL.format(id=v.id)
        }
        dedupe_keys = [(v.title.strip().lower(), v.employer.strip().lower()) for v in vacancies]
        self.dedupe_codes = _encode([f"{t}\x00{e}" for t, e in dedupe_keys])[0]
        self.skills = SkillMatrix.build(doc_skills, key_skills)
        rows, names = self.skills.rows, self.skills.names
        self.field_weights = field_weights(
            vacancies, key_skills, title_skills, rows, names, field_params or FieldParams()
        )
        self.title_words, self.title_vocabulary = title_words(self.titles)
        self.seniority = seniority_levels(self.titles)
        # what a specialization's label reads of a title, cleaned once here: 20 µs a title, which
        # an answer's first sight of fifty matches paid on the bot's hot path
        self.clean_titles: list[str] | None = [clean_title(title) for title in self.titles]
        self._build_filters()

    def _set_salaries(self, vacancies: Sequence[Vacancy]) -> None:
        n = len(vacancies)
        self.salary_net = np.full(n, np.nan, dtype=np.float32)
        self.salary_from = np.full(n, np.nan, dtype=np.float32)
        self.salary_to = np.full(n, np.nan, dtype=np.float32)
        self.salary_gross = np.full(n, -1, dtype=np.int8)
        currencies: list[str | None] = []
        for i, v in enumerate(vacancies):
            s = v.salary
            currencies.append(s.currency if s else None)
            if s is None:
                continue
            self.salary_net[i] = s.monthly_net_rub
            self.salary_from[i] = np.nan if s.salary_from is None else s.salary_from
            self.salary_to[i] = np.nan if s.salary_to is None else s.salary_to
            self.salary_gross[i] = -1 if s.gross is None else int(s.gross)
        self.currency_codes, self.currencies = _encode(currencies)

    def _build_filters(self) -> None:
        self.rows_by_area = _group_rows(self.area_codes, len(self.areas))
        self.rows_by_schedule = _group_rows(self.schedule_codes, len(self.schedules))
        self.rows_by_experience = _group_rows(self.experience_codes, len(self.experiences))
        self.rows_by_employment = _group_rows(self.employment_codes, len(self.employments))
        self.live_rows = np.flatnonzero(~self.archived).astype(np.int64)
        self._country_rows: dict[str, np.ndarray | None] = {}  # country → its rows, on first use
        self.field_columns = self.field_weights.tocsc()  # per skill: the rows naming it and how
        self._row_of: dict[str, int] | None = None  # key → row, built on the first exclusion
        lowered = {name.lower(): i for i, name in enumerate(self.areas)}
        lowered.update({aid: i for i, aid in enumerate(self.area_ids) if aid})
        self.area_lookup = lowered

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for key in (
            "rows_by_area", "rows_by_schedule", "rows_by_experience", "rows_by_employment",
            "area_lookup", "live_rows", "_row_of", "field_columns", "_country_rows",
        ):  # fmt: skip
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        # Bundles written before dates, employment and the archive flag were indexed.
        n = len(self.ids)
        if "published_days" not in state:
            self.published_days = np.full(n, NO_DATE, dtype=np.int32)
        if "archived" not in state:
            self.archived = np.zeros(n, dtype=bool)
        if "source_codes" not in state:  # bundles written before sources: all hh.ru
            self.source_codes, self.sources = np.zeros(n, dtype=np.int32), ["hh"]
            self.country_codes, self.countries = np.full(n, NO_CODE, dtype=np.int32), []
        if "clean_titles" not in state:  # bundles written before: cleaned when first shown
            self.clean_titles = None
        if "employment_codes" not in state:
            self.employment_codes, self.employments = np.full(n, NO_CODE, dtype=np.int32), []
        if "field_weights" not in state:  # bundles written before field weights: every skill a mention
            self.field_weights = sp.csr_matrix(self.skills.rows * np.float32(0.5))
            self.title_words, self.title_vocabulary = title_words(self.titles)
            self.seniority = seniority_levels(self.titles)
        self._build_filters()

    def __len__(self) -> int:
        return len(self.ids)

    def filter_rows(self, filters: Filters, exclude_keys: Collection[str] = ()) -> np.ndarray | None:
        """Sorted rows passing the filters (``Filters`` says what each value means; the sort is
        not a filter); None when no filter is set and nothing is archived.

        An unknown value matches nothing. Archived vacancies and ``exclude_keys`` (``Vacancy.key``
        of vacancies hidden by the user or known to be closed) never pass.
        """
        selections: list[np.ndarray] = []
        empty = np.empty(0, dtype=np.int64)
        if area := filters.area:
            code = self.area_lookup.get(str(area).strip().lower(), self.area_lookup.get(str(area).strip()))
            selections.append(empty if code is None else self.rows_by_area[code])
        for value, names, groups in (
            (filters.schedule, self.schedules, self.rows_by_schedule),
            (filters.experience, self.experiences, self.rows_by_experience),
            (filters.employment, self.employments, self.rows_by_employment),
        ):
            if value:
                code = names.index(value) if value in names else None
                selections.append(empty if code is None else groups[code])
        if filters.country and (rows := self._rows_in_country(filters.country)) is not None:
            selections.append(rows)
        if filters.with_salary or filters.min_salary:
            paid = ~np.isnan(self.salary_net)
            if filters.min_salary:
                paid &= np.nan_to_num(self.salary_net, nan=0.0) >= float(filters.min_salary)
            selections.append(np.flatnonzero(paid).astype(np.int64))
        hidden = np.asarray(self.rows_of(exclude_keys) if exclude_keys else [], dtype=np.int64)
        if hidden.size:
            live = self.live_rows  # sorted: the hidden rows are found by binary search, not a set difference
            at = np.searchsorted(live, hidden)
            found = at < live.size
            at = at[found][live[at[found]] == hidden[found]]
            selections.append(np.delete(live, at))
        elif self.live_rows.size < len(self.ids):
            selections.append(self.live_rows)
        if not selections:
            return None
        rows = selections[0]
        for other in selections[1:]:
            rows = np.intersect1d(rows, other, assume_unique=True)
        return rows

    def _rows_in_country(self, country: str) -> np.ndarray | None:
        """Sorted rows of vacancies in ``country`` (RUSSIA: also those of unknown country);
        None when that is every row."""
        if country not in self._country_rows:
            codes = [i for i, name in enumerate(self.countries) if name == country]
            if country == RUSSIA and len(codes) == len(self.countries):  # no vacancy abroad
                self._country_rows[country] = None
            else:
                codes += [NO_CODE] if country == RUSSIA else []
                rows = np.flatnonzero(np.isin(self.country_codes, codes)).astype(np.int64)
                self._country_rows[country] = rows
        return self._country_rows[country]

    def rows_of(self, keys: Collection[str]) -> list[int]:
        """Sorted rows of the given ``Vacancy.key`` values (unknown keys are ignored)."""
        if self._row_of is None:
            self._row_of = {self.key(row): row for row in range(len(self.ids))}
        row_of = self._row_of
        return sorted({row_of[key] for key in keys if key in row_of})

    def source(self, row: int) -> str:
        code = int(self.source_codes[row])
        return self.sources[code] if code != NO_CODE else "hh"

    def country(self, row: int) -> str:
        """The country's name; "" when unknown (Russia)."""
        return self._name(self.country_codes, self.countries, row) or ""

    def key(self, row: int) -> str:
        """The row's ``Vacancy.key``, "source:id"."""
        return f"{self.source(row)}:{self.ids[row]}"

    def url(self, row: int) -> str:
        if row in self.custom_urls or self.source(row) != "hh":
            return self.custom_urls.get(row, "")
        return HH_URL.format(id=self.ids[row])

    def employer(self, row: int) -> str:
        code = self.employer_codes[row]
        return self.employers[code] if code != NO_CODE else ""

    def area(self, row: int) -> str:
        code = self.area_codes[row]
        return self.areas[code] if code != NO_CODE else ""

    def _name(self, codes: np.ndarray, names: list[str], row: int) -> str | None:
        code = codes[row]
        return names[code] if code != NO_CODE else None

    def schedule(self, row: int) -> str | None:
        return self._name(self.schedule_codes, self.schedules, row)

    def experience(self, row: int) -> str | None:
        return self._name(self.experience_codes, self.experiences, row)

    def employment(self, row: int) -> str | None:
        return self._name(self.employment_codes, self.employments, row)

    def published(self, row: int) -> date | None:
        days = int(self.published_days[row])
        return None if days == NO_DATE else EPOCH + timedelta(days=days)

    def period(self) -> tuple[date, date] | None:
        """The first and last publication dates of the corpus (None when no vacancy has one)."""
        known = self.published_days[self.published_days != NO_DATE]
        if known.size == 0:
            return None
        return EPOCH + timedelta(days=int(known.min())), EPOCH + timedelta(days=int(known.max()))

    def salary(self, row: int) -> float | None:
        value = self.salary_net[row]
        return None if np.isnan(value) else float(value)

    def currency(self, row: int) -> str:
        """The published salary's currency code; "" without a salary."""
        return self._name(self.currency_codes, self.currencies, row) or ""

    def salary_text(self, row: int) -> str:
        code = self.currency_codes[row]
        if code == NO_CODE:
            return ""
        return format_salary(
            float(self.salary_from[row]),
            float(self.salary_to[row]),
            self.currencies[code],
            int(self.salary_gross[row]),
        )


def build_index(
    vocabulary: Any, vacancies: Sequence[Vacancy], *, progress: bool = False
) -> tuple[VacancyIndex, list[list[str]]]:
    """The index of ``vacancies`` with every skill's field, and each vacancy's skills (topic models' docs)."""
    fields = extract_field_skills(vocabulary, vacancies, progress=progress)
    docs = [f.all for f in fields]
    keys, titles = [list(f.key_skills) for f in fields], [list(f.title) for f in fields]
    index = VacancyIndex(vacancies, docs, keys, titles)
    return index, docs
