"""Everything the evaluation compares, behind one interface.

A system ranks vacancies (``top_vacancy_rows(skills, n, rows=None)``), advises skills
(``advise(skills, n)``) and names a specialization as an hh role (``predict_role(skills)``):
the product's recommenders (one per topic model), their ablation without the topic terms,
the naive TF-IDF search, and the popularity / co-occurrence / random baselines.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC

from recommender.evaluation.fields_eval import ROLE_NEIGHBOURS, majority_role, topic_roles
from recommender.evaluation.naive import NaiveTfidfRecommender

# The scoring weights that bring the topic model into the ranking and the advice; the
# "-no-topic" ablation sets them to 0 (the specialization is a topic by nature and stays).
TOPIC_TERMS = ("topic_weight", "title_topic_weight", "topic_share_weight", "neighbour_topic_weight")


class ProductSystem:
    """A product ``Recommender`` as the evaluation queries it."""

    def __init__(self, recommender: Any, roles: Sequence[str | None], name: str | None = None) -> None:
        self.recommender = recommender
        self.name = name or recommender.name
        n_topics = int(recommender.doc_topic.shape[1])
        self.topic_roles = topic_roles(recommender.dominant_topics(), roles, n_topics)

    def top_vacancy_rows(self, skills: Sequence[str], n: int, rows: np.ndarray | None = None) -> list[int]:
        return list(self.recommender.top_vacancy_rows(skills, n, rows=rows))

    def advise(self, skills: Sequence[str], n: int = 10) -> list[str]:
        return list(self.recommender.advise(skills, n))

    def specialization_topic(self, skills: Sequence[str]) -> int | None:
        query = self.recommender.vocabulary.query_of(skills, ", ".join(skills))
        topic = self.recommender.specialization_topic(query)
        return None if topic is None else int(topic)

    def predict_role(self, skills: Sequence[str]) -> str | None:
        topic = self.specialization_topic(skills)
        return None if topic is None else self.topic_roles[topic]


def without_topic_terms(recommender: Any) -> Any:
    """A copy of ``recommender`` whose ranking and advice ignore the topic model."""
    names = {f.name for f in dataclasses.fields(recommender.params)}
    present = [term for term in TOPIC_TERMS if term in names]
    if not present:
        raise ValueError(f"no topic term among the scoring parameters {sorted(names)}")
    without = dataclasses.replace(recommender.params, **{term: 0.0 for term in present})
    clone = recommender.with_params(without)
    clone.name = f"{recommender.name}-no-topic"
    return clone


class NaiveSystem:
    """The naive TF-IDF search; its specialization is the majority role of its 50 best cards."""

    name = "naive"

    def __init__(
        self, naive: NaiveTfidfRecommender, card_rows: np.ndarray, roles: Sequence[str | None]
    ) -> None:
        self.naive = naive
        self.card_rows = card_rows
        self.roles = roles

    def top_vacancy_rows(self, skills: Sequence[str], n: int, rows: np.ndarray | None = None) -> list[int]:
        return self.naive.top_vacancy_rows(skills, n, rows)

    def advise(self, skills: Sequence[str], n: int = 10) -> list[str]:
        return self.naive.advise(skills, n)

    def predict_role(self, skills: Sequence[str]) -> str | None:
        return majority_role(self.naive.neighbour_rows(skills, ROLE_NEIGHBOURS, self.card_rows), self.roles)


class RandomSystem:
    """The chance level: n random rows (seeded), the commonest role."""

    name = "random"

    def __init__(self, n_rows: int, roles: Sequence[str | None], seed: int = 0) -> None:
        self.n_rows = n_rows
        self.rng = np.random.default_rng(seed)
        counts = Counter(role for role in roles if role)
        self.top_role = counts.most_common(1)[0][0] if counts else None

    def top_vacancy_rows(self, skills: Sequence[str], n: int, rows: np.ndarray | None = None) -> list[int]:
        pool = np.arange(self.n_rows) if rows is None else np.asarray(rows)
        return self.rng.choice(pool, size=min(n, pool.size), replace=False).tolist()

    def predict_role(self, skills: Sequence[str]) -> str | None:
        return self.top_role


def _identity(skills: Sequence[str]) -> Sequence[str]:
    return skills


SUPERVISED = "supervised-"
TOP_TWO = "supervised-logistic-top2"  # right when the role is among the two likeliest


def label_ceiling(label_accuracy: Mapping[str, Mapping[str, float]]) -> float | None:
    """The best label accuracy of the classifiers fitted to the roles (their top-2 aside)."""
    values = [v["accuracy"] for n, v in label_accuracy.items() if n.startswith(SUPERVISED) and n != TOP_TWO]
    return max(values) if values else None


def _classifier(kind: str, n_samples: int) -> Any:
    """The classifiers a label-accuracy ceiling is taken over, at settings read off held-out
    cards (each within 0.01 of its best there)."""
    if kind == "logistic":
        return LogisticRegression(C=5.0, max_iter=2000)
    if kind == "linear-svm":
        return LinearSVC(C=1.0)
    if kind == "naive-bayes":
        return MultinomialNB(alpha=0.5)
    if kind == "knn":
        return KNeighborsClassifier(n_neighbors=min(50, n_samples), metric="cosine", weights="distance")
    raise ValueError(f"unknown classifier {kind!r}")


class SupervisedRoles:
    """A label-accuracy ceiling: a classifier trained on the training cards' roles themselves.

    TF-IDF of the cards' canonical key skills, asked with the same queries. No unsupervised topic
    can name roles better than a model fitted to them, so the best of several such classifiers
    says how far the key skills alone separate hh roles (Тестировщик / Программист, DevOps /
    Системный инженер / Системный администратор share most of theirs).
    """

    KINDS = ("logistic", "linear-svm", "naive-bayes", "knn")

    def __init__(
        self, card_skills: Sequence[Sequence[str]], card_roles: Sequence[str], *, kind: str = "logistic"
    ) -> None:
        self.name = f"supervised-{kind}"
        self.vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        features = self.vectorizer.fit_transform([list(skills) for skills in card_skills])
        self.model = _classifier(kind, features.shape[0]).fit(features, list(card_roles))

    def predict_role(self, skills: Sequence[str]) -> str | None:
        if not skills:
            return None
        return str(self.model.predict(self.vectorizer.transform([list(skills)]))[0])

    def predict_roles(self, skills: Sequence[str], n: int) -> list[str]:
        """The n likeliest roles, likeliest first (a classifier with probabilities only)."""
        if not skills:
            return []
        probabilities = self.model.predict_proba(self.vectorizer.transform([list(skills)]))[0]
        return [str(self.model.classes_[i]) for i in np.argsort(-probabilities, kind="stable")[:n]]
