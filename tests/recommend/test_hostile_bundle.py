"""Damaged model bundles (issue 13, item 6): each case a row, the damage → one line saying so.

A real bundle (NMF and a CatBoost salary model, trained once), copied and damaged per case.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from recommender.bundle import BundleError, load_bundle, remove_stale_temporaries
from recommender.cli import main
from recommender.data import Vacancy
from recommender.train import train_bundle


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, corpus: list[Vacancy]) -> Path:
    out = tmp_path_factory.mktemp("pristine")
    train_bundle(corpus, out, models=("nmf",), salary=True, salary_topics=False)
    return out


@pytest.fixture
def bundle_copy(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "models"
    shutil.copytree(pristine, copy, symlinks=True)
    return copy


def truncate(relative: str) -> Callable[[Path], None]:
    def damage(current: Path) -> None:
        path = current / relative
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    return damage


def remove(relative: str) -> Callable[[Path], None]:
    return lambda current: (current / relative).unlink()


def garble(relative: str) -> Callable[[Path], None]:
    return lambda current: (current / relative).write_bytes(os.urandom(2048))


def manifest_models(value: object) -> Callable[[Path], None]:
    def damage(current: Path) -> None:
        manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
        manifest["models"] = value
        (current / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    return damage


# (damage, expected in the one line)
DAMAGE = [
    pytest.param(truncate("vocabulary.pkl"), "is damaged (UnpicklingError", id="truncated vocabulary.pkl"),
    pytest.param(remove("index.pkl"), "is damaged (FileNotFoundError", id="missing index.pkl"),
    pytest.param(garble("models/nmf/model.pkl"), "is damaged", id="garbage model.pkl"),
    pytest.param(truncate("models/nmf/doc_topic.npz"), "is damaged (BadZipFile", id="truncated npz"),
    pytest.param(truncate("salary/salary.cbm"), "is damaged (CatBoostError", id="truncated salary model"),
    pytest.param(manifest_models("nmf"), "'models' is not a list", id='"models": "nmf"'),
    pytest.param(manifest_models(["nmf", 7]), "'models' is not a list", id="models with a number"),
    pytest.param(garble("manifest.json"), "unreadable manifest.json", id="garbage manifest"),
]


@pytest.mark.parametrize(("damage", "line"), DAMAGE)
def test_damaged_bundle_is_one_line(
    bundle_copy: Path, capsys: pytest.CaptureFixture[str], damage: Callable[[Path], None], line: str
) -> None:
    damage((bundle_copy / "current").resolve())
    with pytest.raises(BundleError, match="model bundle"):
        load_bundle(bundle_copy)
    assert main(["ask", "python, sql", "--model-dir", str(bundle_copy)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "training" not in err  # reported, not silently retrained
    (reported,) = [text for text in err.splitlines() if text.strip()]
    assert line in reported


def test_stale_temporary_folders_go_at_the_next_training(
    bundle_copy: Path, corpus: list[Vacancy]
) -> None:
    code = "import os; print(os.getpid())"
    dead = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    stale = bundle_copy / f".tmp-20240101T000000-abc-{dead.stdout.strip()}"  # a killed training's
    stale.mkdir()
    (stale / "vocabulary.pkl").write_bytes(b"half")
    running = bundle_copy / f".tmp-20240101T000000-abc-{os.getpid()}"  # a training still running
    running.mkdir()
    train_bundle(corpus[:200], bundle_copy, models=("nmf",), salary=False)
    assert not stale.exists()
    assert running.exists()
    assert remove_stale_temporaries(bundle_copy) == []
