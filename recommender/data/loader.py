"""Read hh.ru API output in the shapes people have it.

- JSON Lines, plain or gzip-compressed (one vacancy per line);
- a JSON array of vacancies, or a saved search page (``{"items": [...]}``);
- a single vacancy card per ``.json`` file, or a folder of any of these.

Bad records are skipped and counted by reason; duplicate ids are merged, the later
record winning, so a re-collected vacancy replaces its older copy.
"""

from __future__ import annotations

import gzip
import itertools
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from recommender.data.models import LoadResult, LoadSummary, Vacancy
from recommender.data.parse import BadRecord, parse_vacancy
from recommender.data.salary import DEFAULT_BOUNDS

logger = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b"
_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")
_BROKEN = object()  # marks a line or file that is not valid JSON


def _open_text(path: Path) -> IO[str]:
    with path.open("rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    if compressed:
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(_SUFFIXES))
    if not path.exists():
        raise FileNotFoundError(f"no vacancy data at {path}")
    return [path]


def _unpack(document: Any) -> Iterator[Any]:
    """A parsed JSON document → the vacancy objects it holds."""
    if isinstance(document, list):
        yield from document
    elif isinstance(document, dict) and isinstance(document.get("items"), list):
        yield from document["items"]
    else:
        yield document


def _read_lines(stream: Iterable[str]) -> Iterator[Any]:
    for line in stream:
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except ValueError:
            yield _BROKEN


def _parse_document(text: str) -> Iterator[Any]:
    try:
        document = json.loads(text)
    except ValueError:
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


def iter_raw(paths: Iterable[str | Path]) -> Iterator[Any]:
    """Every JSON object in the given files or folders, in order (broken ones as a marker)."""
    for path in paths:
        for file in _files(Path(path)):
            yield from _iter_objects(file)


def load_vacancies(
    paths: Iterable[str | Path],
    *,
    salary_bounds: tuple[float, float] = DEFAULT_BOUNDS,
) -> LoadResult:
    """Load, validate and de-duplicate vacancies from ``paths``."""
    summary = LoadSummary()
    by_id: dict[str, Vacancy] = {}
    for obj in iter_raw(paths):
        summary.read += 1
        if obj is _BROKEN:
            summary.skip("broken_json")
            continue
        try:
            vacancy = parse_vacancy(obj, salary_bounds=salary_bounds)
        except BadRecord as exc:
            summary.skip(exc.reason)
            continue
        if vacancy.id in by_id:
            summary.duplicates += 1
            del by_id[vacancy.id]  # re-insert so the order follows the latest copy
        by_id[vacancy.id] = vacancy
    summary.kept = len(by_id)
    if summary.skipped:
        logger.info("skipped %d bad records: %s", summary.skipped_total, summary.skipped)
    return LoadResult(vacancies=list(by_id.values()), summary=summary)
