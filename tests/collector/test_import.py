"""Importing offline files of the API's shape into collected_vacancies."""

from __future__ import annotations

import gzip
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.collector.importer import import_files
from bot.storage.vacancies import VacancyRepository

from .fake_hh import list_item, make_cards
from .fake_trudvsem import make_vacancy


def write_jsonl_gz(path: Path, lines: list[str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
    return path


async def test_import_counts_new_bad_and_unchanged(tmp_path: Path, repository: VacancyRepository) -> None:
    cards = make_cards(30)
    lines = [json.dumps(c, ensure_ascii=False) for c in cards]
    lines += [
        "{broken json",
        json.dumps({"id": "1"}),
        json.dumps([1, 2]),
    ]  # unparseable, no name, not an object
    path = write_jsonl_gz(tmp_path / "cards.jsonl.gz", lines)

    first = await import_files([path], repository)
    assert (first.read, first.new, first.failed) == (33, 30, 3)
    assert await repository.count() == 30

    again = await import_files([path], repository)
    assert (again.new, again.updated, again.skipped) == (0, 0, 30)


async def test_import_updates_changed_rows_and_keeps_first_seen(
    tmp_path: Path, repository: VacancyRepository
) -> None:
    cards = make_cards(5)
    path = write_jsonl_gz(tmp_path / "a.jsonl.gz", [json.dumps(c) for c in cards])
    await import_files([path], repository)
    before = {v.key: v.first_seen_at for v in await repository.new_since(None)}

    cards[2]["name"] = "Senior Python разработчик"
    changed = write_jsonl_gz(tmp_path / "b.jsonl.gz", [json.dumps(list_item(c)) for c in cards[2:3]])
    stats = await import_files([changed], repository)
    assert (stats.new, stats.updated) == (0, 1)
    after = {v.key: v.first_seen_at for v in await repository.new_since(None)}
    assert after == before


async def test_import_trudvsem_page_and_mixed_lines(tmp_path: Path, repository: VacancyRepository) -> None:
    """A saved Работа России page (the sample's envelope) imports, and so does a file mixing both
    sources line by line: each object goes to its own parser."""
    modified = datetime(2026, 11, 30, 9, tzinfo=UTC)
    trudvsem = [make_vacancy(i, modified=modified - timedelta(hours=i)) for i in range(4)]
    page = {"status": "200", "meta": {"total": 4, "limit": 100}, "results": {"vacancies": trudvsem}}
    page_path = tmp_path / "trudvsem_page.json"
    page_path.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")

    stats = await import_files([page_path], repository)
    assert (stats.read, stats.new, stats.failed) == (4, 4, 0)
    stored = {v.key: v.vacancy for v in await repository.new_since(None)}
    first = stored[f"trudvsem:{trudvsem[0]['vacancy']['id']}"]
    assert first.source == "trudvsem"
    assert first.title == trudvsem[0]["vacancy"]["job-name"]

    mixed = [json.dumps(c, ensure_ascii=False) for c in make_cards(2)]
    mixed += [json.dumps(make_vacancy(10 + i, modified=modified), ensure_ascii=False) for i in range(2)]
    stats = await import_files([write_jsonl_gz(tmp_path / "mixed.jsonl.gz", mixed)], repository)
    assert (stats.read, stats.new, stats.failed) == (4, 4, 0)
    sources = sorted(v.vacancy.source for v in await repository.new_since(None))
    assert sources == ["hh", "hh"] + ["trudvsem"] * 6


@pytest.mark.shared_data
async def test_import_real_cards_file_quickly(shared_data_dir: Path, repository: VacancyRepository) -> None:
    started = time.perf_counter()
    stats = await import_files([shared_data_dir / "hh_cards_2021_2023.jsonl.gz"], repository)
    elapsed = time.perf_counter() - started
    assert stats.read == 6676
    assert stats.new > 6500  # nearly every card is usable; the rest are counted in failures
    assert await repository.count() == stats.new
    stored = await repository.new_since(None, limit=50)
    assert sum(v.vacancy.detail == "card" for v in stored) == len(stored)
    assert elapsed < 30, f"import took {elapsed:.1f}s"


async def test_the_same_job_imported_from_both_sources_is_one_entry(
    tmp_path: Path, repository: VacancyRepository
) -> None:
    now = datetime.now(UTC)
    trudvsem = make_vacancy(0, modified=now)  # 'Программист' at ООО "Компания 0", Moscow, created 3 days ago
    hh = {**make_cards(1, start=now, span_days=1)[0], "name": "Программист"}
    hh["employer"] = {"id": "500", "name": "Компания 0"}
    lines = [json.dumps(record, ensure_ascii=False) for record in (hh, trudvsem)]
    stats = await import_files([write_jsonl_gz(tmp_path / "both.jsonl.gz", lines)], repository)
    assert stats.new == 2
    served = [v async for v in repository.iter_vacancies()]
    assert [v.key for v in served] == [f"hh:{hh['id']}"]
    assert served[0].also_at == (trudvsem["vacancy"]["vac_url"],)
