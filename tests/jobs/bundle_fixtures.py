"""The bundle fixtures the jobs and scale-out suites share: the synthetic corpus written once, a
real bundle trained on it once per session, and a private copy per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from corpus import corpus, write_jsonl


@pytest.fixture(scope="session")
def base_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("data") / "base.jsonl", corpus())


@pytest.fixture(scope="session")
def trained_dir(tmp_path_factory: pytest.TempPathFactory, base_corpus: Path) -> Path:
    """A real bundle on the synthetic corpus (NMF only, no salary model: seconds to train)."""
    from recommender.data import load_vacancies
    from recommender.train import train_bundle

    out = tmp_path_factory.mktemp("trained")
    train_bundle(load_vacancies([base_corpus]).vacancies, out, models=("nmf",), salary=False, random_state=0)
    return out


@pytest.fixture
def model_dir(tmp_path: Path, trained_dir: Path) -> Path:
    """A private copy of the session bundle, so a test may promote or reject into it."""
    target = tmp_path / "models"
    shutil.copytree(trained_dir, target, symlinks=True)
    return target
