"""Latent Dirichlet allocation (gensim) over vacancies' skills, behind a scikit-learn-style wrapper."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from gensim.corpora import Dictionary
from gensim.models import LdaModel, Phrases
from scipy.special import psi

from recommender.topics._docs import clean_docs
from recommender.topics.base import TopicModel, column_distributions
from recommender.topics.coherence import sample_docs, topic_coherence

logger = logging.getLogger(__name__)

# Joins skills that Phrases merges into one token; spaced so that skills such as "c++" or
# "ci/cd" stay recoverable when a phrase token is split back into its skills.
PHRASE_DELIMITER = " + "
# documents per E-step batch in transform: bounds the (entries × topics) work arrays
INFERENCE_BATCH = 2048


class LDATopicModel(TopicModel):
    """gensim ``LdaModel`` over a bag of skill tokens, with bigram/trigram phrases.

    As in the report, gensim ``Phrases`` runs twice over each document's skill sequence, so
    skills that keep appearing side by side (e.g. "html" then "css") become one token
    "html + css". ``vocabulary_`` and ``term_topic_`` are expressed in single skills: a phrase
    token's weight is credited to each of its skills. Defaults are the report's settings
    (64 topics, eta 0.8, alpha "auto", chunksize 100, passes 5, update_every 1).

    ``transform`` runs gensim's variational E-step itself with a fixed start (gensim draws a
    random one), so the same document always gets the same topic mixture.
    """

    def __init__(
        self,
        num_topics: int = 64,
        *,
        phrases: bool = True,
        phrase_min_count: int = 5,
        phrase_threshold: float = 10.0,
        no_below: int = 3,
        no_above: float = 0.9,
        eta: float | str = 0.8,
        alpha: float | str = "auto",
        chunksize: int = 100,
        passes: int = 5,
        update_every: int = 1,
        iterations: int = 50,
        gamma_threshold: float = 1e-3,
        random_state: int | None = 0,
    ) -> None:
        self.num_topics = num_topics
        self.phrases = phrases
        self.phrase_min_count = phrase_min_count
        self.phrase_threshold = phrase_threshold
        self.no_below = no_below
        self.no_above = no_above
        self.eta = eta
        self.alpha = alpha
        self.chunksize = chunksize
        self.passes = passes
        self.update_every = update_every
        self.iterations = iterations
        self.gamma_threshold = gamma_threshold
        self.random_state = random_state

    def fit(self, docs: Sequence[Sequence[str]], y: object = None) -> LDATopicModel:
        started = time.perf_counter()
        cleaned = clean_docs(docs)
        self.phrasers_ = self._fit_phrases(cleaned) if self.phrases else []
        tokens = self.tokens(cleaned)
        dictionary = Dictionary(tokens)
        dictionary.filter_extremes(no_below=self.no_below, no_above=self.no_above, keep_n=None)
        if not len(dictionary):
            raise ValueError("LDA: no tokens left after filtering; the corpus is too small or empty")
        corpus = [dictionary.doc2bow(doc) for doc in tokens]
        self.lda_ = LdaModel(
            corpus=corpus,
            id2word=dictionary,
            num_topics=self.num_topics,
            eta=self.eta,
            alpha=self.alpha,
            chunksize=self.chunksize,
            passes=self.passes,
            update_every=self.update_every,
            iterations=self.iterations,
            gamma_threshold=self.gamma_threshold,
            eval_every=None,  # gensim's periodic perplexity logging costs a full extra pass
            random_state=self.random_state,
        )
        self.dictionary_ = dictionary
        self.n_topics_ = int(self.num_topics)
        self._set_skill_terms()
        self._warn_about_dead_topics()
        logger.info(
            "LDA: %d docs, %d tokens → %d topics, %.1fs",
            len(tokens), len(dictionary), self.n_topics_, time.perf_counter() - started,
        )
        return self

    def tokens(self, docs: Sequence[Sequence[str]]) -> list[list[str]]:
        """Documents as LDA tokens: skills with frequent neighbours joined into phrases."""
        result = clean_docs(docs)
        for phraser in getattr(self, "phrasers_", []):
            result = [phraser[doc] for doc in result]
        return result

    def transform(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        self._check_fitted()
        doc_topic = np.zeros((len(docs), self.n_topics_), dtype=np.float32)
        bows = [self.dictionary_.doc2bow(doc) for doc in self.tokens(docs)]
        known = np.asarray([i for i, bow in enumerate(bows) if bow], dtype=np.int64)
        beta = np.asarray(self.lda_.expElogbeta, dtype=np.float64)
        alpha = np.asarray(self.lda_.alpha, dtype=np.float64)
        for start in range(0, len(known), INFERENCE_BATCH):
            rows = known[start : start + INFERENCE_BATCH]
            gamma = _infer_gamma([bows[i] for i in rows], beta, alpha, self.iterations, self.gamma_threshold)
            doc_topic[rows] = gamma / gamma.sum(axis=1, keepdims=True)
        return doc_topic

    def perplexity(self, docs: Sequence[Sequence[str]]) -> float:
        """2^(−per-word bound), gensim's perplexity estimate; NaN when no token is known."""
        self._check_fitted()
        bows = [bow for bow in (self.dictionary_.doc2bow(doc) for doc in self.tokens(docs)) if bow]
        if not bows:
            return float("nan")
        return float(np.exp2(-self.lda_.log_perplexity(bows)))

    def top_tokens(self, topic: int, n: int = 10) -> list[str]:
        """The topic's strongest LDA tokens, phrases included (what coherence is computed on)."""
        self._check_fitted()
        return [token for token, _ in self.lda_.show_topic(topic, topn=n)]

    def coherence(
        self,
        docs: Sequence[Sequence[str]],
        measure: str = "c_v",
        *,
        topn: int = 10,
        sample_size: int | None = 3000,
        random_state: int | None = 0,
    ) -> float:
        """Mean topic coherence on ``docs`` (a sample of them): "c_v", "c_npmi", "u_mass"..."""
        self._check_fitted()
        texts = self.tokens(sample_docs(clean_docs(docs), sample_size, random_state))
        topics = [self.top_tokens(t, topn) for t in range(self.n_topics_)]
        return topic_coherence(topics, texts, measure=measure, sample_size=None).score

    def _warn_about_dead_topics(self) -> None:
        from recommender.topics.plots import redundant_topics

        dead = redundant_topics(self)
        if len(dead) > self.n_topics_ // 10:
            logger.warning(
                "LDA: %d of %d topics repeat another topic's profile (dead topics); a larger chunksize "
                "(e.g. 2000) or fewer topics keeps them apart", len(dead), self.n_topics_,
            )

    def _fit_phrases(self, docs: list[list[str]]) -> list:
        phrasers = []
        current = docs
        for _ in range(2):  # bigrams, then trigrams built over the bigrams
            phrases = Phrases(
                current, min_count=self.phrase_min_count, threshold=self.phrase_threshold,
                delimiter=PHRASE_DELIMITER,
            )
            frozen = phrases.freeze()
            phrasers.append(frozen)
            current = [frozen[doc] for doc in current]
        return phrasers

    def _set_skill_terms(self) -> None:
        """Fold the phrase-token × topic matrix into a skill × topic one."""
        token_topic = self.lda_.get_topics().T  # n_tokens × n_topics, columns sum to 1
        skill_index: dict[str, int] = {}
        rows: list[int] = []
        token_ids: list[int] = []
        for token_id in range(len(self.dictionary_)):
            for skill in self.dictionary_[token_id].split(PHRASE_DELIMITER):
                rows.append(skill_index.setdefault(skill, len(skill_index)))
                token_ids.append(token_id)
        skill_topic = np.zeros((len(skill_index), self.n_topics_), dtype=np.float32)
        np.add.at(skill_topic, np.asarray(rows), token_topic[np.asarray(token_ids)])
        self.vocabulary_ = list(skill_index)
        self.term_topic_ = column_distributions(skill_topic)


def _infer_gamma(
    bows: list[list[tuple[int, int]]], beta: np.ndarray, alpha: np.ndarray, iterations: int, threshold: float
) -> np.ndarray:
    """gensim's variational E-step for a batch of non-empty documents, started from gamma = 1.

    gensim draws the start at random, so the same document would get a slightly different
    mixture each call; from a fixed start it always gets the same one. Work is done per
    (document, token) entry with per-row sums, and each row stops once its own mean change is
    below ``threshold`` (gensim's per-document rule), so a document's result does not depend on
    the batch it comes in.
    """
    batch = _Entries.of(bows, beta)
    gamma = np.ones((len(bows), len(alpha)), dtype=np.float64)
    rows = np.arange(len(bows))  # the rows still iterating, in batch order
    for _ in range(iterations):
        current = gamma[rows]
        exp_elog_theta = np.exp(psi(current) - psi(current.sum(axis=1, keepdims=True)))
        phinorm = np.einsum("ij,ij->i", exp_elog_theta[batch.doc], batch.beta) + 1e-100
        per_doc = np.add.reduceat(batch.beta * (batch.counts / phinorm)[:, None], batch.starts, axis=0)
        new_gamma = alpha + exp_elog_theta * per_doc
        gamma[rows] = new_gamma
        going = np.abs(new_gamma - current).mean(axis=1) >= threshold
        if not going.any():
            break
        if not going.all():
            rows, batch = rows[going], batch.subset(going)
    return gamma


@dataclass(frozen=True, slots=True)
class _Entries:
    """A batch's (document, token) entries: owning row, count, the token's exp(E[log beta])."""

    doc: np.ndarray
    counts: np.ndarray
    beta: np.ndarray  # entries × topics
    lengths: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, bows: list[list[tuple[int, int]]], beta: np.ndarray) -> _Entries:
        lengths = np.asarray([len(bow) for bow in bows], dtype=np.int64)
        ids = np.asarray([token_id for bow in bows for token_id, _ in bow], dtype=np.int64)
        counts = np.asarray([count for bow in bows for _, count in bow], dtype=np.float64)
        return cls._make(lengths, counts, beta[:, ids].T)

    @classmethod
    def _make(cls, lengths: np.ndarray, counts: np.ndarray, beta_entries: np.ndarray) -> _Entries:
        doc = np.repeat(np.arange(len(lengths)), lengths)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        return cls(doc, counts, beta_entries, lengths, starts)

    def subset(self, keep_rows: np.ndarray) -> _Entries:
        keep = keep_rows[self.doc]
        return self._make(self.lengths[keep_rows], self.counts[keep], self.beta[keep])
