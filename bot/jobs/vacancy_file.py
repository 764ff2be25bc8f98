"""The collected vacancies the worker hands to the training child: the database's normalized
``Vacancy`` records, read as a stream (``VacancyRepository.iter_vacancies``) and pickled in
batches into one file. The sources' raw payloads would not do: they lack what the database
learned after parsing them (a vacancy closed on re-check, links to the same job elsewhere).
Written and read only by our own processes, inside the model folder (as trusted as a bundle).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from recommender.data import Vacancy

SUFFIX = ".vacancies.pkl"


def is_vacancy_file(path: str | Path) -> bool:
    return str(path).endswith(SUFFIX)


def write_batch(stream: IO[bytes], batch: Sequence[Vacancy]) -> None:
    pickle.dump(list(batch), stream, protocol=pickle.HIGHEST_PROTOCOL)


def read_vacancies(path: str | Path) -> Iterator[Vacancy]:
    with Path(path).open("rb") as stream:
        while True:
            try:
                batch = pickle.load(stream)
            except EOFError:
                return
            yield from batch


def merge_by_key(*corpora: Iterable[Vacancy]) -> list[Vacancy]:
    """One vacancy per ``Vacancy.key``; a later corpus wins (the database over the files)."""
    merged: dict[str, Vacancy] = {}
    for corpus in corpora:
        for vacancy in corpus:
            merged[vacancy.key] = vacancy
    return list(merged.values())
