"""A trained bundle carries what a person reads to judge its topics (the report's files)."""

from __future__ import annotations

from pathlib import Path

from recommender.topics.artifacts import COHERENCE_FILE, HEATMAP_FILE, KEYWORDS_FILE, write_topic_artifacts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_every_model_has_keywords_and_a_similarity_heatmap(bundle_dir: Path) -> None:
    for name in ("nmf", "lda", "cluster"):
        directory = bundle_dir / "current" / "models" / name
        keywords = (directory / KEYWORDS_FILE).read_text(encoding="utf-8")
        assert keywords.strip(), name
        heatmap = (directory / HEATMAP_FILE).read_bytes()
        assert heatmap.startswith(PNG_SIGNATURE) and len(heatmap) > 5_000


def test_nmf_keywords_name_the_seeded_fields(bundle_dir: Path) -> None:
    keywords = (bundle_dir / "current" / "models" / "nmf" / KEYWORDS_FILE).read_text(encoding="utf-8").lower()
    for skill in ("figma", "stm32", "react"):
        assert skill in keywords


def test_coherence_plot_written_when_a_search_chose_the_count(parts, tmp_path: Path) -> None:
    rec = parts.recommenders["nmf"]
    search = {"counts": [2, 4, 6], "scores": [0.41, 0.52, 0.47], "best_count": 4, "measure": "c_v"}
    written = write_topic_artifacts(
        rec.topic_model, rec.topic_labels, rec.dominant_topics(), tmp_path, search=search
    )
    assert tmp_path / COHERENCE_FILE in written
    assert (tmp_path / COHERENCE_FILE).read_bytes().startswith(PNG_SIGNATURE)
