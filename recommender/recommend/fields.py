"""Where a vacancy names a skill, and what its title says: the evidence ranking weighs.

A skill in the title ("Python-разработчик") says more than the same skill among the key
skills, and both more than a mention in the description or the search snippet
("знание Python будет плюсом" in an installer's vacancy). ``mention_weights`` gives every
(vacancy, skill) pair a BM25F-style weight (BM25F's "fields" are called the vacancy's parts here:
"field" is a professional field everywhere else): per-part weights, the body part normalized by
its length (a description listing forty tools mentions each in passing), then saturated, so
a skill present everywhere approaches 1 and a single mention stays well below.

The title's own words place a vacancy in a field even when they name no skill ("Монтажник
связи", "ML Research Engineer"): ``title_words`` is a vacancy × title-word matrix, and the
recommender turns it into a topic vector per title (``recommender.title_topics``). ``seniority`` reads
the level a title asks for, so that students are not offered lead positions first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommender.data.models import Vacancy

_TITLE_TOKEN = re.compile(r"[a-zа-я0-9#+]+(?:[.\-][a-zа-я0-9#+]+)*")
MIN_TITLE_WORD_DOCS = 3  # rarer title words are typos or one employer's wording

SENIOR = 1
JUNIOR = -1
# hh experience ids of the users for whom senior titles rank lower and answers mark them.
EARLY_CAREER = ("noExperience", "between1And3")
# The one pattern of a senior title: the ranking and the bot's mark both read it.
_SENIOR_TITLE = re.compile(
    r"\b(senior|sr\.?|lead|team ?lead|teamlead|tech ?lead|techlead|head|principal|architect|chief|"
    r"cto|cio|director|сеньор|синьор|тимлид|техлид|ведущ\w*|старш\w*|руковод\w*|главн\w*|начальник\w*|"
    r"директор\w*|архитектор\w*|заведующ\w*)\b"
)
_JUNIOR_TITLE = re.compile(
    r"\b(junior|jr\.?|intern|internship|trainee|стаж[её]р\w*|стажировк\w*|младш\w*|начинающ\w*|"
    r"студент\w*|выпускник\w*|без опыта)\b"
)


@dataclass(frozen=True)
class MentionParams:
    """BM25F weights of the parts a vacancy names a skill in (see the module docstring)."""

    title: float = 3.0
    key_skills: float = 1.5
    description: float = 1.0  # a card's full description
    snippet: float = 1.0  # a search item's requirement/responsibility lines: short and to the point
    body_length_b: float = 0.5  # 0: no length normalization of the body part, 1: full
    k1: float = 1.2  # saturation: weight w scores w / (k1 + w)


# Bundles pickled before the rename name the class so.
FieldParams = MentionParams


def _normalize_title(title: str) -> str:
    return (title or "").lower().replace("ё", "е")


def title_tokens(title: str) -> list[str]:
    """Lower-case words of a title, in order ("Junior C# разработчик" → junior, c#, разработчик)."""
    return _TITLE_TOKEN.findall(_normalize_title(title))


def seniority(title: str) -> int:
    """SENIOR for lead / senior / head titles, JUNIOR for junior / intern titles, else 0."""
    text = _normalize_title(title)
    if _SENIOR_TITLE.search(text):
        return SENIOR
    if _JUNIOR_TITLE.search(text):
        return JUNIOR
    return 0


def is_senior_title(title: str) -> bool:
    return seniority(title) == SENIOR


def seniority_levels(titles: Sequence[str]) -> np.ndarray:
    return np.asarray([seniority(t) for t in titles], dtype=np.int8)


def title_words(titles: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Binary vacancy × word matrix of title words seen in at least MIN_TITLE_WORD_DOCS titles."""
    return kept_title_words(*title_token_rows(titles))


def pair_rows(indptr: np.ndarray) -> np.ndarray:
    """The row of every stored pair of a CSR matrix with this ``indptr``."""
    return np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))


def title_token_rows(titles: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Binary vacancy × word matrix of every title word (each title's words in order) and the
    words in order of first appearance: what ``kept_title_words`` filters, kept by the index."""
    words: dict[str, int] = {}
    indptr, indices = [0], list[int]()
    for title in titles:
        indices.extend(words.setdefault(w, len(words)) for w in dict.fromkeys(title_tokens(title)))
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(titles), len(words)),
    )
    return matrix, list(words)


def kept_title_words(tokens: sp.csr_matrix, names: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    """``tokens`` restricted to words in at least MIN_TITLE_WORD_DOCS titles, columns in word order."""
    counts = np.bincount(tokens.indices, minlength=len(names))
    kept = sorted(names[int(i)] for i in np.flatnonzero(counts >= MIN_TITLE_WORD_DOCS))
    column = np.full(len(names), -1, dtype=np.int64)
    position = {name: i for i, name in enumerate(names)}
    column[[position[w] for w in kept]] = np.arange(len(kept))
    mapped = column[tokens.indices]
    keep = mapped >= 0
    per_row = np.bincount(pair_rows(tokens.indptr)[keep], minlength=tokens.shape[0])
    indptr = np.concatenate([[0], np.cumsum(per_row)])
    matrix = sp.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.float32), mapped[keep].astype(np.int32), indptr),
        shape=(tokens.shape[0], len(kept)),
    )
    return matrix, kept


TITLE_FLAG = 1  # where a vacancy names a skill (``mention_flags``): named in the title,
KEY_FLAG = 2  # ... among the key skills,
MENTION_FLAG = 4  # ... anywhere (every indexed pair has it, so no flag is zero)


def mention_flags(
    key_skills: Sequence[Sequence[str]] | None,
    title_skills: Sequence[Sequence[str]] | None,
    rows: sp.csr_matrix,
    names: Sequence[str],
) -> np.ndarray:
    """Where each (vacancy, skill) pair of ``rows`` is named, as flags aligned with ``rows.data``:
    what ``mention_weights`` reads, kept by the index so that it can be re-weighted when rows come
    and go (the body length's mean changes) without extracting the skills again."""
    column_of = {name: i for i, name in enumerate(names)}
    flags = np.full(rows.nnz, MENTION_FLAG, dtype=np.int8)
    for row in range(rows.shape[0]):
        titled = title_skills[row] if title_skills else ()
        keyed = key_skills[row] if key_skills else ()
        if not titled and not keyed:
            continue
        in_title = {column_of[s] for s in titled if s in column_of}
        in_keys = {column_of[s] for s in keyed if s in column_of}
        start, end = rows.indptr[row], rows.indptr[row + 1]
        for position in range(start, end):
            column = int(rows.indices[position])
            flags[position] |= (TITLE_FLAG if column in in_title else 0) | (
                KEY_FLAG if column in in_keys else 0
            )
    return flags


def mention_weights(
    vacancies: Sequence[Vacancy],
    key_skills: Sequence[Sequence[str]] | None,
    title_skills: Sequence[Sequence[str]] | None,
    rows: sp.csr_matrix,
    names: Sequence[str],
    params: MentionParams = MentionParams(),
) -> sp.csr_matrix:
    """The BM25F weight of every (vacancy, skill) pair of ``rows``, with its sparsity pattern.

    Without title or key skills (an index built from plain skill lists) every skill counts
    as a body mention, which keeps the ranking working on old data.
    """
    flags = mention_flags(key_skills, title_skills, rows, names)
    is_card = np.asarray([v.detail == "card" for v in vacancies], dtype=bool)
    return weights_from_flags(rows, flags, is_card, params)


def weights_from_flags(
    rows: sp.csr_matrix, flags: np.ndarray, is_card: np.ndarray, params: MentionParams = MentionParams()
) -> sp.csr_matrix:
    """``mention_weights`` from the pairs' ``mention_flags`` and which rows are full cards (their body
    is a description, else a search snippet): per-part weights, the body normalized by its length,
    saturated and scaled so that a skill named in every part weighs 1."""
    body_lengths = np.diff(rows.indptr).astype(np.float32)
    mean_length = float(body_lengths.mean()) if len(body_lengths) else 1.0
    top = params.title + params.key_skills + max(params.description, params.snippet)
    best = np.float32(top / (params.k1 + top))
    row_of_pair = pair_rows(rows.indptr)
    body = np.where(is_card, np.float32(params.description), np.float32(params.snippet)).astype(np.float32)
    b = np.float32(params.body_length_b)
    norm = np.float32(1) - b + b * body_lengths / np.float32(max(mean_length, 1e-6))
    weight = (body / norm)[row_of_pair]
    weight = weight + np.where(flags & TITLE_FLAG, np.float32(params.title), np.float32(0))
    weight = weight + np.where(flags & KEY_FLAG, np.float32(params.key_skills), np.float32(0))
    data = (weight / (np.float32(params.k1) + weight) / best).astype(np.float32)
    return sp.csr_matrix((data, rows.indices.copy(), rows.indptr.copy()), shape=rows.shape)
