"""Hostile cases for where settings come from (issue 22, item 7): every command reads the project's
`.env` (or JOBREC_ENV_FILE) whatever the current folder, and relative paths in it are the
project's, not the current folder's.

Each case, what was done -> what must hold:
- a command runs from a subfolder, `.env` in the project folder -> its values are read; the SQLite
  file and MODEL_DIR are in the project's var/;
- JOBREC_ENV_FILE names another file -> it wins over the project's and the current folder's;
- JOBREC_ENV_FILE names a missing file -> one "bad settings" line, no settings, no traceback;
- absolute paths and PostgreSQL URLs in `.env` -> kept as written;
- the library's commands (`jobrec train`, `ask`, `evaluate`) from a subfolder -> get MODEL_DIR /
  DATA_PATH of the one settings object as absolute paths, plain values; the real environment wins;
- a bad `.env` -> a library command stops with its one line, exit code 2;
- `jobrec worker --once retrain-check` (a real process) from a subfolder -> the database is created
  beside `.env`, not in the subfolder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import bot.config
from bot.config import ENV_FILE_VARIABLE, library_environment, load_settings
from recommender.cli import main
from recommender.cli.defaults import command_defaults

ROOT = Path(__file__).resolve().parents[2]
JOBREC = "import sys; from recommender.cli import main; sys.exit(main())"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a `.env`, the current folder one of its subfolders."""
    folder = tmp_path / "project"
    (folder / "other").mkdir(parents=True)
    (folder / ".env").write_text(
        "DATABASE_URL=sqlite+aiosqlite:///var/jobrec.db\nMODEL_DIR=var/models\n"
        "DATA_PATH=data/a.jsonl:/abs/b.jsonl\nRETRAIN_MIN_NEW=77\n",
        encoding="utf-8",
    )
    for key in list(os.environ):
        if key.startswith(("DATABASE_", "MODEL_", "DATA_", "RETRAIN_", "JOBREC_", "COLLECT_")):
            monkeypatch.delenv(key)
    monkeypatch.setattr(bot.config, "PROJECT_DIR", folder)
    monkeypatch.chdir(folder / "other")
    return folder


def test_a_subfolder_reads_the_project_env_and_its_paths(project: Path) -> None:
    settings = load_settings()
    assert settings is not None
    assert settings.retrain_min_new == 77
    assert settings.database_url == f"sqlite+aiosqlite:///{project / 'var' / 'jobrec.db'}"
    assert settings.model_dir == project / "var" / "models"
    assert settings.data_path.split(os.pathsep) == [str(project / "data" / "a.jsonl"), "/abs/b.jsonl"]
    assert settings.collect_state_path == project / "var" / "collect_state.json"


def test_the_named_env_file_wins(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "other" / ".env").write_text("RETRAIN_MIN_NEW=5\n", encoding="utf-8")
    named = tmp_path / "deploy" / "jobrec.env"
    named.parent.mkdir()
    named.write_text("RETRAIN_MIN_NEW=9\nDATABASE_URL=postgresql+asyncpg://u@h/db\n", encoding="utf-8")
    monkeypatch.setenv(ENV_FILE_VARIABLE, str(named))
    settings = load_settings()
    assert settings is not None
    assert settings.retrain_min_new == 9
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert settings.model_dir == named.parent / "var" / "models"  # the default, beside the named file


def test_a_missing_named_env_file_is_one_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_FILE_VARIABLE, str(project / "nope.env"))
    assert load_settings() is None
    err = capsys.readouterr().err.strip()
    assert err.startswith("bad settings: JOBREC_ENV_FILE=") and "does not exist" in err
    assert "\n" not in err


def test_absolute_values_are_kept(project: Path) -> None:
    (project / ".env").write_text(
        "DATABASE_URL=sqlite+aiosqlite:////srv/jobrec.db\nMODEL_DIR=/srv/models\n", encoding="utf-8"
    )
    settings = load_settings()
    assert settings is not None
    assert settings.database_url == "sqlite+aiosqlite:////srv/jobrec.db"
    assert settings.model_dir == Path("/srv/models")


def test_the_library_sees_the_settings_as_plain_paths(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings is not None
    values = library_environment()
    assert values.model_dir == str(settings.model_dir) == str(project / "var" / "models")
    assert values.data_paths == settings.data_paths == (str(project / "data" / "a.jsonl"), "/abs/b.jsonl")
    assert command_defaults() == values  # the plug-in pyproject.toml declares
    monkeypatch.setenv("MODEL_DIR", "/from/the/environment")  # the real environment wins
    assert command_defaults().model_dir == "/from/the/environment"


def test_a_bad_env_stops_a_library_command_with_one_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".env").write_text("BOT_TOKEN=not-a-token\n", encoding="utf-8")
    assert main(["train", "--models", "nmf"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("jobrec train: bad settings: BOT_TOKEN is malformed") and "\n" not in err


def test_a_worker_started_in_a_subfolder_uses_the_project_database(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "MODEL_", "BOT_"))}
    env.update({ENV_FILE_VARIABLE: str(project / ".env"), "PYTHONPATH": str(ROOT)})
    done = subprocess.run(
        [sys.executable, "-c", JOBREC, "worker", "--once", "retrain-check"],
        cwd=project / "other",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (project / "var" / "jobrec.db").is_file()
    assert not (project / "other" / "var").exists()
