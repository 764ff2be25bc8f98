"""`jobrec skills` end to end through the real CLI entry point."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from recommender.cli import main
from recommender.skills import SkillVocabulary


def test_prints_canonical_skills_and_unknowns_with_suggestions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["skills", "--model-dir", str(tmp_path), "python3, k8s, джава, с++17, нейросетями, pyton"])
    out = capsys.readouterr().out
    assert code == 0
    assert "skills (5): Python, Kubernetes, Java, C++, Нейронные сети" in out
    assert "unknown: pyton (did you mean: Python" in out
    assert "curated default" in out


def test_json_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["skills", "--json", "--model-dir", str(tmp_path), "фигма, фотошоп, blendr"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert payload["skills"] == ["figma", "adobe photoshop"]
    assert payload["display"] == ["Figma", "Adobe Photoshop"]
    assert payload["unknown"][0]["term"] == "blendr"
    assert payload["unknown"][0]["suggestions"][0] == "Blender"


def test_uses_the_vocabulary_of_the_current_bundle(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make_vacancy
) -> None:
    vocabulary = SkillVocabulary.build([make_vacancy(key_skills=("Houdini",)) for _ in range(3)])
    version = tmp_path / "versions" / "v1"
    version.mkdir(parents=True)
    (version / "vocabulary.pkl").write_bytes(pickle.dumps(vocabulary))
    (tmp_path / "current").symlink_to(version)
    code = main(["skills", "--model-dir", str(tmp_path), "houdini"])
    out = capsys.readouterr().out
    assert code == 0
    assert "skills (1): Houdini" in out
    assert f"bundle in {tmp_path}" in out


def test_broken_bundle_falls_back_to_default(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    version = tmp_path / "versions" / "v1"
    version.mkdir(parents=True)
    (version / "vocabulary.pkl").write_bytes(b"not a pickle")
    (tmp_path / "current").symlink_to(version)
    assert main(["skills", "--model-dir", str(tmp_path), "sql"]) == 0
    assert "curated default" in capsys.readouterr().out


def test_data_option_builds_the_vocabulary_from_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cards = [
        {"id": str(i), "name": "3D-художник", "description": "<p>Опыт в Houdini и Blender</p>",
         "key_skills": [{"name": "Houdini"}, {"name": "Blender"}]}
        for i in range(3)
    ]
    data = tmp_path / "cards.jsonl"
    data.write_text("\n".join(json.dumps(card, ensure_ascii=False) for card in cards) + "\n{broken\n")
    code = main(["skills", "houdini, blender", "--data", str(data)])  # --data takes several paths
    out = capsys.readouterr().out
    assert code == 0
    assert "skills (2): Houdini, Blender" in out
    assert "built from 3 vacancies" in out
