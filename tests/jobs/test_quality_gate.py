"""The quality gate's comparison rules."""

from __future__ import annotations

from bot.jobs.quality_gate import compare, direction, flatten_metrics


def test_directions_follow_metric_names() -> None:
    assert direction("gate.recall@10") == 1
    assert direction("salary.mae") == -1
    assert direction("nmf.coherence") == 1
    assert direction("nmf.reconstruction_err") == 0  # grows with the corpus: not comparable
    assert direction("nmf.n_topics") == 0


def test_flatten_skips_non_numbers() -> None:
    flat = dict(
        flatten_metrics({"nmf": {"coherence": 0.5, "search": {"k": [1, 2]}}, "ok": True, "x": float("nan")})
    )
    assert flat == {"nmf.coherence": 0.5}


def test_within_tolerance_is_accepted() -> None:
    current = {"gate": {"recall@10": 0.50}, "salary": {"mae": 20_000.0}}
    candidate = {"gate": {"recall@10": 0.49}, "salary": {"mae": 20_500.0}}
    decision = compare(current, candidate, tolerance=0.05)
    assert decision.accepted
    assert {c.metric for c in decision.comparisons} == {"gate.recall@10", "salary.mae"}


def test_regression_beyond_tolerance_is_rejected() -> None:
    decision = compare(
        {"salary": {"mae": 20_000.0, "r2": 0.4}}, {"salary": {"mae": 23_000.0, "r2": 0.41}}, tolerance=0.05
    )
    assert not decision.accepted
    assert [c.metric for c in decision.regressions] == ["salary.mae"]
    assert "rejected" in decision.summary()


def test_improvements_and_missing_metrics_pass() -> None:
    assert compare({"gate": {"recall@10": 0.3}}, {"gate": {"recall@10": 0.6}}, tolerance=0.0).accepted
    assert compare({"nmf": {"n_topics": 10}}, {"lda": {"coherence": 0.1}}, tolerance=0.05).accepted


def test_stats_and_the_gate_read_the_same_metric_names() -> None:
    from bot.handlers.admin import shown_metrics

    metrics = {"nmf": {"coherence": 0.5, "label": "Python"}, "salary": {"mae": 21000, "notes": "x" * 50}}
    assert shown_metrics(metrics) == [("nmf.coherence", 0.5), ("nmf.label", "Python"), ("salary.mae", 21000)]
    assert list(flatten_metrics(metrics)) == [("nmf.coherence", 0.5), ("salary.mae", 21000.0)]
    assert shown_metrics(None) == []
