"""Read hh.ru and Работа России API output in the shapes people have it.

- JSON Lines, plain or gzip-compressed (one vacancy per line);
- a JSON array of vacancies, a saved hh search page (``{"items": [...]}``) or a whole
  Работа России response (``{"results": {"vacancies": [{"vacancy": {...}}]}}``);
- a single vacancy card per ``.json`` file, or a folder of any of these.

Each object is recognised by its shape (``parse_record``): Работа России's ``{"vacancy": ...}``
or ``job-name`` key, hh's otherwise. Bad records are skipped and counted by reason; duplicate
keys (source and id) are merged, the later record winning, so a re-collected vacancy
replaces its older copy. A truncated or corrupt compressed file keeps the records read before
the damage and counts the file as ``truncated``; inside a folder, an unreadable file is
counted as ``unreadable`` and the rest is read. A path given that cannot be read at all is a
``DataError``: one line for the user.
"""

from __future__ import annotations

import gzip
import itertools
import json
import logging
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from recommender.data.models import LoadResult, LoadSummary, Vacancy
from recommender.data.parse import BadRecord, parse_vacancy
from recommender.data.salary import DEFAULT_BOUNDS
from recommender.data.trudvsem import parse_trudvsem

logger = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b"
_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")
# What a damaged compressed stream raises part-way (EOFError: cut short; the others: corrupt).
_DECOMPRESSION_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


class DataError(FileNotFoundError):
    """A data path that cannot be read as given (missing, unreadable, not a file, no data
    files in a folder). A FileNotFoundError, so callers that handled a missing path handle
    every unusable one; the message is one line naming the path."""


@dataclass(frozen=True, slots=True)
class Skip:
    """Marks what ``iter_raw`` could not turn into an object: a line or document that is not
    JSON (``broken_json``), the rest of a damaged file (``truncated``), a file in a folder
    that cannot be read (``unreadable``)."""

    reason: str


_BROKEN = Skip("broken_json")

# Files whose records carry no date although it is known when they were open: the 2025 rows
# of hh_2024_2025_tables were harvested from hh's API on 2025-09-17/18 (see ../shared/data's
# README), so they were open then; the first day stands in as their publication date.
HARVEST_DATES: dict[str, str] = {"hh_2024_2025_tables.jsonl.gz": "2025-09-17T00:00:00+03:00"}


def _open_text(path: Path) -> IO[str]:
    with path.open("rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    if compressed:
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        if not os.access(path, os.R_OK | os.X_OK):
            raise DataError(f"cannot read the folder {path}: permission denied")
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(_SUFFIXES))
        if not files:
            raise DataError(f"no vacancy files ({', '.join(_SUFFIXES)}) in {path}")
        return files
    if not path.exists():
        raise DataError(f"no vacancy data at {path}")
    if not path.is_file():
        raise DataError(f"{path} is not a regular file")
    if not os.access(path, os.R_OK):
        raise DataError(f"cannot read {path}: permission denied")
    return [path]


def _unpack(document: Any) -> Iterator[Any]:
    """A parsed JSON document → the vacancy objects it holds."""
    if isinstance(document, list):
        yield from document
    elif isinstance(document, dict) and isinstance(document.get("items"), list):
        yield from document["items"]
    elif isinstance(document, dict) and isinstance(_trudvsem_page(document), list):
        yield from _trudvsem_page(document)
    else:
        yield document


def _trudvsem_page(document: dict) -> Any:
    results = document.get("results")
    return results.get("vacancies") if isinstance(results, dict) else None


def is_trudvsem(obj: Any) -> bool:
    """Работа России's shape: ``{"vacancy": {...}}`` or an object with ``job-name``."""
    return isinstance(obj, dict) and (isinstance(obj.get("vacancy"), dict) or "job-name" in obj)


def parse_record(
    obj: Any,
    *,
    salary_bounds: tuple[float, float] = DEFAULT_BOUNDS,
    on_bad_value: Callable[[str], None] | None = None,
    countries: Mapping[str, str] | None = None,
) -> Vacancy:
    """One raw object of either source → ``Vacancy``; raises ``BadRecord`` with a reason."""
    if is_trudvsem(obj):
        return parse_trudvsem(obj, on_bad_value=on_bad_value)
    return parse_vacancy(obj, salary_bounds=salary_bounds, on_bad_value=on_bad_value, countries=countries)


def _dated(obj: Any, harvested: str | None) -> Any:
    """An undated hh record of a harvest of known date, with that date as its publication."""
    if harvested is None or not isinstance(obj, dict) or obj.get("published_at") or obj.get("created_at"):
        return obj
    return {**obj, "published_at": harvested}


def _read_lines(stream: Iterable[str]) -> Iterator[Any]:
    for line in stream:
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except (ValueError, RecursionError):  # RecursionError: nested thousands deep
            yield _BROKEN


def _parse_document(text: str) -> Iterator[Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        yield _BROKEN
        return
    yield from _unpack(document)


def _iter_objects(path: Path) -> Iterator[Any]:
    with _open_text(path) as stream:
        lines = iter(stream)
        first = next((line for line in lines if line.strip()), None)
        if first is None:
            return
        if _is_jsonl(path) and not first.lstrip().startswith("["):
            yield from _read_lines(itertools.chain([first], lines))
        else:
            yield from _parse_document(first + stream.read())


def _is_jsonl(path: Path) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return not name.endswith(".json")


def _iter_file(path: Path, *, in_folder: bool) -> Iterator[Any]:
    try:
        yield from _iter_objects(path)
    except _DECOMPRESSION_ERRORS as exc:
        logger.warning("%s is truncated or corrupt (%s): kept the records read before", path, exc)
        yield Skip("truncated")
    except OSError as exc:
        if not in_folder:
            raise DataError(f"cannot read {path}: {exc.strerror or exc}") from exc
        logger.warning("skipped unreadable %s: %s", path, exc.strerror or exc)
        yield Skip("unreadable")


def _iter_with_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Any]]:
    for path in paths:
        path = Path(path)
        in_folder = path.is_dir()
        for file in _files(path):
            for obj in _iter_file(file, in_folder=in_folder):
                yield file, obj


def iter_raw(paths: Iterable[str | Path]) -> Iterator[Any]:
    """Every JSON object in the given files or folders, in order; what could not be read is
    yielded as a ``Skip`` marker with its reason, so callers count it and go on."""
    for _file, obj in _iter_with_files(paths):
        yield obj


def load_vacancies(
    paths: Iterable[str | Path],
    *,
    salary_bounds: tuple[float, float] = DEFAULT_BOUNDS,
    countries: Mapping[str, str] | None = None,
) -> LoadResult:
    """Load, validate and de-duplicate vacancies from ``paths`` (``countries``: see
    ``parse_vacancy``)."""
    summary = LoadSummary()
    by_key: dict[str, Vacancy] = {}
    for file, obj in _iter_with_files(paths):
        if isinstance(obj, Skip):
            summary.skip(obj.reason)
            summary.read += 1 if obj is _BROKEN else 0  # a broken line was a record
            continue
        summary.read += 1
        try:
            vacancy = parse_record(
                _dated(obj, HARVEST_DATES.get(file.name)),
                salary_bounds=salary_bounds,
                on_bad_value=summary.bad_value,
                countries=countries,
            )
        except BadRecord as exc:
            summary.skip(exc.reason)
            continue
        if vacancy.key in by_key:
            summary.duplicates += 1
            del by_key[vacancy.key]  # re-insert so the order follows the latest copy
        by_key[vacancy.key] = vacancy
    summary.kept = len(by_key)
    if summary.skipped:
        logger.info("skipped %d bad records: %s", summary.skipped_total, summary.skipped)
    if summary.bad_values:
        logger.info("dropped bad values from kept records: %s", summary.bad_values)
    return LoadResult(vacancies=list(by_key.values()), summary=summary)
