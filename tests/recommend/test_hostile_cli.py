"""Hostile command lines (issue 13, item 5): each case a row, arguments → exit code and the line.

The real `jobrec` entry point in-process (its argparse, commands and error handling). A bad
input is one clear line and a non-zero exit, never a traceback; commands that read many
records count the bad ones and go on.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from recommender.cli import main


def records(tmp: Path, n: int = 2000) -> Path:
    path = tmp / "v.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for i in range(n):
            item = {"id": str(i), "name": f"Аналитик {i}", "key_skills": [{"name": "SQL"}]}
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def truncated(tmp: Path) -> str:
    path = records(tmp)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return str(path)


def write(name: str, content: bytes) -> Callable[[Path], str]:
    def make(tmp: Path) -> str:
        (tmp / name).write_bytes(content)
        return str(tmp / name)

    return make


def folder(tmp: Path) -> str:
    (tmp / "a_folder").mkdir()
    return str(tmp / "a_folder")


def missing(tmp: Path) -> str:
    return str(tmp / "no_such_file.txt")


def dev_zero(_tmp: Path) -> str:
    return "/dev/zero"


# (case, argv with {} for the made path, the path maker, exit code, expected in the last stderr line)
CASES = [
    ("batch missing", ["ask", "--batch", "{}"], missing, 2, "No such file or directory"),
    ("batch is a folder", ["ask", "--batch", "{}"], folder, 2, "is not a regular file"),
    ("batch /dev/zero", ["ask", "--batch", "{}"], dev_zero, 2, "is not a regular file"),
    ("batch invalid UTF-8", ["ask", "--batch", "{}"], write("q.txt", b"python\n\xff\xfe sql\n"), 2,
     "is not UTF-8 text (byte 7)"),
    ("batch binary", ["ask", "--batch", "{}"], write("q.bin", b"\x00\x01\x02python\x00"), 2, "looks binary"),
    ("model dir typo", ["ask", "python", "--model-dir", "{}"], missing, 2, "does not exist"),
    ("data missing", ["data", "stats", "--data", "{}"], missing, 2, "no vacancy data at"),
    ("data /dev/zero", ["data", "stats", "--data", "{}"], dev_zero, 2, "is not a regular file"),
    ("data empty folder", ["data", "stats", "--data", "{}"], folder, 2, "no vacancy files"),
    ("train on /dev/zero", ["train", "--data", "{}"], dev_zero, 2, "is not a regular file"),
    ("chart into a missing folder", ["salary", "python", "--chart", "{}/x.png"], missing, 2, "no folder"),
    ("db upgrade zzz", ["db", "upgrade", "zzz"], missing, 2, "cannot upgrade the database to 'zzz'"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "argv", "make", "code", "line"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
    argv: list[str],
    make: Callable[[Path], str],
    code: int,
    line: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'j.db'}")
    made = make(tmp_path)
    assert main([arg.replace("{}", made) for arg in argv]) == code, case
    err = capsys.readouterr().err
    assert "Traceback" not in err
    last = [text for text in err.splitlines() if text.strip()][-1]
    assert line in last, case


def test_truncated_gz_is_counted_in_data_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "stats", "--data", truncated(tmp_path), "--no-skills"]) == 0
    out = capsys.readouterr().out
    summary = out.splitlines()[0]
    assert "skipped 1 (truncated 1)" in summary
    kept = int(summary.split("kept ")[1].split(",")[0].replace(",", ""))
    assert 0 < kept < 2000


def test_deep_json_is_a_broken_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write("deep.json", b"[" * 100_000 + b"]" * 100_000)(tmp_path)
    assert main(["data", "stats", "--data", path]) == 1  # nothing to describe, said so
    out = capsys.readouterr().out
    assert "broken_json 1" in out and "no vacancies to describe" in out


def test_import_of_a_truncated_file_keeps_its_rows_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    database = tmp_path / "j.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.chdir(tmp_path)
    assert main(["import", truncated(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "truncated 1" in out
    with sqlite3.connect(database) as conn:
        (stored,) = conn.execute("SELECT count(*) FROM collected_vacancies").fetchone()
    assert 0 < stored < 2000
    assert f"new {stored}" in out


@pytest.mark.parametrize("argv", [["import", "x.jsonl"], ["worker"], ["db", "upgrade"]], ids=" ".join)
def test_bad_database_url_is_one_line_for_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgres:/nonsense:pw@")
    monkeypatch.setenv("BOT_TOKEN", "123456789:AAtestTOKENtestTOKENtestTOKEN12345")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "pw@" not in err
    assert "DATABASE_URL" in [text for text in err.splitlines() if text.strip()][-1]
