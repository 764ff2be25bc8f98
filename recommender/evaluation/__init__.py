"""Offline evaluation of skill advice, vacancy recommendations, topics and salary (docs/evaluation.md)."""

from recommender.evaluation.baselines import CooccurrenceBaseline, PopularityBaseline
from recommender.evaluation.metrics import ndcg_at_k, recall_at_k
from recommender.evaluation.queries import DESIGN_MARKERS, REPORT_QUERIES, is_design_skill

__all__ = [
    "DESIGN_MARKERS",
    "REPORT_QUERIES",
    "CooccurrenceBaseline",
    "PopularityBaseline",
    "is_design_skill",
    "ndcg_at_k",
    "recall_at_k",
]
