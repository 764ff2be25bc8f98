"""Hostile data files (issue 13, item 5): each case a row, input → what the loader keeps and counts.

Damaged files lose only what is damaged: the records before the damage are kept, the damage
is counted by reason, the load goes on; a path that cannot be read at all is one DataError line.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from recommender.data import DataError, load_vacancies


def card(i: int, **extra: object) -> dict:
    return {"id": str(i), "name": f"Аналитик {i}", "key_skills": [{"name": "SQL"}], **extra}


def jsonl_gz(path: Path, n: int) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps(card(i), ensure_ascii=False) + "\n")
    return path


def truncated_gz(tmp: Path) -> list[Path]:
    path = jsonl_gz(tmp / "cut.jsonl.gz", 2000)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a download cut short
    return [path]


def corrupt_gz(tmp: Path) -> list[Path]:
    path = jsonl_gz(tmp / "bad.jsonl.gz", 2000)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64  # bytes flipped mid-stream
    path.write_bytes(bytes(data))
    return [path]


def folder_with_junk_gz(tmp: Path) -> list[Path]:
    folder = tmp / "folder"
    folder.mkdir()
    jsonl_gz(folder / "good.jsonl.gz", 10)
    (folder / "junk.json.gz").write_bytes(b"\x1f\x8b" + os.urandom(300))  # gzip magic, then noise
    (folder / "notes.json.gz").write_text("not compressed, not JSON")
    return [folder]


def deep_json(tmp: Path) -> list[Path]:
    path = tmp / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    return [path]


def deep_line(tmp: Path) -> list[Path]:
    path = tmp / "deep.jsonl"
    path.write_text(json.dumps(card(1)) + "\n" + "[" * 100_000 + "\n" + json.dumps(card(2)) + "\n")
    return [path]


def invalid_utf8(tmp: Path) -> list[Path]:
    path = tmp / "latin1.jsonl"
    latin1 = '{"id": "2", "name": "Caf\xe9"}\n'.encode("latin-1")
    path.write_bytes(json.dumps(card(1)).encode() + b"\n" + latin1)
    return [path]


def binary_jsonl(tmp: Path) -> list[Path]:
    path = tmp / "random.jsonl"
    noise = os.urandom(5000).replace(b"\n", b" ").replace(b"\r", b" ")  # one line of noise
    path.write_bytes(noise + b"\n" + json.dumps(card(9)).encode() + b"\n")
    return [path]


def salaries(tmp: Path) -> list[Path]:
    path = tmp / "salaries.jsonl"
    rows = [
        card(1, salary={"from": 10**30, "currency": "RUR"}),  # 10^30 ₽
        card(2, salary={"from": 500, "to": 700, "currency": "RUR"}),  # 600 ₽ a month
        card(3, salary={"from": 100_000, "currency": "RUR"}),
        card(4, salary={"from": 200_000_000, "currency": "USD"}),
        card(5, salary={"from": 1000, "to": 2800, "currency": "RUR"}),  # an hourly rate without its period
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return [path]


ANY = -1  # any count, as long as the reason is there

# (case, files, kept, skipped by reason, bad values by reason)
COUNTED: list[tuple[str, Callable[[Path], list[Path]], int | str, dict[str, int], dict[str, int]]] = [
    ("truncated .gz keeps what was read", truncated_gz, "some", {"truncated": 1}, {}),
    # Flipped deflate bytes may inflate to garbage lines before the CRC check fails: any number.
    ("corrupt .gz keeps what was read", corrupt_gz, "some", {"truncated": 1, "broken_json": ANY}, {}),
    ("junk .json.gz in a folder", folder_with_junk_gz, 10, {"truncated": 1, "broken_json": 1}, {}),
    ("JSON nested 100,000 deep", deep_json, 0, {"broken_json": 1}, {}),
    ("one line nested 100,000 deep", deep_line, 2, {"broken_json": 1}, {}),
    ("invalid UTF-8 in a line", invalid_utf8, 2, {}, {}),
    ("binary noise before a record", binary_jsonl, 1, {"broken_json": 1}, {}),
    ("implausible salaries", salaries, 5, {}, {"implausible_salary": 4}),
]


@pytest.mark.parametrize(("case", "make", "kept", "skipped", "bad"), COUNTED, ids=[c[0] for c in COUNTED])
def test_damage_is_counted_and_the_rest_kept(
    tmp_path: Path,
    case: str,
    make: Callable[[Path], list[Path]],
    kept: int | str,
    skipped: dict[str, int],
    bad: dict[str, int],
) -> None:
    result = load_vacancies(make(tmp_path))
    summary = result.summary
    if kept == "some":
        assert 0 < summary.kept < 2000, case  # the records before the damage, not all of them
    else:
        assert summary.kept == kept, case
    assert summary.skipped.keys() == skipped.keys(), case
    assert all(summary.skipped[k] == n for k, n in skipped.items() if n != ANY), case
    assert summary.bad_values == bad, case
    assert summary.kept == len(result.vacancies)


def test_implausible_salary_is_dropped_not_the_vacancy(tmp_path: Path) -> None:
    vacancies = {v.id: v for v in load_vacancies(salaries(tmp_path)).vacancies}
    assert all(vacancies[i].salary is None for i in ("1", "2", "4", "5"))
    assert vacancies["3"].salary is not None and vacancies["3"].salary.monthly_net_rub == 100_000
    assert vacancies["1"].key_skills == ("SQL",)  # the rest of the record is used


def unreadable(tmp: Path) -> list[Path]:
    path = jsonl_gz(tmp / "secret.jsonl.gz", 3)
    path.chmod(0)
    return [path]


def unreadable_folder(tmp: Path) -> list[Path]:
    folder = tmp / "locked"
    folder.mkdir()
    jsonl_gz(folder / "a.jsonl.gz", 3)
    folder.chmod(0)
    return [folder]


def empty_folder(tmp: Path) -> list[Path]:
    (tmp / "empty").mkdir()
    (tmp / "empty" / "readme.txt").write_text("no data here")
    return [tmp / "empty"]


AS_ROOT = pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")

# (case, paths, the one line)
REFUSED = [
    pytest.param(lambda tmp: [tmp / "nope.jsonl"], "no vacancy data at", id="missing path"),
    pytest.param(lambda tmp: [Path("/dev/zero")], "is not a regular file", id="/dev/zero"),
    pytest.param(empty_folder, "no vacancy files", id="folder without data files"),
    pytest.param(unreadable, "cannot read", id="unreadable file", marks=AS_ROOT),
    pytest.param(unreadable_folder, "cannot read the folder", id="unreadable folder", marks=AS_ROOT),
]


@pytest.mark.parametrize(("make", "line"), REFUSED)
def test_unusable_path_is_one_line(tmp_path: Path, make: Callable[[Path], list[Path]], line: str) -> None:
    with pytest.raises(DataError) as raised:
        load_vacancies(make(tmp_path))
    message = str(raised.value)
    assert line in message and "\n" not in message
