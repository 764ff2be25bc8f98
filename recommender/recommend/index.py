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
from recommender.data.models import Vacancy, schedule_id
from recommender.data.money import PublishedPay
from recommender.recommend.fields import (
    KEY_FLAG,
    TITLE_FLAG,
    MentionParams,
    kept_title_words,
    mention_flags,
    pair_rows,
    seniority_levels,
    title_token_rows,
    title_words,
    weights_from_flags,
)
from recommender.recommend.filters import Filters
from recommender.skills.vocabulary import SkillMentions
from recommender.topics.labels import clean_title

logger = logging.getLogger(__name__)


def extract_skill_mentions(
    vocabulary: Any, vacancies: Sequence[Vacancy], *, progress: bool = False
) -> list[SkillMentions]:
    """Every vacancy's skills by where it names them (``SkillMentions``); a vacancy the vocabulary
    fails on gets none.

    The one place skill extraction is caught: vacancies come from outside (hh.ru, Работа России,
    files), and one odd vacancy must not lose a training run or stop the index following the
    collector (which would retry the same batch for ever). The first failure's traceback is
    logged, so a bug is seen, not only counted."""
    mentions: list[SkillMentions] = []
    failed = 0
    for vacancy in tqdm(vacancies, desc="skills", unit="vac", disable=not progress, mininterval=1.0):
        try:
            mentions.append(vocabulary.skill_mentions(vacancy))
        except Exception:
            if not failed:
                logger.exception("skill extraction failed on vacancy %s", vacancy.key)
            failed += 1
            mentions.append(SkillMentions((), (), ()))
    if failed:
        logger.warning("skill extraction failed on %d vacancies (indexed without skills)", failed)
    return mentions


def canonical_key_skills(vocabulary: Any, vacancy: Vacancy) -> list[str]:
    """The vacancy's key_skills in canonical form, de-duplicated, in their order."""
    skills: dict[str, None] = {}
    for name in vacancy.key_skills:
        for skill in vocabulary.extract(name).skills:
            skills.setdefault(skill, None)
    return list(skills)


# Bundles pickled before BM25F's names said "mention" (where a vacancy names a skill) rather than
# "field", the word for a professional field everywhere else.
RENAMED_STATE = {
    "field_weights": "mention_weights",
    "field_flags": "mention_flags",
    "field_params": "mention_params",
}
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


KEYNESS_SMOOTHING = 5.0  # pseudo-observations pulling a rarely seen skill to the corpus-wide rate


def _keyness(rows: sp.csr_matrix, flags: np.ndarray) -> np.ndarray:
    """Per skill: of the vacancies with key_skills that mention it, the smoothed share listing it as
    one (``flags``: each pair's ``mention_flags``)."""
    listed_pairs = (flags & KEY_FLAG) != 0
    pairs = pair_rows(rows.indptr)
    has_keys = np.bincount(pairs[listed_pairs], minlength=rows.shape[0]) > 0
    counted = has_keys[pairs]
    n_skills = rows.shape[1]
    mentioned = np.bincount(rows.indices[counted], minlength=n_skills).astype(np.float64)
    listed = np.bincount(rows.indices[counted & listed_pairs], minlength=n_skills).astype(np.float64)
    base = listed.sum() / mentioned.sum() if mentioned.sum() else 1.0
    return ((listed + KEYNESS_SMOOTHING * base) / (mentioned + KEYNESS_SMOOTHING)).astype(np.float32)


def _binary_rows(lists: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, list[str]]:
    """Binary row × name matrix of ``lists`` (each de-duplicated, order kept) and its names in
    order of first appearance."""
    names: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    for items in lists:
        indices.extend(names.setdefault(s, len(names)) for s in dict.fromkeys(items))
        indptr.append(len(indices))
    rows = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(lists), len(names)),
    )
    return rows, list(names)


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
        rows, names = _binary_rows(doc_skills)
        flags = None if key_skills is None else mention_flags(key_skills, None, rows, names)
        return cls.of_rows(rows, names, flags)

    @classmethod
    def of_rows(cls, rows: sp.csr_matrix, names: list[str], flags: np.ndarray | None) -> SkillMatrix:
        """The matrix of binary ``rows`` over ``names``; with the pairs' ``mention_flags``, the skills'
        keyness (None without: no key skills known)."""
        n_docs = rows.shape[0]
        doc_freq = np.asarray(rows.sum(axis=0)).ravel().astype(np.float32) / max(n_docs, 1)
        cooc = (rows.T @ rows).tocsr().astype(np.float32)
        keyness = _keyness(rows, flags) if flags is not None else None
        return cls(names=names, rows=rows, doc_freq=doc_freq, cooccurrence=cooc, keyness=keyness)

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


# The categorical fields an index encodes: (vacancy attribute, the index's codes and table attributes).
CATEGORIES = {
    "employer": ("employer_codes", "employers"),
    "area": ("area_codes", "areas"),
    "schedule": ("schedule_codes", "schedules"),
    "experience": ("experience_codes", "experiences"),
    "employment": ("employment_codes", "employments"),
    "currency": ("currency_codes", "currencies"),
    "source": ("source_codes", "sources"),
    "country": ("country_codes", "countries"),
}
ROW_ARRAYS = (
    "published_days",
    "archived",
    "salary_net",
    "salary_from",
    "salary_to",
    "salary_gross",
    "is_card",
    "seniority",
)


def _first_seen(codes: np.ndarray, table: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Codes renumbered in order of first appearance, unused values dropped: what ``_encode``
    gives for the same rows, so an updated index equals one built from scratch."""
    used = codes[codes != NO_CODE]
    values, first = np.unique(used, return_index=True)
    order = values[np.argsort(first, kind="stable")]
    remap = np.full(len(table) + 1, NO_CODE, dtype=np.int32)  # the last slot maps NO_CODE (-1)
    remap[order] = np.arange(len(order), dtype=np.int32)
    return remap[codes], [table[i] for i in order]


def _merge_tables(table: list[str], codes: np.ndarray, other: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """``table`` extended by the values of ``other`` it lacks; ``codes`` (into ``other``) mapped into it."""
    position = {value: i for i, value in enumerate(table)}
    merged = list(table)
    for value in other:
        if value not in position:
            position[value] = len(merged)
            merged.append(value)
    mapping = np.asarray([position[v] for v in other], dtype=np.int32)
    mapped = np.where(codes == NO_CODE, NO_CODE, mapping[np.maximum(codes, 0)] if len(other) else NO_CODE)
    return merged, mapped.astype(np.int32)


def _first_seen_columns(matrix: sp.csr_matrix, names: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    """``matrix`` with its columns renumbered in order of first appearance (row by row), unused
    columns dropped; the pairs keep their order within each row."""
    indices, table = _first_seen(matrix.indices.astype(np.int32), names)
    out = sp.csr_matrix(
        (matrix.data.copy(), indices, matrix.indptr.copy()), shape=(matrix.shape[0], len(table))
    )
    return out, table


def _stack_columns(
    top: sp.csr_matrix, top_names: list[str], bottom: sp.csr_matrix, bottom_names: Sequence[str]
) -> tuple[sp.csr_matrix, list[str]]:
    """Rows of ``top`` then ``bottom``, their columns (named) merged; pair order kept."""
    names, indices = _merge_tables(top_names, bottom.indices.astype(np.int32), bottom_names)
    indptr = np.concatenate([top.indptr, top.indptr[-1] + bottom.indptr[1:]])
    matrix = sp.csr_matrix(
        (np.concatenate([top.data, bottom.data]), np.concatenate([top.indices, indices]), indptr),
        shape=(top.shape[0] + bottom.shape[0], len(names)),
    )
    return matrix, names


def _take_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    """The given rows of ``matrix``, each row's pairs in their stored order."""
    lengths = np.diff(matrix.indptr)[rows]
    starts = matrix.indptr[:-1][rows]
    positions = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + np.arange(
        lengths.sum()
    )
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    return sp.csr_matrix(
        (matrix.data[positions], matrix.indices[positions], indptr), shape=(len(rows), matrix.shape[1])
    )


@dataclass
class IndexRows:
    """Everything an index reads off its vacancies and their skills, row by row: an index is built
    from these, and an updated index from its own rows (taken) plus the new ones'."""

    ids: list[str]
    titles: list[str]
    clean_titles: list[str]
    categories: dict[str, tuple[np.ndarray, list[str]]]  # field → (codes, table)
    area_ids: dict[str, str]
    arrays: dict[str, np.ndarray]  # ROW_ARRAYS
    urls: dict[int, str]  # row → a URL other than hh's standard address
    skills: sp.csr_matrix  # data: each pair's mention_flags
    skill_names: list[str]
    tokens: sp.csr_matrix  # every title word (title_token_rows)
    token_names: list[str]
    also_at: dict[int, tuple[str, ...]] = field(default_factory=dict)  # row → the same job elsewhere

    @classmethod
    def of(
        cls,
        vacancies: Sequence[Vacancy],
        doc_skills: Sequence[Sequence[str]],
        key_skills: Sequence[Sequence[str]] | None,
        title_skills: Sequence[Sequence[str]] | None,
    ) -> IndexRows:
        titles = [v.title for v in vacancies]
        binary, skill_names = _binary_rows(doc_skills)
        flags = mention_flags(key_skills, title_skills, binary, skill_names)
        skills = sp.csr_matrix((flags, binary.indices, binary.indptr), shape=binary.shape)
        tokens, token_names = title_token_rows(titles)
        salaries = [v.salary for v in vacancies]
        arrays = {
            "published_days": np.asarray(
                [(v.published_at.date() - EPOCH).days if v.published_at else NO_DATE for v in vacancies],
                dtype=np.int32,
            ),
            "archived": np.asarray([v.archived for v in vacancies], dtype=bool),
            "salary_net": _floats([s.monthly_net_rub if s else None for s in salaries]),
            "salary_from": _floats([s.salary_from if s else None for s in salaries]),
            "salary_to": _floats([s.salary_to if s else None for s in salaries]),
            "salary_gross": np.asarray(
                [-1 if s is None or s.gross is None else int(s.gross) for s in salaries], dtype=np.int8
            ),
            "is_card": np.asarray([v.detail == "card" for v in vacancies], dtype=bool),
            "seniority": seniority_levels(titles),
        }
        values = {
            "employer": [v.employer for v in vacancies],
            "area": [v.area for v in vacancies],
            "schedule": [schedule_id(v) for v in vacancies],  # new items: from work_format
            "experience": [v.experience for v in vacancies],
            "employment": [v.employment for v in vacancies],
            "currency": [s.currency if s else None for s in salaries],
            "source": [v.source for v in vacancies],
            "country": [v.country for v in vacancies],
        }
        return cls(
            ids=[v.id for v in vacancies],
            titles=titles,
            # what a specialization's label reads of a title, cleaned once here: 20 µs a title,
            # which an answer's first sight of fifty matches paid on the bot's hot path
            clean_titles=[clean_title(title) for title in titles],
            categories={name: _encode(column) for name, column in values.items()},  # type: ignore[arg-type]
            area_ids={v.area: v.area_id for v in vacancies if v.area and v.area_id},
            arrays=arrays,
            urls={i: v.url for i, v in enumerate(vacancies) if v.url and v.url != HH_URL.format(id=v.id)},
            skills=skills,
            skill_names=skill_names,
            tokens=tokens,
            token_names=token_names,
            also_at={i: v.also_at for i, v in enumerate(vacancies) if v.also_at},
        )

    def take(self, rows: np.ndarray) -> IndexRows:
        """These rows only, in the given (ascending) order."""
        rows = np.asarray(rows, dtype=np.int64)
        position = np.full(len(self.ids), -1, dtype=np.int64)
        position[rows] = np.arange(len(rows))
        picked = rows.tolist()
        return IndexRows(
            ids=[self.ids[i] for i in picked],
            titles=[self.titles[i] for i in picked],
            clean_titles=[self.clean_titles[i] for i in picked],
            categories={name: (codes[rows], table) for name, (codes, table) in self.categories.items()},
            area_ids=self.area_ids,
            arrays={name: values[rows] for name, values in self.arrays.items()},
            urls={int(position[row]): url for row, url in self.urls.items() if position[row] >= 0},
            skills=_take_rows(self.skills, rows),
            skill_names=self.skill_names,
            tokens=_take_rows(self.tokens, rows),
            token_names=self.token_names,
            also_at={int(position[row]): links for row, links in self.also_at.items() if position[row] >= 0},
        )

    def __add__(self, other: IndexRows) -> IndexRows:
        """These rows, then ``other``'s."""
        categories = {}
        for name, (codes, table) in self.categories.items():
            other_codes, other_table = other.categories[name]
            merged, mapped = _merge_tables(table, other_codes, other_table)
            categories[name] = (np.concatenate([codes, mapped]), merged)
        skills, skill_names = _stack_columns(self.skills, self.skill_names, other.skills, other.skill_names)
        tokens, token_names = _stack_columns(self.tokens, self.token_names, other.tokens, other.token_names)
        n = len(self.ids)
        return IndexRows(
            ids=self.ids + other.ids,
            titles=self.titles + other.titles,
            clean_titles=self.clean_titles + other.clean_titles,
            categories=categories,
            area_ids={**self.area_ids, **other.area_ids},
            arrays={
                name: np.concatenate([values, other.arrays[name]]) for name, values in self.arrays.items()
            },
            urls={**self.urls, **{n + row: url for row, url in other.urls.items()}},
            skills=skills,
            skill_names=skill_names,
            tokens=tokens,
            token_names=token_names,
            also_at={**self.also_at, **{n + row: links for row, links in other.also_at.items()}},
        )


def _floats(values: Sequence[float | None]) -> np.ndarray:
    return np.asarray([np.nan if v is None else v for v in values], dtype=np.float32)


class IndexUpdateError(ValueError):
    """An index that cannot be updated in place (written before incremental updates): retrain."""


class VacancyIndex:
    """Display fields and filters of the vacancies a recommender ranks, row-aligned.

    ``updated`` adds and removes vacancies without a retrain; the result is the index
    ``VacancyIndex`` builds from scratch over the same rows (same vocabulary), array for array.
    """

    # set by _fill from CATEGORIES and ROW_ARRAYS
    employer_codes: np.ndarray
    employers: list[str]
    area_codes: np.ndarray
    areas: list[str]
    schedule_codes: np.ndarray
    schedules: list[str]
    experience_codes: np.ndarray
    experiences: list[str]
    employment_codes: np.ndarray
    employments: list[str]
    currency_codes: np.ndarray
    currencies: list[str]
    source_codes: np.ndarray
    sources: list[str]
    country_codes: np.ndarray
    countries: list[str]
    published_days: np.ndarray
    archived: np.ndarray
    salary_net: np.ndarray
    salary_from: np.ndarray
    salary_to: np.ndarray
    salary_gross: np.ndarray
    is_card: np.ndarray
    seniority: np.ndarray
    clean_titles: list[str] | None
    mention_flags: np.ndarray | None

    def __init__(
        self,
        vacancies: Sequence[Vacancy],
        doc_skills: Sequence[Sequence[str]],
        key_skills: Sequence[Sequence[str]] | None = None,
        title_skills: Sequence[Sequence[str]] | None = None,
        *,
        mention_params: MentionParams | None = None,
    ) -> None:
        """``doc_skills``: each vacancy's canonical skills; ``key_skills``: the subset it lists as
        key_skills (cards only; empty for search-list items); ``title_skills``: the subset its
        title names. Where a skill is named sets its weight in the ranking (``fields``)."""
        if len(vacancies) != len(doc_skills):
            raise ValueError("one skill list per vacancy is needed")
        self.mention_params = mention_params or MentionParams()
        self.keys_known = key_skills is not None  # without them the skills have no keyness
        self._fill(IndexRows.of(vacancies, doc_skills, key_skills, title_skills))

    def _fill(self, rows: IndexRows) -> None:
        """Set every field from ``rows``, its codes and columns in order of first appearance."""
        self.ids, self.titles, self.clean_titles = rows.ids, rows.titles, rows.clean_titles
        for name, (codes_attr, table_attr) in CATEGORIES.items():
            codes, table = _first_seen(*rows.categories[name])
            setattr(self, codes_attr, codes)
            setattr(self, table_attr, table)
        self.area_ids = [rows.area_ids.get(name, "") for name in self.areas]
        for name, values in rows.arrays.items():
            setattr(self, name, values)
        self.custom_urls = rows.urls
        self.also_at_links = rows.also_at
        employers = [e.strip().lower() for e in self.employers]
        self.dedupe_codes = _encode(
            [
                f"{t.strip().lower()}\x00{employers[e] if e != NO_CODE else ''}"
                for t, e in zip(self.titles, self.employer_codes.tolist(), strict=True)
            ]
        )[0]
        skills, names = _first_seen_columns(rows.skills, rows.skill_names)
        self.mention_flags = skills.data.astype(np.int8)
        binary = sp.csr_matrix(
            (np.ones(skills.nnz, dtype=np.float32), skills.indices, skills.indptr), shape=skills.shape
        )
        self.skills = SkillMatrix.of_rows(binary, names, self.mention_flags if self.keys_known else None)
        self.mention_weights = weights_from_flags(
            binary, self.mention_flags, self.is_card, self.mention_params
        )
        self.title_tokens, self.title_token_names = _first_seen_columns(rows.tokens, rows.token_names)
        self.title_words, self.title_vocabulary = kept_title_words(self.title_tokens, self.title_token_names)
        self._build_filters()

    def rows(self) -> IndexRows:
        """What this index was built from, row by row (see ``updated``)."""
        if getattr(self, "mention_flags", None) is None:
            raise IndexUpdateError("this model bundle was written before incremental updates: retrain it")
        categories = {
            name: (getattr(self, codes_attr), list(getattr(self, table_attr)))
            for name, (codes_attr, table_attr) in CATEGORIES.items()
        }
        return IndexRows(
            ids=self.ids,
            titles=self.titles,
            clean_titles=self.clean_titles or [clean_title(title) for title in self.titles],
            categories=categories,
            area_ids={name: aid for name, aid in zip(self.areas, self.area_ids, strict=True) if aid},
            arrays={name: getattr(self, name) for name in ROW_ARRAYS},
            urls=self.custom_urls,
            skills=sp.csr_matrix(
                (self.mention_flags, self.skills.rows.indices, self.skills.rows.indptr),
                shape=self.skills.rows.shape,
            ),
            skill_names=self.skills.names,
            tokens=self.title_tokens,
            token_names=self.title_token_names,
            also_at=self.also_at_links,
        )

    def keys(self) -> list[str]:
        """Each row's ``Vacancy.key`` ("source:id")."""
        sources = self.sources
        return [
            f"{sources[code]}:{vid}" for code, vid in zip(self.source_codes.tolist(), self.ids, strict=True)
        ]

    def updated(
        self, added: Sequence[Vacancy], added_skills: Sequence[SkillMentions], removed: Collection[str] = ()
    ) -> tuple[VacancyIndex, np.ndarray]:
        """A new index: this one without the vacancies whose keys are in ``removed`` (closed,
        expired) and without older copies of ``added``, then ``added`` (their skills extracted
        with this index's vocabulary: ``extract_skill_mentions``). Returns it with the rows of this
        index it kept, in order (a recommender takes their topic weights).

        Equal to ``VacancyIndex`` built over the same vacancies in the same order."""
        if len(added) != len(added_skills):
            raise ValueError("one SkillMentions per added vacancy is needed")
        dropped = set(removed) | {v.key for v in added}
        kept = np.asarray([i for i, key in enumerate(self.keys()) if key not in dropped], dtype=np.int64)
        new_rows = IndexRows.of(
            added,
            [f.all for f in added_skills],
            [f.key_skills for f in added_skills],
            [f.title for f in added_skills],
        )
        index = VacancyIndex.__new__(VacancyIndex)
        index.mention_params, index.keys_known = self.mention_params, self.keys_known
        index._fill(self.rows().take(kept) + new_rows)
        return index, kept

    def _build_filters(self) -> None:
        self.rows_by_area = _group_rows(self.area_codes, len(self.areas))
        self.rows_by_schedule = _group_rows(self.schedule_codes, len(self.schedules))
        self.rows_by_experience = _group_rows(self.experience_codes, len(self.experiences))
        self.rows_by_employment = _group_rows(self.employment_codes, len(self.employments))
        self.live_rows = np.flatnonzero(~self.archived).astype(np.int64)
        self._country_rows: dict[str, np.ndarray | None] = {}  # country → its rows, on first use
        self.mention_columns = self.mention_weights.tocsc()  # per skill: the rows naming it and how
        self._row_of: dict[str, int] | None = None  # key → row, built on the first exclusion
        lowered = {name.lower(): i for i, name in enumerate(self.areas)}
        lowered.update({aid: i for i, aid in enumerate(self.area_ids) if aid})
        self.area_lookup = lowered

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for key in (
            "rows_by_area", "rows_by_schedule", "rows_by_experience", "rows_by_employment",
            "area_lookup", "live_rows", "_row_of", "mention_columns", "_country_rows",
        ):  # fmt: skip
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict) -> None:
        state = {RENAMED_STATE.get(key, key): value for key, value in state.items()}
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
        if "also_at_links" not in state:  # bundles written before dedupe: one link each
            self.also_at_links = {}
        if "clean_titles" not in state:  # bundles written before: cleaned when first shown
            self.clean_titles = None
        if "employment_codes" not in state:
            self.employment_codes, self.employments = np.full(n, NO_CODE, dtype=np.int32), []
        if "mention_weights" not in state:  # bundles written before BM25F weights: every skill a mention
            self.mention_weights = sp.csr_matrix(self.skills.rows * np.float32(0.5))
            self.title_words, self.title_vocabulary = title_words(self.titles)
            self.seniority = seniority_levels(self.titles)
        if "mention_flags" not in state:  # bundles written before incremental updates: rows() refuses
            self.mention_flags = None
            self.mention_params, self.keys_known = MentionParams(), self.skills.keyness is not None
            self.is_card = np.zeros(n, dtype=bool)
            self.title_tokens, self.title_token_names = title_token_rows(self.titles)
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
        if filters.min_salary:  # NaN (no salary) compares False
            selections.append(np.flatnonzero(self.salary_net >= float(filters.min_salary)).astype(np.int64))
        elif filters.with_salary:
            selections.append(np.flatnonzero(~np.isnan(self.salary_net)).astype(np.int64))
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
        # the smallest selection, kept where each other's mask is set: a pass over the corpus per
        # filter, where ``intersect1d`` sorted each pair's concatenation (a relaxing answer filters ten times)
        selections.sort(key=len)
        rows = selections[0]
        for other in selections[1:]:
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[other] = True
            rows = rows[mask[rows]]
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
        if self._row_of is None:  # built once, a million rows in about a second
            names = [*self.sources, "hh"]  # NO_CODE (-1) picks the last: rows of old bundles are hh's
            sources = [names[code] for code in self.source_codes.tolist()]
            self._row_of = {f"{s}:{i}": row for row, (s, i) in enumerate(zip(sources, self.ids, strict=True))}
        row_of = self._row_of
        return sorted({row_of[key] for key in keys if key in row_of})

    def titled_skills(self, row: int) -> set[str]:
        """The row's skills its title names ("Python" in "Преподаватель Python для детей")."""
        names = self.skills.names
        return {names[c] for c in self._titled_pairs(np.asarray([row]))[1].tolist()}

    def titles_name(self, rows: np.ndarray, *masks: np.ndarray) -> list[np.ndarray]:
        """Per mask over the columns, per row of ``rows``: does its title name a skill of the mask?"""
        owner, columns = self._titled_pairs(rows)
        return [np.bincount(owner[mask[columns]], minlength=len(rows)) > 0 for mask in masks]

    def _titled_pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in ``rows``, column) of every skill the titles of ``rows`` name; none in a bundle
        written before mention flags were kept."""
        flags = self.mention_flags
        if flags is None or not len(rows):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        indptr = self.skills.rows.indptr
        starts, lengths = indptr[rows], indptr[np.asarray(rows) + 1] - indptr[rows]
        owner = np.repeat(np.arange(len(rows)), lengths)
        pairs = (
            np.arange(int(lengths.sum()))
            - np.repeat(np.cumsum(lengths) - lengths, lengths)
            + np.repeat(starts, lengths)
        )
        titled = (flags[pairs] & TITLE_FLAG) != 0
        return owner[titled], self.skills.rows.indices[pairs[titled]].astype(np.int64)

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

    def also_at(self, row: int) -> tuple[str, ...]:
        """Links to the same job at other sources (``recommender.data.dedupe``)."""
        return self.also_at_links.get(row, ())

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

    def pay(self, row: int) -> PublishedPay | None:
        """The monthly salary as published (the index keeps no other period); None without one.
        NaN bounds and a gross flag of -1 are the index's "not given"."""
        code = self.currency_codes[row]
        if code == NO_CODE:
            return None
        low, high, gross = self.salary_from[row], self.salary_to[row], int(self.salary_gross[row])
        return PublishedPay(
            low=None if np.isnan(low) else float(low),
            high=None if np.isnan(high) else float(high),
            currency=self.currencies[code],
            gross=None if gross < 0 else gross == 1,
        )


def build_index(
    vocabulary: Any, vacancies: Sequence[Vacancy], *, progress: bool = False
) -> tuple[VacancyIndex, list[list[str]]]:
    """The index of ``vacancies`` (with where each names each skill) and each one's skills: the topic
    models' documents."""
    mentions = extract_skill_mentions(vocabulary, vacancies, progress=progress)
    docs = [m.all for m in mentions]
    keys, titles = [list(m.key_skills) for m in mentions], [list(m.title) for m in mentions]
    index = VacancyIndex(vacancies, docs, keys, titles)
    return index, docs
