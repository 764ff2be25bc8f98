"""Fixtures for the scale-out tests: a real bundle on the jobs suite's synthetic corpus."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bot"))  # fake_telegram
sys.path.insert(0, str(HERE.parent / "jobs"))  # corpus
sys.path.insert(0, str(HERE))  # cluster

from corpus import corpus, write_jsonl  # noqa: E402


@pytest.fixture(scope="session")
def base_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("data") / "base.jsonl", corpus())


@pytest.fixture(scope="session")
def trained_dir(tmp_path_factory: pytest.TempPathFactory, base_corpus: Path) -> Path:
    from recommender.bundle import train_bundle
    from recommender.data import load_vacancies

    out = tmp_path_factory.mktemp("trained")
    train_bundle(load_vacancies([base_corpus]).vacancies, out, models=("nmf",), salary=False, random_state=0)
    return out


@pytest.fixture
def model_dir(tmp_path: Path, trained_dir: Path) -> Path:
    target = tmp_path / "models"
    shutil.copytree(trained_dir, target, symlinks=True)
    return target
