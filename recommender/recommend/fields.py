"""Where a vacancy names a skill, and what its title says: the evidence ranking weighs.

A skill in the title ("Python-разработчик") says more than the same skill among the key
skills, and both more than a mention in the description or the search snippet
("знание Python будет плюсом" in an installer's vacancy). ``field_weights`` gives every
(vacancy, skill) pair a BM25F-style weight: per-field weights, the body field normalized by
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
_SENIOR_TITLE = re.compile(
    r"\b(senior|sr\.?|lead|team ?lead|teamlead|tech ?lead|techlead|head|principal|architect|chief|"
    r"cto|cio|director|тимлид|техлид|ведущ\w*|старш\w*|руковод\w*|главн\w*|начальник\w*|директор\w*|"
    r"архитектор\w*|заведующ\w*)\b"
)
_JUNIOR_TITLE = re.compile(
    r"\b(junior|jr\.?|intern|internship|trainee|стаж[её]р\w*|стажировк\w*|младш\w*|начинающ\w*|"
    r"студент\w*|выпускник\w*|без опыта)\b"
)


@dataclass(frozen=True)
class FieldParams:
    """BM25F weights of the fields a vacancy names a skill in (see the module docstring)."""

    title: float = 3.0
    key_skills: float = 1.5
    description: float = 1.0  # a card's full description
    snippet: float = 1.0  # a search item's requirement/responsibility lines: short and to the point
    body_length_b: float = 0.5  # 0: no length normalization of the body field, 1: full
    k1: float = 1.2  # saturation: weight w scores w / (k1 + w)


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


def seniority_levels(titles: Sequence[str]) -> np.ndarray:
    return np.asarray([seniority(t) for t in titles], dtype=np.int8)


def title_words(titles: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Binary vacancy × word matrix of title words seen in at least MIN_TITLE_WORD_DOCS titles."""
    tokenized = [list(dict.fromkeys(title_tokens(t))) for t in titles]
    counts: dict[str, int] = {}
    for words in tokenized:
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    kept = sorted(w for w, c in counts.items() if c >= MIN_TITLE_WORD_DOCS)
    column = {w: i for i, w in enumerate(kept)}
    indptr, indices = [0], list[int]()
    for words in tokenized:
        indices.extend(column[w] for w in words if w in column)
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(titles), len(kept)),
    )
    return matrix, kept


def field_weights(
    vacancies: Sequence[Vacancy],
    key_skills: Sequence[Sequence[str]] | None,
    title_skills: Sequence[Sequence[str]] | None,
    rows: sp.csr_matrix,
    names: Sequence[str],
    params: FieldParams = FieldParams(),
) -> sp.csr_matrix:
    """The BM25F weight of every (vacancy, skill) pair of ``rows``, with its sparsity pattern.

    Without title or key skills (an index built from plain skill lists) every skill counts
    as a body mention, which keeps the ranking working on old data.
    """
    column_of = {name: i for i, name in enumerate(names)}
    body_lengths = np.diff(rows.indptr).astype(np.float32)
    mean_length = float(body_lengths.mean()) if len(body_lengths) else 1.0
    data = np.zeros(rows.nnz, dtype=np.float32)
    top = params.title + params.key_skills + max(params.description, params.snippet)
    best = top / (params.k1 + top)  # the weight of a skill named in every field: scaled to 1
    for row, vacancy in enumerate(vacancies):
        start, end = rows.indptr[row], rows.indptr[row + 1]
        in_title = {column_of[s] for s in (title_skills[row] if title_skills else ()) if s in column_of}
        in_keys = {column_of[s] for s in (key_skills[row] if key_skills else ()) if s in column_of}
        body = params.description if vacancy.detail == "card" else params.snippet
        norm = 1 - params.body_length_b + params.body_length_b * body_lengths[row] / max(mean_length, 1e-6)
        for position in range(start, end):
            column = int(rows.indices[position])
            weight = body / norm
            if column in in_title:
                weight += params.title
            if column in in_keys:
                weight += params.key_skills
            data[position] = weight / (params.k1 + weight) / best
    return sp.csr_matrix((data, rows.indices.copy(), rows.indptr.copy()), shape=rows.shape)
