"""Hostile cases for the quality gate and `jobrec model` (issue 22, item 4): a retrain replaced an
nmf + lda + cluster + salary bundle with an nmf-only one ("gate.recall@10 0.6456 -> 0.6574:
accepted") and salary estimates were gone.

Each case, what was done -> what must hold:
- a candidate lacks a topic model and the salary model the serving bundle has, with better
  metrics -> refused, the missing parts named with the setting that would allow it;
- the same, the operator allowed it -> accepted, the decision says so;
- a candidate with more parts than the serving one -> compared on the shared metrics only;
- a real retrain (child process) of an nmf-only bundle over an nmf + cluster one -> rejected,
  kept aside, recorded as a rejected version with the gate's reasons, the old model serving;
- the same with RETRAIN_ALLOW_SMALLER -> promoted, recorded with the operator's permission;
- `jobrec model list` -> every version (the one `jobrec train` made current too), the served one
  marked, the gate's decision shown;
- `jobrec model rollback` (no version) -> the version served before is current again: the
  database row, MODEL_DIR/current, and a running process's model all follow;
- rollback to a rejected version, to an unknown one, to a folder changed since it was recorded
  -> refused in one line, exit 1, nothing changes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.jobs.model_cli import register_model
from bot.jobs.quality_gate import bundle_parts, compare
from bot.jobs.retrain import REJECTED_DIR, Retrainer
from bot.services.model_holder import ModelHolder
from bot.services.model_watch import ModelWatcher
from bot.storage.model_versions import ModelVersionRepository
from bot.storage.vacancies import VacancyRepository
from recommender.bundle import load_bundle, resolve_current

from .test_retrain import collect_some, config


def test_a_smaller_candidate_is_refused_whatever_its_metrics() -> None:
    decision = compare(
        {"gate": {"recall@10": 0.60}},
        {"gate": {"recall@10": 0.70}},
        tolerance=0.05,
        missing_parts={"salary", "lda"},
    )
    assert not decision.accepted
    assert decision.missing_parts == ("lda", "salary")
    assert "lacks lda, salary" in decision.summary() and "RETRAIN_ALLOW_SMALLER=true" in decision.summary()
    assert decision.to_dict()["decision"] == "rejected"


def test_the_operator_may_accept_a_smaller_candidate() -> None:
    decision = compare(
        {"gate": {"recall@10": 0.60}},
        {"gate": {"recall@10": 0.61}},
        tolerance=0.05,
        missing_parts={"salary"},
        allow_smaller=True,
    )
    assert decision.accepted and decision.allowed_smaller
    assert "allowed by the operator" in decision.summary()


def test_a_larger_candidate_is_compared_on_what_both_have() -> None:
    serving = {"models": ["nmf"], "salary": False}
    candidate = {"models": ["nmf", "lda"], "salary": True}
    assert bundle_parts(serving) - bundle_parts(candidate) == set()
    assert bundle_parts(candidate) == {"nmf", "lda", "salary"}
    assert compare(
        {"nmf": {"coherence": 0.5}}, {"nmf": {"coherence": 0.5}, "salary": {"mae": 1.0}}, tolerance=0
    ).accepted


@pytest.fixture(scope="session")
def two_model_dir(tmp_path_factory: pytest.TempPathFactory, base_corpus: Path) -> Path:
    """A served bundle with two parts (NMF and the clustering), trained once."""
    from recommender.data import load_vacancies
    from recommender.train import train_bundle

    out = tmp_path_factory.mktemp("two-models")
    vacancies = load_vacancies([base_corpus]).vacancies
    train_bundle(vacancies, out, models=("nmf", "cluster"), salary=False, random_state=0)
    return out


@pytest.fixture
def serving_dir(tmp_path: Path, two_model_dir: Path) -> Path:
    target = tmp_path / "models"
    shutil.copytree(two_model_dir, target, symlinks=True)
    return target


async def test_a_real_smaller_retrain_is_rejected_and_recorded(
    serving_dir: Path, base_corpus: Path, vacancies: VacancyRepository, session_factory: Any
) -> None:
    await collect_some(vacancies)
    holder = ModelHolder(load_bundle(serving_dir))
    serving_before = resolve_current(serving_dir)
    versions = ModelVersionRepository(session_factory)

    outcome = await Retrainer(
        config(serving_dir, base_corpus), vacancies, holder, versions=versions
    ).retrain()

    assert outcome.status == "rejected", outcome.reason
    assert outcome.decision is not None and outcome.decision.missing_parts == ("cluster",)
    assert resolve_current(serving_dir) == serving_before and holder.version == serving_before.name  # type: ignore[union-attr]
    kept = serving_dir / REJECTED_DIR / str(outcome.version)
    assert json.loads((kept / "gate_decision.json").read_text())["missing_parts"] == ["cluster"]
    row = await versions.find(str(outcome.version))
    assert row is not None and row.status == "rejected" and row.served_at is None
    assert row.gate["decision"] == "rejected" and "lacks cluster" in row.gate["summary"]
    assert await versions.current() is None  # nothing was served through the database


def jobrec_model(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="jobrec")
    register_model(parser.add_subparsers())
    args = parser.parse_args(["model", *argv])
    return int(args.func(args))


@pytest.fixture
def model_env(monkeypatch: pytest.MonkeyPatch, database_url: str, serving_dir: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MODEL_DIR", str(serving_dir))
    monkeypatch.delenv("REDIS_URL", raising=False)


@pytest.mark.usefixtures("model_env")
async def test_allowed_smaller_retrain_then_list_and_roll_back(
    serving_dir: Path,
    base_corpus: Path,
    vacancies: VacancyRepository,
    session_factory: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await collect_some(vacancies)
    first = resolve_current(serving_dir)
    assert first is not None
    holder = ModelHolder(load_bundle(serving_dir))
    versions = ModelVersionRepository(session_factory)
    allowed = config(serving_dir, base_corpus, allow_smaller=True)

    outcome = await Retrainer(allowed, vacancies, holder, versions=versions).retrain()

    assert outcome.status == "promoted", outcome.reason
    row = await versions.current()
    assert row is not None and row.version == outcome.version
    assert row.gate["allowed_smaller"] is True and row.gate["missing_parts"] == ["cluster"]

    capsys.readouterr()
    assert await asyncio.to_thread(jobrec_model, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"* {outcome.version}") and "allowed by the operator" in lines[0]
    # The bundle `jobrec train` made current was recorded at the first promotion: history is whole.
    assert any(line.startswith(f"  {first.name}") and "served before any retrain" in line for line in lines)

    # Roll back to the version served before: every process follows the database row.
    assert await asyncio.to_thread(jobrec_model, "rollback") == 0
    assert f"now serving {first.name} (was {outcome.version})" in capsys.readouterr().out
    assert (await versions.current()).version == first.name  # type: ignore[union-attr]
    assert resolve_current(serving_dir) == first
    watcher = ModelWatcher(holder, versions, serving_dir)
    assert await watcher.check() is True and holder.version == first.name

    # And forward again, by name.
    assert await asyncio.to_thread(jobrec_model, "rollback", str(outcome.version)) == 0
    assert (await versions.current()).version == outcome.version  # type: ignore[union-attr]
    assert await watcher.check() is True and holder.version == outcome.version


@pytest.mark.usefixtures("model_env")
async def test_rollbacks_that_cannot_be_served_are_refused(
    serving_dir: Path,
    base_corpus: Path,
    vacancies: VacancyRepository,
    session_factory: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await collect_some(vacancies)
    versions = ModelVersionRepository(session_factory)
    holder = ModelHolder(load_bundle(serving_dir))
    rejected = await Retrainer(
        config(serving_dir, base_corpus), vacancies, holder, versions=versions
    ).retrain()
    assert rejected.status == "rejected"
    first = resolve_current(serving_dir)
    assert first is not None
    # The bundle served now is recorded (a rollback onto it), then its files are changed.
    changed = first.parent / "20990101T000000Z-changed"
    shutil.copytree(first, changed)
    manifest = changed / "manifest.json"
    manifest.write_text(manifest.read_text().replace(first.name, changed.name))
    assert await asyncio.to_thread(jobrec_model, "rollback", changed.name) == 0
    assert await asyncio.to_thread(jobrec_model, "rollback", first.name) == 0
    (changed / "manifest.json").write_text((changed / "manifest.json").read_text() + " ")
    capsys.readouterr()

    cases = [
        (str(rejected.version), "was rejected by the quality gate"),
        ("19990101T000000Z-nowhere", "no bundle folder"),
        (changed.name, "is not what was recorded"),
        (first.name, "is already served"),
    ]
    for version, expected in cases:
        assert await asyncio.to_thread(jobrec_model, "rollback", version) == 1, version
        err = capsys.readouterr().err.strip()
        assert expected in err and "\n" not in err and "Traceback" not in err
        assert (await versions.current()).version == first.name  # type: ignore[union-attr]
