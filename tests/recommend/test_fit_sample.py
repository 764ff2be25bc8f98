"""Training on a sample (`jobrec train --fit-sample`): every vacancy indexed, stages told as they end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from recommender.bundle import load_bundle
from recommender.cli import main
from recommender.data import load_vacancies
from recommender.train import train_bundle


def test_train_cli_fits_on_a_sample_and_indexes_every_vacancy(corpus_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "models"
    args = ["train", "--data", str(corpus_file), "--out", str(out), "--models", "nmf", "--no-salary"]
    assert main([*args, "--fit-sample", "60"]) == 0
    manifest = json.loads((out / "current" / "manifest.json").read_text(encoding="utf-8"))
    rows = len(load_vacancies([corpus_file]).vacancies)
    assert manifest["fit_sample"] == 60 and manifest["data"]["rows"] == rows > 60
    assert len(load_bundle(out).index) == rows


def test_each_stage_is_told_as_it_ends_in_the_manifests_order(
    corpus: list, tmp_path: Path, small_models: dict[str, Any]
) -> None:
    told: list[tuple[str, float]] = []
    path = train_bundle(
        corpus,
        tmp_path / "models",
        models=("nmf", "cluster"),
        salary=False,
        model_params=small_models,
        on_stage=lambda name, seconds: told.append((name, seconds)),
    )
    timings = load_bundle(path).manifest["timings_s"]
    assert [name for name, _ in told] == list(timings) == ["vocabulary", "index", "nmf", "cluster"]
    assert all(seconds >= 0 for _, seconds in told)
