"""Bundle round trip, the library-version check and atomic writes, on real files."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest

from recommender.bundle import (
    BundleError,
    IncompatibleBundle,
    load_bundle,
    resolve_current,
    write_bundle,
)
from recommender.train import train_bundle

QUERY = "stm32, микроконтроллеры, uart"


def _copy_current(bundle_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(resolve_current(bundle_dir), target)
    return target


def test_round_trip_gives_the_same_answers(bundle_dir, corpus):
    bundle = load_bundle(bundle_dir)
    assert set(bundle.models) == {"nmf", "lda", "cluster"}
    assert bundle.default_model == "nmf"
    assert bundle.manifest["counts"]["vacancies"] == len(corpus)
    assert bundle.manifest["data"]["rows"] == len(corpus) and len(bundle.manifest["data"]["hash"]) == 40
    assert {"numpy", "scikit-learn", "gensim", "catboost"} <= set(bundle.manifest["libraries"])
    for model in bundle.models:
        answer = bundle.recommend(bundle.understand(QUERY).query, k=5, model=model)
        assert answer.model == model and len(answer.vacancies) == 5
        assert answer.vacancies[0].id.startswith("embedded-"), (model, answer.vacancies[0])
    again = load_bundle(bundle_dir)
    reloaded = again.recommend(again.understand(QUERY).query, k=5).to_dict()
    assert reloaded == bundle.recommend(bundle.understand(QUERY).query, k=5).to_dict()
    assert bundle.salary_grid(bundle.understand(QUERY).query) is None  # trained without the salary model


def test_current_is_a_relative_symlink_to_the_version(bundle_dir):
    link = bundle_dir / "current"
    assert link.is_symlink() and not os.readlink(link).startswith("/")
    bundle = load_bundle(bundle_dir)
    assert resolve_current(bundle_dir).name == bundle.version


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: m["libraries"].update({"scikit-learn": "0.24.2"}),
            "scikit-learn: bundle written with 0.24.2",
        ),
        (lambda m: m["libraries"].update({"numpy": "1.0.0"}), "numpy: bundle written with 1.0.0"),
        (lambda m: m.update({"format_version": 99}), "bundle format 99"),
        (lambda m: m.pop("libraries"), "not recorded in the manifest"),
    ],
)
def test_tampered_manifest_is_refused_with_a_clear_message(bundle_dir, tmp_path, change, message):
    target = _copy_current(bundle_dir, tmp_path)
    manifest = json.loads((target / "manifest.json").read_text())
    change(manifest)
    (target / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IncompatibleBundle, match="incompatible") as caught:
        load_bundle(target)
    assert message in str(caught.value) and "jobrec train" in str(caught.value)


def test_broken_manifest_and_missing_bundle(bundle_dir, tmp_path):
    target = _copy_current(bundle_dir, tmp_path)
    (target / "manifest.json").write_text("{not json")
    with pytest.raises(IncompatibleBundle):
        load_bundle(target)
    with pytest.raises(BundleError, match="no model bundle"):
        load_bundle(tmp_path / "empty")


def test_failed_training_leaves_current_untouched(tmp_path, corpus, parts):
    out = tmp_path / "models"
    first = write_bundle(parts, out)
    before = os.readlink(out / "current")
    with pytest.raises(ValueError):  # an invalid NMF parameter fails inside fit
        train_bundle(corpus, out, models=("nmf",), salary=False, model_params={"nmf": {"n_components": -1}})
    assert os.readlink(out / "current") == before

    class Unpicklable:
        def __reduce__(self):
            raise TypeError("cannot pickle this vocabulary")

    broken = dataclasses.replace(parts, vocabulary=Unpicklable())
    with pytest.raises(TypeError):
        write_bundle(broken, out)  # fails halfway through writing the files
    assert os.readlink(out / "current") == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".tmp")] == []
    assert load_bundle(out).path == first


def test_new_version_replaces_current_and_old_ones_are_pruned(tmp_path, parts):
    out = tmp_path / "models"
    written = [write_bundle(parts, out, keep=2) for _ in range(3)]
    assert resolve_current(out) == written[-1].resolve()
    remaining = sorted(p.name for p in (out / "versions").iterdir())
    assert remaining == sorted(p.name for p in written[-2:])


def test_the_same_job_on_two_sources_is_trained_and_shown_once(tmp_path, corpus):
    from dataclasses import replace
    from datetime import datetime

    day = datetime.fromisoformat("2026-09-01T10:00:00+03:00")
    first = replace(corpus[0], published_at=day)
    twin = replace(first, source="trudvsem", id="tv-1", employer=f'ООО "{first.employer.upper()}"',
                   url="https://trudvsem.ru/vacancy/card/1/tv-1")
    out = train_bundle([first, *corpus[1:], twin], tmp_path / "models", models=("nmf",), salary=False)
    bundle = load_bundle(out)
    assert bundle.manifest["data"]["merged_across_sources"] == 1
    assert bundle.manifest["counts"]["vacancies"] == len(corpus)
