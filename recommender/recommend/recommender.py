"""Ranking vacancies and skills for a free-text skills query.

Per query: one matrix-vector product over the precomputed, L2-normalized doc-topic
matrix (float32) gives the topic cosine of every vacancy; a sparse sum over the
query skills' posting lists gives the direct skill overlap; the blend of the two is
ranked with ``np.argpartition``. Skills to learn come from the nearest vacancies and
the specialization, weighted by co-occurrence with the user's skills and discounted
by how common a skill is everywhere (lift), so rarer fields (design) get their own
tools rather than the corpus-wide favourites.

An answer is made in parts a caller asks for: ``Recommender.rank`` (a ``Ranking``: the scores and
best matches, whatever the filters), its specialization, skills to learn and fields to choose
(computed on first ask, kept), and ``Recommender.vacancies`` (the filters and the page applied to
it); ``recommend`` puts them together.
"""

from __future__ import annotations

import copy
import functools
import logging
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from recommender.recommend import advice
from recommender.recommend.advice import covered_by, lacking
from recommender.recommend.choices import (
    SUBFIELD_WORDS,
    FieldChoice,
    TitleFamilies,
    field_choices,
    field_label,
    narrower,
    subfield_choices,
)
from recommender.recommend.fields import EARLY_CAREER, JUNIOR, SENIOR, title_tokens
from recommender.recommend.filters import Filters
from recommender.recommend.index import EPOCH, NO_CODE, NO_DATE, VacancyIndex
from recommender.recommend.results import (
    Recommendation,
    SkillAdvice,
    SkillShare,
    Specialization,
    VacancyMatch,
)
from recommender.recommend.sector_rows import (
    SectorAnswer,
    SectorRows,
    is_field_sector,
    title_skills,
    with_skills,
)
from recommender.skills.query import Query
from recommender.skills.sectors import SHARED_SECTORS, SectorGuess, Sectors
from recommender.topics.labels import cleaned_title_words, field_title, titled_words

logger = logging.getLogger(__name__)

MAX_K = 100
# A second specialization is shown when its cosine is at least this share of the first's.
SECOND_TOPIC_RATIO = 0.75  # a second field is shown from 3 votes in 4 of the first's (50 voters: 21 v 29)
SECOND_CANDIDATES = 4
TOPIC_EVIDENCE_SKILLS = 2.0
MIN_TITLE_EMPLOYERS = 3  # a title word means a field only when several employers use it
# Added to the ranking of a vacancy in the query's sector (a nurse's, a teacher's): above any score
# outside it, so the field, the advice and the first vacancies come from the student's own sector.
SECTOR_BONUS = 1.0
OTHER_SECTOR_FACTOR = 0.5  # and a vacancy of another named sector (a driver for a nurse) counts half
# Added to the vacancies of the field the student chose: above every other score, a sector's bonus
# included (a score is about 1 at most), so the specialization and advice come from that field.
FIELD_BONUS = SECTOR_BONUS + 2.0
POOL_TIE_WEIGHT = 0.05  # of the score, beside the skills shared, in the matches fields are read from
# Rankings (``Recommender.rank``) and query scores kept: a user's page presses and relaxed filters
# come within seconds of the answer. Each holds a few arrays over the corpus, ~5 MB per 100k
# vacancies for a ranking with its scores and two listing orders, so how many are kept follows the
# corpus: 8 at 106k vacancies (+40 MB), 2 at a million (8 took a replica from 1.77 to 2.2 GB).
MAX_KEPT = 8
MIN_KEPT = 2
KEPT_ROWS = 1_000_000  # vacancy rows the kept rankings (and, apart, the kept scores) span together
ORDERS_KEPT = 2  # listing orders kept per ranking (experience, sort, day): relaxing experience is one more
# Curated skill fields advised only to a user in them (their skills or the specialization's top
# DOMAIN_TOP_SKILLS): tools of every trade (Git, SQL, Excel) are in none of them.
DOMAIN_FIELDS = frozenset({"gamedev", "1c", "design", "embedded", "telecom", "marketing"})
DOMAIN_TOP_SKILLS = 5  # queries whose scores are kept for a re-rank
MIN_TITLED_VOTERS = 3  # voters with the typed job title that name the specialization alone
FRESHNESS_DAYS = 30.0  # a vacancy's freshness bonus decays by e over this many days
# Published fewer days than this before the caller's "today": most likely still open, so it leads
# its match tier by relevance (a 2021 posting that matches better is almost certainly closed).
RECENT_DAYS = 30
# Topic weights kept per vacancy: a vacancy's mass sits in a few topics, and a sparse
# doc-topic matrix makes the per-query product ~10x cheaper than a dense 120-topic one.
DEFAULT_DOC_TOPICS = 12
TOP_SAMPLE = 4096  # values read to set a top-n threshold (``_candidates``)
TOP_SAMPLE_MARGIN = 4  # candidates aimed for per wanted row: few fallbacks to a full partition


class TopicModel(Protocol):
    n_topics_: int

    def transform(self, docs: Sequence[Sequence[str]]) -> np.ndarray: ...


class Vocabulary(Protocol):
    def parse(self, text: object) -> Query: ...

    def is_hard(self, skill: str) -> bool: ...

    def source(self, skill: str) -> str | None: ...

    def field(self, skill: str) -> str | None: ...


@dataclass(frozen=True)
class ScoringParams:
    """Weights of the ranking; tuned on the offline evaluation (docs/evaluation.md)."""

    topic_weight: float = 0.25  # cosine similarity in the topic space
    title_topic_weight: float = 0.25  # cosine of the query's topics and the field the title names
    overlap_weight: float = 0.5  # direct skill overlap (below)
    # overlap = (1 - share) * field-weighted idf coverage of the query (title > key skills > text)
    #           + share * idf cosine (favours vacancies asking for little else)
    cosine_share: float = 0.2
    # For a user with no or 1–3 years of experience, lead / senior titles are multiplied by this;
    # for no experience, junior / intern titles by junior_boost.
    senior_penalty: float = 0.7
    junior_boost: float = 1.1
    # Skills to learn (recommender.recommend.advice): the field is the answer's n_neighbours best
    # matches (at most neighbour_employer_cap per employer) blended with its specialization topic.
    n_neighbours: int = 200
    neighbour_employer_cap: int = 3  # also caps the specialization's voters
    # Each neighbour counts with (its field-weighted coverage of the query) ** this: for "python,
    # nlp, нейросети" the two hundred Python-only postings outnumber the NLP ones, and at power 1
    # Django, Git and Docker were the advice; at 3 the NLP postings carry the field (held-out
    # cards: long-tail recall@10 unchanged, mean lift 3.04 → 3.11).
    neighbour_weight_power: float = 3.0
    # The specialization topic's weight in the field's demand. 0: a topic's strongest vacancies
    # can mix unrelated clusters (DNS and DHCP in a design answer), the matches cannot.
    topic_share_weight: float = 0.0
    lift_power: float = 0.6  # advice = demand × lift ** lift_power (lift capped at max_lift)
    max_lift: float = 30.0
    min_demand: float = 0.02  # asked for by at least 2% of the field: no "0%" advice
    min_lift: float = 1.3
    general_share: float = 0.05  # a skill asked for by 5% of all vacancies is a general tool ...
    general_min_lift: float = 2.0  # ... advised only when the field asks for it twice as often
    # advice × (share of mentions that are key_skills) ** this. min_demand and keyness_power were
    # set on held-out cards of the training split (recall@10 0.478 → 0.489, long tail 0.414 → 0.426)
    keyness_power: float = 1.5
    specialization_neighbours: int = 50  # best matches whose topics vote for the specialization
    specialization_mix: float = 1.0  # their vote's weight against the query's own topic vector
    n_top_skills: int = 10
    n_missing_skills: int = 8
    # Added to the answer's ranking score for a vacancy published today (relative to the newest
    # one indexed), decaying over FRESHNESS_DAYS: between close matches the fresher goes first.
    freshness_weight: float = 0.03


@dataclass(frozen=True, slots=True)
class QueryScores:
    """A query's similarity to every vacancy, by component (each an array over the index rows)."""

    topic_vector: np.ndarray  # the query's unit topic vector
    columns: np.ndarray  # the query skills' columns in the skill matrix
    # topic_weight × the vacancy's topic cosine (damped for vacancies naming few skills)
    # + title_topic_weight × its title's topic cosine: one product with ``topic_matrix``
    topics: np.ndarray
    # idf-weighted share of the query skills the vacancy asks for, each weighted by where the
    # vacancy names it (BM25F: title > key skills > text, see recommender.recommend.fields)
    fields: np.ndarray
    skill_cosine: np.ndarray  # cosine of idf-weighted skill vectors (favours vacancies asking little else)

    @property
    def coverage(self) -> np.ndarray:
        """Positive exactly where the vacancy asks for one of the query's skills."""
        return self.fields


def kept_entries(n_rows: int) -> int:
    """How many rankings (or query scores) a recommender over ``n_rows`` vacancies keeps."""
    return max(MIN_KEPT, min(MAX_KEPT, KEPT_ROWS // max(n_rows, 1)))


def _normalize_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def sparsify_topics(doc_topic: np.ndarray, keep: int) -> sp.csr_matrix:
    """Keep each row's ``keep`` largest weights (ties to the lower topic), re-normalized to unit length."""
    dense = np.asarray(doc_topic, dtype=np.float32)
    n_docs, n_topics = dense.shape
    keep = max(1, min(keep, n_topics))
    if keep < n_topics:
        top = np.argpartition(-dense, keep - 1, axis=1)[:, :keep]
    else:
        top = np.broadcast_to(np.arange(n_topics), (n_docs, n_topics))
    top = np.sort(top, axis=1)
    values = np.take_along_axis(dense, top, axis=1)
    matrix = sp.csr_matrix(
        (values.ravel(), top.ravel().astype(np.int32), np.arange(0, n_docs * keep + 1, keep)),
        shape=(n_docs, n_topics),
        dtype=np.float32,
    )
    matrix.eliminate_zeros()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0).astype(np.float32)
    return sp.csr_matrix(sp.diags(scale) @ matrix, dtype=np.float32)


def topic_skill_shares(
    doc_topic: np.ndarray, index: VacancyIndex, strongest: int = 1000, per_employer: int = 3
) -> np.ndarray:
    """Per topic, the share of its strongest vacancies asking for each skill (topics × skills).

    A vacancy belongs to its dominant topic; of those, the ``strongest`` by topic weight
    count, so that a big topic's share is not diluted by vacancies that barely belong to it.
    At most ``per_employer`` vacancies of one employer count: one employer's mass posting
    (the same job in fifty cities) would otherwise make its own wording the field's demand.
    """
    n_topics = doc_topic.shape[1]
    shares = np.zeros((n_topics, len(index.skills)), dtype=np.float32)
    has_skills = np.diff(index.skills.rows.indptr) > 0
    dominant = np.where(has_skills & (doc_topic.max(axis=1) > 0), doc_topic.argmax(axis=1), -1)
    for topic in range(n_topics):
        rows = np.flatnonzero(dominant == topic)
        rows = rows[np.argsort(-doc_topic[rows, topic], kind="stable")]
        rows = _first_per_employer(rows, index.employer_codes, per_employer, strongest)
        if rows.size == 0:
            continue
        counts = np.asarray(index.skills.rows[rows].sum(axis=0)).ravel()
        shares[topic] = counts / rows.size
    return shares


def title_topics(
    words: sp.csr_matrix,
    doc_topic: sp.csr_matrix,
    keep: int = DEFAULT_DOC_TOPICS,
    employers: np.ndarray | None = None,
) -> sp.csr_matrix:
    """Per vacancy, the unit topic vector its title words point to.

    A word's profile is the mean (unit) topic vector of the vacancies whose titles use it,
    each employer counting once (``employers``: a code per row, NO_CODE for none): one
    employer's posting repeated in fifty cities, or under ten spellings, is one vote, so its
    own wording does not point at its own topic. "c#" points at one topic, "разработчик" is
    spread over all development topics and so its mean is short. A word used by fewer than
    MIN_TITLE_EMPLOYERS employers has no profile. A title's vector is the idf-weighted sum of
    its words' profiles, keeping the ``keep`` strongest topics, normalized.
    """
    n_docs, n_words = words.shape
    if n_docs == 0 or n_words == 0:
        return sp.csr_matrix((n_docs, doc_topic.shape[1]), dtype=np.float32)
    pairs = words.tocoo()
    owner = np.arange(n_docs, dtype=np.int64) if employers is None else employers.astype(np.int64)
    owner = np.where(owner == NO_CODE, owner.max(initial=0) + 1 + np.arange(n_docs), owner)
    key = owner[pairs.row] * n_words + pairs.col
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    vote = (1.0 / counts[inverse]).astype(np.float32)  # each (employer, word) sums to one vote
    votes = sp.csr_matrix((vote, (pairs.row, pairs.col)), shape=words.shape)
    n_employers = np.asarray(votes.sum(axis=0)).ravel()
    profiles = np.asarray((votes.T @ doc_topic).todense(), dtype=np.float32)
    profiles /= np.maximum(n_employers, 1)[:, None]
    profiles[n_employers < MIN_TITLE_EMPLOYERS - 1e-3] = 0.0
    idf = np.log(len(np.unique(owner)) / np.maximum(n_employers, 1)).astype(np.float32)
    weighted = sp.csr_matrix(words @ sp.diags(np.maximum(idf, 0)))
    chunks = []
    for start in range(0, n_docs, 20_000):
        dense = np.asarray(weighted[start : start + 20_000] @ profiles, dtype=np.float32)
        chunks.append(sparsify_topics(dense, keep))
    return sp.vstack(chunks, format="csr").astype(np.float32)


def hard_skill_mask(vocabulary: Vocabulary, index: VacancyIndex) -> np.ndarray:
    """Per indexed skill: may an explanation or advice name it? Hard skills only, and no skill
    that is just an employer's name ("Skyeng" in its own vacancies' key skills)."""
    employers = {name.strip().lower().replace("ё", "е") for name in index.employers}
    return np.fromiter(
        (
            vocabulary.is_hard(name) and (name not in employers or vocabulary.source(name) == "curated")
            for name in index.skills.names
        ),
        dtype=bool,
        count=len(index.skills),
    )


def _first_per_employer(rows: np.ndarray, employer_codes: np.ndarray, cap: int, n: int) -> np.ndarray:
    """The first ``n`` of ``rows``, in order, taking at most ``cap`` per employer (rows without an
    employer all count). A loop that stops at ``n``: an answer wants 50 or 200 of its 400 best
    rows, where sorting all 400 by employer took ~0.2 ms a call."""
    picked: list[int] = []
    taken: dict[int, int] = {}
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    for row, code in zip(np.asarray(rows).tolist(), employer_codes[rows].tolist(), strict=True):
        if code != NO_CODE:
            seen = taken.get(code, 0)
            if seen >= cap:
                continue
            taken[code] = seen + 1
        picked.append(row)
        if len(picked) == n:
            break
    return np.asarray(picked, dtype=np.int64)


def _candidates(values: np.ndarray, n: int) -> np.ndarray:
    """Positions of ``values`` that include its ``n`` largest: every value at or above a threshold
    read off a strided sample, all positions when the threshold lets fewer than ``n`` through.

    A comparison over the corpus costs a fiftieth of a partition of it; the partition then runs
    on a few hundred candidates (exact: all values above the n-th largest pass the threshold).
    """
    step = values.size // TOP_SAMPLE
    if step < 2 or n * TOP_SAMPLE_MARGIN >= values.size:
        return np.arange(values.size)
    sample = values[::step]
    rank = min(sample.size, (TOP_SAMPLE_MARGIN * n) // step + 8)
    threshold = np.partition(sample, sample.size - rank)[sample.size - rank]
    candidates = np.flatnonzero(values >= threshold)
    return candidates if candidates.size >= n else np.arange(values.size)


def _ranked(scores: np.ndarray, rows: np.ndarray | None, n: int) -> np.ndarray:
    """The ``n`` best rows by score, best first; ties broken by row for determinism."""
    values = scores if rows is None else scores[rows]
    n = min(n, values.size)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    top = _candidates(values, n)  # ascending positions
    if n < top.size:
        candidate_values = values[top]
        nth = np.partition(candidate_values, top.size - n)[top.size - n]  # the n-th largest
        above = top[candidate_values > nth]
        tied = top[candidate_values == nth][: n - above.size]  # ties at the cut: the first rows
        top = np.concatenate([above, tied])
    top = top[np.lexsort((top, -values[top]))]
    return top if rows is None else rows[top]


@dataclass(frozen=True, slots=True)
class MatchTiers:
    """Per row: a strong match, a weak one (``match_tiers``), and how many of the query's skills it shares."""

    strong: np.ndarray
    weak: np.ndarray
    shared: np.ndarray


@dataclass(frozen=True, slots=True)
class Listing:
    """A page of a ranking's vacancies passing some filters, with the counts an answer prints."""

    vacancies: list[VacancyMatch]
    total_vacancies: int  # strong matches passing the filters
    total_candidates: int  # strong matches plus weaker ones sharing a skill: what paging can reach


class Ranking:
    """A query ranked over the corpus (``Recommender.rank``): the scores and the best matches every
    part of an answer is drawn from, whatever the filters. The specialization, the skills to learn,
    the fields to choose and the match tiers are computed on first ask and kept, so an answer
    computes only what it shows, and a relaxed filter or a page press re-filters the same ranking
    (``Recommender.vacancies``) instead of ranking the corpus again. Safe to share between threads:
    two threads asking for the same part at once may both compute it, to the same value."""

    def __init__(
        self,
        recommender: Recommender,
        *,
        query: Query,
        skills: tuple[str, ...],
        components: QueryScores,
        scores: np.ndarray,
        best: np.ndarray,
        voters: np.ndarray,
        pool: np.ndarray,
        sector: SectorAnswer | None = None,
        in_sector: np.ndarray | None = None,
        barred: np.ndarray | None = None,
        field: str | None = None,
        in_field: np.ndarray | None = None,
    ) -> None:
        self._recommender = recommender
        self.query = query  # as asked (``Recommender.rank``'s key)
        self.skills = skills  # the query's, or those a job title typed alone stands for
        self.components = components
        self.scores = scores  # the ranking: the sector's and the chosen field's vacancies first
        self.best = best  # the rows the specialization and the advice are drawn from, best first
        self.voters = voters  # those of them naming the specialization, a few per employer
        self.pool = pool  # the matches the fields to choose are read from (``Recommender.field_pool``)
        self.sector = sector  # the sector outside IT the query names
        self.in_sector = in_sector
        self.barred = barred  # other sectors' skills (never advised to a sector's query)
        self.field = field  # the field chosen, when the best matches have some of it
        self.in_field = in_field
        self._orders: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray]] = {}
        self._orders_lock = threading.Lock()

    @functools.cached_property
    def topics(self) -> np.ndarray:
        """The specialization's topic vector, as the best matches vote (``specialization_vector``)."""
        return self._recommender.specialization_vector(self.components.topic_vector, self.scores, self.voters)

    @functools.cached_property
    def demand(self) -> np.ndarray:
        """Per skill, the share of the answer's field asking for it (``answer_demand``)."""
        return self._recommender.answer_demand(
            self.skills, self.components, self.scores, self.topics, self.best
        )

    @functools.cached_property
    def specialization(self) -> Specialization | None:
        return self._recommender.specialization(self)

    @functools.cached_property
    def skills_to_learn(self) -> list[SkillAdvice]:
        return self._recommender.skills_to_learn(self)

    @functools.cached_property
    def lackable(self) -> np.ndarray:
        """Per skill: may a vacancy's ✗ list name it (``Recommender.lackable``)."""
        return self._recommender.lackable(self)

    @functools.cached_property
    def fields(self) -> list[FieldChoice]:
        """The fields the best matches split into, for the student to choose ([] when they agree),
        then, when one of them is chosen, the narrower fields its own matches split into."""
        recommender = self._recommender
        index = recommender.index
        offered = field_choices(self.pool, index.titles, index.employer_codes, recommender.title_families())
        chosen = self.field or ""
        parent = next((c.key for c in offered if c.key == chosen or narrower(chosen, c.key)), None)
        if parent is None:
            return offered
        within = self if parent == self.field else recommender.rank(self.query, field=parent)
        if within is None or within.field != parent:
            return offered
        matches = recommender.sharing_matches(within.best, within.components)
        return offered + subfield_choices(matches, parent, index.employer_codes, recommender.title_families())

    @functools.cached_property
    def tiers(self) -> MatchTiers:
        return self._recommender.tiers(self)

    def order(
        self, key: tuple[object, ...], build: Callable[[], tuple[np.ndarray, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scores, order key) of a listing for ``key`` (experience, sort, day), made by ``build`` on
        first ask; the last ORDERS_KEPT are kept (a float64 per row each)."""
        with self._orders_lock:
            found = self._orders.get(key)
        if found is None:
            found = build()
            with self._orders_lock:
                if len(self._orders) >= ORDERS_KEPT:
                    self._orders.pop(next(iter(self._orders)))
                self._orders[key] = found
        return found


class Recommender:
    """Recommendations from one topic model over one vacancy corpus."""

    def __init__(
        self,
        *,
        name: str,
        vocabulary: Vocabulary,
        topic_model: TopicModel,
        index: VacancyIndex,
        doc_topic: np.ndarray | sp.csr_matrix,
        topic_labels: Sequence[str],
        topic_shares: np.ndarray | None = None,
        params: ScoringParams | None = None,
        max_doc_topics: int = DEFAULT_DOC_TOPICS,
        title_topic: sp.csr_matrix | None = None,
        earlier: Recommender | None = None,
    ) -> None:
        """``doc_topic``: dense model output (normalized and made sparse here), or an already
        prepared sparse matrix from a bundle; ``title_topic``: the titles' topic vectors
        (``title_topics``), computed here when not given; ``earlier``: a recommender over an
        earlier version of the corpus (``updated``) whose readings of titles are reused."""
        if doc_topic.shape[0] != len(index):
            raise ValueError("doc_topic must have one row per indexed vacancy")
        self.name = name
        self._max_doc_topics = max_doc_topics
        self.vocabulary = vocabulary
        self.topic_model = topic_model
        self.index = index
        if sp.issparse(doc_topic):
            self.doc_topic = sp.csr_matrix(doc_topic, dtype=np.float32)
        else:
            dense = _normalize_rows(doc_topic)
            if topic_shares is None:
                topic_shares = topic_skill_shares(dense, index)
            self.doc_topic = sparsify_topics(dense, max_doc_topics)
        if topic_shares is None:
            topic_shares = topic_skill_shares(self.doc_topic.toarray(), index)
        self.topic_labels = list(topic_labels)
        self.topic_shares = np.asarray(topic_shares, dtype=np.float32)
        if title_topic is None:
            title_topic = title_topics(
                index.title_words, self.doc_topic, max_doc_topics, index.employer_codes
            )
        self.title_topic = sp.csr_matrix(title_topic, dtype=np.float32)
        self.params = params or ScoringParams()
        self._idf = index.skills.idf()
        # A vacancy naming one skill has that skill's topic exactly; how close it is to the
        # query in topic space is weak evidence until it names a few: 1 - exp(-n / 2).
        n_skills = np.diff(index.skills.rows.indptr).astype(np.float32)
        self._topic_evidence = (1 - np.exp(-n_skills / TOPIC_EVIDENCE_SKILLS)).astype(np.float32)
        self._hard = hard_skill_mask(vocabulary, index)
        self._multipart = [  # skills made of parts ("ux/ui"), with those parts
            (column, advice.skill_parts(name) - {name})
            for column, name in enumerate(index.skills.names)
            if len(advice.skill_parts(name)) > 1
        ]
        self._inverse_doc_norm = self._inverse_norms()
        self._freshness_cache: np.ndarray | None = None
        self._topic_matrix: tuple[tuple[float, float], sp.csr_matrix] | None = None
        self._dominant: np.ndarray | None = None  # each row's strongest topic (-1: none), on first use
        # the titles' label words by title text: kept across index versions (``earlier``)
        self._titled_cache: dict[str, tuple[str, frozenset[str]]] = {}
        self._known_titles = earlier._title_families if earlier is not None else None
        if earlier is not None:
            self._titled_cache = dict(earlier._titled_cache)
        self._sector_rows: SectorRows | None = None
        self._barred_cache: dict[str, np.ndarray] = {}
        self._skill_fields: tuple[np.ndarray, dict[str, int]] | None = None  # field codes, on first use
        self._kept = kept_entries(len(index))
        self._scores_cache: dict[tuple[str, ...], tuple[np.ndarray, QueryScores]] = {}
        self._rankings: dict[tuple[str, tuple[str, ...], str | None], Ranking] = {}
        self._rankings_lock = threading.Lock()
        self._title_families: TitleFamilies | None = None
        self._title_columns: sp.csc_matrix | None = None
        self._title_position: dict[str, int] | None = None

    def with_params(self, params: ScoringParams) -> Recommender:
        """This recommender with other scoring weights (the evaluation's ablation): the model, the
        corpus and the readings of its titles shared, the kept scores and rankings its own (a
        shallow copy would answer from the original's)."""
        clone = copy.copy(self)
        clone.params = params
        clone._scores_cache = {}
        clone._rankings = {}
        clone._rankings_lock = threading.Lock()
        clone._topic_matrix = None
        return clone

    def updated(
        self, index: VacancyIndex, kept: np.ndarray, added_docs: Sequence[Sequence[str]]
    ) -> Recommender:
        """This recommender over ``index`` (``VacancyIndex.updated``: the ``kept`` rows of this one's
        index, then vacancies with skills ``added_docs``): the kept rows' topic weights, the added
        ones' from the fitted model's ``transform``. The topic labels stay the model's; each topic's
        skill shares are counted again over the new rows (their columns are the new index's)."""
        n_topics = self.doc_topic.shape[1]
        fresh = self.topic_model.transform(added_docs) if added_docs else np.zeros((0, n_topics))
        added = sparsify_topics(_normalize_rows(fresh), self._max_doc_topics)
        return Recommender(
            name=self.name,
            vocabulary=self.vocabulary,
            topic_model=self.topic_model,
            index=index,
            doc_topic=sp.vstack([self.doc_topic[kept], added], format="csr"),
            topic_labels=self.topic_labels,
            params=self.params,
            max_doc_topics=self._max_doc_topics,
            earlier=self,
        )

    def _inverse_norms(self) -> np.ndarray:
        """1 / norm of each vacancy's idf-weighted skill vector (0 for a vacancy without skills)."""
        rows = self.index.skills.rows
        squared = np.asarray(rows @ (self._idf.astype(np.float64) ** 2)).ravel()
        return np.divide(1.0, np.sqrt(squared), out=np.zeros_like(squared), where=squared > 0).astype(
            np.float32
        )

    # ---- the query ---------------------------------------------------------------

    def query_topics(self, skills: Sequence[str]) -> np.ndarray:
        """The query's L2-normalized topic vector (zeros when the model knows none of the skills)."""
        vector = np.asarray(self.topic_model.transform([list(skills)]), dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 and np.isfinite(norm) else np.zeros_like(vector)

    def query_columns(self, skills: Sequence[str]) -> np.ndarray:
        column_of = self.index.skills.column_of
        return np.asarray([column_of[s] for s in dict.fromkeys(skills) if s in column_of], dtype=np.int64)

    def topic_matrix(self) -> sp.csr_matrix:
        """The vacancy and title topic vectors, weighted and summed: the topic part of every score,
        by topic (CSC). Rebuilt when the weights change (the evaluation's ablation)."""
        p = self.params
        key = (p.topic_weight, p.title_topic_weight)
        if self._topic_matrix is None or self._topic_matrix[0] != key:
            vacancy = sp.diags(self._topic_evidence * np.float32(p.topic_weight)) @ self.doc_topic
            matrix = sp.csr_matrix(vacancy + self.title_topic * np.float32(p.title_topic_weight))
            self._topic_matrix = (key, matrix.astype(np.float32).tocsc())
        return self._topic_matrix[1]

    def topic_scores(self, topic_vector: np.ndarray) -> np.ndarray:
        """``topic_matrix() @ topic_vector``, over the query's few nonzero topics only (a query
        names 3 of 120 topics typically: a fortieth of the matrix is read)."""
        matrix = self.topic_matrix()
        topics = np.flatnonzero(topic_vector)
        if topics.size == 0:
            return np.zeros(matrix.shape[0], dtype=np.float32)
        # one sparse product over those columns: half the time of adding them one by one
        product = matrix[:, topics] @ topic_vector[topics].astype(np.float32)
        return np.asarray(product, dtype=np.float32).ravel()

    def query_scores(self, skills: Sequence[str]) -> QueryScores:
        """Per-vacancy similarity components for canonical skills: one sparse product, one postings pass."""
        topic_vector = self.query_topics(skills)
        columns = self.query_columns(skills)
        topics = self.topic_scores(topic_vector)
        n = len(self.index)
        fields, cosine = np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.float32)
        if columns.size:
            idf = self._idf[columns]
            coverage_weights = idf / idf.sum()
            cosine_weights = idf**2 / np.sqrt((idf**2).sum())
            postings = self.index.mention_columns  # the skill matrix's pattern, with field weights
            for column, cov_w, cos_w in zip(columns, coverage_weights, cosine_weights, strict=True):
                start, end = postings.indptr[column], postings.indptr[column + 1]
                rows = postings.indices[start:end]
                fields[rows] += cov_w * postings.data[start:end]
                cosine[rows] += cos_w
            cosine *= self._inverse_doc_norm
        return QueryScores(topic_vector, columns, topics, fields, cosine)

    def vacancy_scores(self, query: QueryScores) -> np.ndarray:
        """The ranking score: field-weighted skill overlap, the vacancy's and its title's topic cosine."""
        p = self.params
        # in place: at a million rows each temporary array is 4 MB written and read again
        scores = query.fields * np.float32(p.overlap_weight * (1 - p.cosine_share))
        scores += query.skill_cosine * np.float32(p.overlap_weight * p.cosine_share)
        scores += query.topics
        return scores

    def scores_for(self, skills: Sequence[str]) -> tuple[np.ndarray, QueryScores]:
        query = self.query_scores(skills)
        return self.vacancy_scores(query), query

    def cached_scores(self, skills: Sequence[str]) -> tuple[np.ndarray, QueryScores]:
        """``scores_for``, kept for the last few queries: a field chosen ranks the same scores again
        instead of scoring the corpus (pages and filters reuse the whole ``Ranking``). Callers never
        write to them."""
        key = tuple(skills)
        cached = self._scores_cache.get(key)
        if cached is None:
            cached = self.scores_for(skills)
            if len(self._scores_cache) >= self._kept:
                self._scores_cache.pop(next(iter(self._scores_cache)), None)
            self._scores_cache[key] = cached
        return cached

    def title_families(self) -> TitleFamilies:
        """Each indexed title's family (``choices``), read on first use."""
        if self._title_families is None:
            self._title_families = TitleFamilies(self.index.titles, self._known_titles)
            self._known_titles = None  # read: the earlier version's titles are not kept alive
        return self._title_families

    def warm(self) -> Recommender:
        """Read every title now (families, field-choice heads, label words, sectors) and build the
        other structures answers make on first use: a query whose best matches have titles no answer
        has read yet took twice a warm one's time (CPU p99 12.9 vs 6.8 ms on 106k vacancies). About
        3 s for 106k vacancies; over an ``updated`` index, the new titles only (and the sectors)."""
        self.title_families().warm()
        self.sector_rows()
        self.dominant_rows()
        self._freshness()
        texts = self._title_texts()
        self._titled_cache = {
            text: self._titled_cache[text] for text in set(texts) if text in self._titled_cache
        }
        for row in range(len(texts)):
            self._titled(row)
        return self

    def top_vacancy_rows(self, skills: Sequence[str], n: int, rows: np.ndarray | None = None) -> list[int]:
        """Index rows of the n best distinct vacancies for canonical skills, among ``rows`` when
        given (the evaluation's entry)."""
        scores, _ = self.scores_for(skills)
        return self._top_unique(scores, rows, n)

    def advise(self, skills: Sequence[str], n: int = 10) -> list[str]:
        """The n skills to learn for canonical skills, best first (the evaluation's entry)."""
        scores, components = self.scores_for(skills)
        best = self._best(scores)
        topics = self.specialization_vector(components.topic_vector, scores, self._voters(scores, best))
        field = self.answer_demand(tuple(skills), components, scores, topics, best)
        advice = self.skill_scores(components, field)
        names = self.index.skills.names
        return [names[c] for c in _ranked(advice, None, n) if advice[c] > 0]

    # ---- the answer, in parts ------------------------------------------------------

    def recommend(
        self,
        query: Query,
        filters: Filters = Filters(),
        k: int = 5,
        *,
        offset: int = 0,
        exclude_keys: Collection[str] = (),
        field: str | None = None,
        today: date | None = None,
    ) -> Recommendation:
        """A whole answer (the evaluation's and the CLI's entry): ``rank``, then ``vacancies``, put
        together by ``recommendation``. See ``vacancies`` for the order and ``rank`` for ``field``.
        A query naming a sector outside IT (a nurse's) ranks that sector's vacancies first and draws
        its specialization and advice from them (``Recommendation.sector``)."""
        ranking = self.rank(query, field=field)
        listing = None
        if ranking is not None:
            listing = self.vacancies(
                ranking, filters, k, offset=offset, exclude_keys=exclude_keys, today=today
            )
        return self.recommendation(query, ranking, listing)

    def recommendation(
        self, query: Query, ranking: Ranking | None, listing: Listing | None = None
    ) -> Recommendation:
        """The answer as shown: the ranking's specialization, skills to learn, sector and fields to
        choose, with the ``listing``'s vacancies (none without one)."""
        result = Recommendation(query_text=query.text, model=self.name, unknown_terms=list(query.unknown))
        if ranking is None:
            return result
        result.skills_recognized = list(ranking.skills)
        result.specialization = ranking.specialization
        result.skills_to_learn = ranking.skills_to_learn
        result.sector = ranking.sector
        result.fields = ranking.fields
        result.field = ranking.field
        if listing is not None:
            result.vacancies = listing.vacancies
            result.total_vacancies = listing.total_vacancies
            result.total_candidates = listing.total_candidates
        return result

    def recognized(self, query: Query) -> tuple[str, ...]:
        """The skills an answer to ``query`` reads: its own, or those a job title typed alone
        stands for (``with_title_skills``). Nothing is ranked."""
        return self.with_title_skills(query, self.sector_of(query)).skills

    def rank(self, query: Query, *, field: str | None = None) -> Ranking | None:
        """The query ranked over the corpus (``Ranking``), or None when it names no skill the corpus
        knows. ``field``: the key of one of the answer's ``fields`` the student chose; its vacancies
        rank first and the specialization, advice and strong matches are drawn from them.

        Kept for the last few (query, field) pairs (``kept_entries``): a page press, a relaxed filter or the
        salary grid's listing reads the same ranking again; a field chosen reuses the query's scores
        (``cached_scores``)."""
        key = (query.text, query.skills, field)
        with self._rankings_lock:
            ranking = self._rankings.get(key)
        if ranking is None:
            ranking = self._rank(query, field)
            if ranking is None:
                return None
            with self._rankings_lock:
                if len(self._rankings) >= self._kept:
                    self._rankings.pop(next(iter(self._rankings)))
                self._rankings[key] = ranking
        return ranking

    def _rank(self, asked: Query, field: str | None) -> Ranking | None:
        guess = self.sector_of(asked)
        query = self.with_title_skills(asked, guess)
        if not query.skills:
            return None
        scores, components = self.cached_scores(query.skills)
        by_skills = scores  # before a sector's bonus
        if guess is not None and not is_field_sector(guess.sector.id):
            guess = None  # IT: the topics tell its fields apart
        sector, in_sector, barred = None, None, None
        if guess is not None:
            sector_rows = self.sector_rows()
            in_sector = sector_rows.mask(guess.sector.id)
            sector = sector_rows.answer(guess.sector.id)
            scores = self.sector_first(scores, in_sector, sector_rows.other_sector(guess.sector.id))
        best = self._best(scores)
        voters = self._voters(scores, best)
        if guess is not None and in_sector is not None and in_sector[best].any():  # the sector's own field
            best, voters = best[in_sector[best]], voters[in_sector[voters]]
            voters = self._titled_voters(voters, guess)
            barred = self.other_sector_skills(guess.sector.id)
        pool = self.field_pool(best, components, by_skills, in_sector if barred is not None else None)
        # the student's choice: that family first, when the answer's best matches have some of it
        chosen = self._within_field(field, scores, pool, by_skills if guess is not None else None, components)
        in_field = None
        if chosen is not None:
            scores, best, in_field = chosen
            voters = self._voters(scores, best)
        return Ranking(
            self, query=asked, skills=query.skills, components=components, scores=scores, best=best,
            voters=voters, pool=pool, sector=sector, in_sector=in_sector, barred=barred,
            field=field if in_field is not None else None, in_field=in_field,
        )  # fmt: skip

    def _within_field(
        self,
        field: str | None,
        scores: np.ndarray,
        pool: np.ndarray,
        by_skills: np.ndarray | None,
        components: QueryScores,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(scores, best, the field's rows) of the answer within the field the student chose, the
        field's vacancies first; None when the field does not belong in this answer
        (``field_in_answer``) or none of its vacancies shares a skill with the query."""
        if not field:
            return None
        in_field = self.title_families().rows(field)
        belongs = self.field_in_answer(in_field, pool, by_skills, components)
        if not (belongs or self.narrows_answer(field, pool)):
            return None
        scores = (scores + np.float32(FIELD_BONUS) * in_field).astype(np.float32)
        best = self._best(scores)
        best = best[in_field[best]]
        if not (components.coverage[best] > 0).any():  # a narrower field, none of it sharing a skill
            return None
        return scores, best, in_field

    def narrows_answer(self, field: str, pool: np.ndarray) -> bool:
        """Is ``field`` a narrower field (``choices.subfield_choices``: "python разраб django") of
        one the answer's best matches have: some of them hold every word of it but one."""
        words = frozenset(field.split())
        if len(words) < SUBFIELD_WORDS:
            return False
        families = self.title_families().families
        return any(len(words & families[row]) >= len(words) - 1 for row in pool.tolist())

    def specialization(self, ranking: Ranking) -> Specialization | None:
        """The ranking's specialization (``Ranking.specialization`` keeps it): within its sector, and
        under the chosen field's name when one was chosen."""
        topics, demand = ranking.topics, ranking.demand
        specialization = self._specialization(topics, demand, ranking.voters)
        if specialization is None:
            return None
        if ranking.sector is not None:
            specialization = self._in_sector(specialization, ranking.sector, ranking.barred)
        if ranking.in_field is not None:
            label = next((c.label for c in ranking.fields if c.key == ranking.field), None)
            label = label or field_label(ranking.voters, self.title_families())
            specialization = replace(specialization, label=label or specialization.label, second=None)
        return specialization

    def skills_to_learn(self, ranking: Ranking) -> list[SkillAdvice]:
        """The ranking's skills to learn (``Ranking.skills_to_learn`` keeps them): never another
        sector's skill nor one of a domain the user and the specialization are not in."""
        foreign = self.foreign_domain_skills(ranking.skills, ranking.specialization)
        barred = foreign if ranking.barred is None else ranking.barred | foreign
        return self._skills_to_learn(ranking.components, ranking.demand, barred)

    def tiers(self, ranking: Ranking) -> MatchTiers:
        """The ranking's strong and weak matches (``match_tiers``; ``Ranking.tiers`` keeps them): by
        the chosen field's or the sector's titles, else by titles naming the specialization."""
        shared = self.shared_counts(ranking.skills)
        if ranking.in_field is not None:
            strong, weak = chosen_field_tiers(shared, ranking.in_field)
            return MatchTiers(strong, weak, shared)
        named = ranking.in_sector
        if named is None:
            named = self.titles_naming(ranking.specialization)
        strong, weak = match_tiers(shared, named, n_query=self.n_shareable(ranking.skills))
        return MatchTiers(strong, weak, shared)

    def vacancies(
        self,
        ranking: Ranking,
        filters: Filters = Filters(),
        k: int = 5,
        *,
        offset: int = 0,
        exclude_keys: Collection[str] = (),
        today: date | None = None,
    ) -> Listing:
        """The ranking's vacancies passing ``filters``: strong matches first (``match_tiers``), then
        weaker ones sharing a skill, then those naming the field alone (within a chosen field, its
        own weaker ones first: ``chosen_field_tiers``); no vacancy of neither tier; within a tier
        by ``filters.sort`` ("relevance" with a small freshness bonus, "salary" or "date", newest
        first). ``today``: the caller's date (the bot passes the current one). By relevance, a tier's
        vacancies published within RECENT_DAYS of it come first; None (offline evaluation, the
        CLI) leaves the order to relevance alone. ``exclude_keys``: ``Vacancy.key`` of vacancies left
        out (hidden by the user, closed). Only the filters are applied here: another filter or page
        of the same ranking costs a filter pass, not a ranking."""
        k = max(0, min(int(k), MAX_K))
        offset = max(0, int(offset))
        tiers = ranking.tiers
        rows = self.index.filter_rows(filters, exclude_keys)
        total, candidates = self._totals(tiers, rows)
        scores, order = ranking.order(
            (filters.experience if filters.experience in EARLY_CAREER else None, filters.sort, today),
            lambda: self._ordered(ranking, filters, today),
        )
        matching = tiers.strong | tiers.weak  # a vacancy sharing no skill nor naming the field is none
        rows = np.flatnonzero(matching) if rows is None else rows[matching[rows]]
        picked = self._top_unique(order, rows, offset + k)[offset:]
        have = covered_by(ranking.skills)
        lackable = ranking.lackable
        matches = [
            self._match(row, scores[row], have, lackable, strong=bool(tiers.strong[row])) for row in picked
        ]
        return Listing(matches, total, candidates)

    def totals(
        self, ranking: Ranking, filters: Filters, exclude_keys: Collection[str] = ()
    ) -> tuple[int, int]:
        """(``Listing.total_vacancies``, ``Listing.total_candidates``) of the ranking under ``filters``,
        nothing listed: what a relaxation looks at before it lists the filters that find something."""
        return self._totals(ranking.tiers, self.index.filter_rows(filters, exclude_keys))

    def _totals(self, tiers: MatchTiers, rows: np.ndarray | None) -> tuple[int, int]:
        total = self._distinct(tiers.strong, rows)
        return total, total + self._distinct(tiers.weak, rows)

    def _ordered(
        self, ranking: Ranking, filters: Filters, today: date | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(the scores for the user's experience, the listing's order key): what ``vacancies`` sorts by."""
        tiers = ranking.tiers
        scores = self.for_experience(ranking.scores, filters.experience)
        recent = self.recent_rows(today) if filters.sort == "relevance" else None
        if ranking.in_field is not None:  # the chosen field's weak matches first: they name it
            first, then = tiers.weak & ranking.in_field, tiers.weak & ~ranking.in_field
        else:  # those sharing a skill first: a vacancy with a ✓ ranks above one without
            first, then = tiers.weak & (tiers.shared > 0), tiers.weak & (tiers.shared == 0)
        return scores, self._order_key(scores, tiers.strong, first, then, filters.sort, recent)

    def field_in_answer(
        self, in_field: np.ndarray, pool: np.ndarray, by_skills: np.ndarray | None, components: QueryScores
    ) -> bool:
        """Does the chosen field belong in this answer: some of its vacancies among the answer's best
        matches sharing a skill (``pool``), or, for a query given a sector, among the best by the
        skills alone (``by_skills``: 1С:ЗУП names accounting, yet a 1С programmer who chose "Программист
        1С" wants 1С programmers). A field remembered from a Python answer means nothing to a design one."""
        if in_field[pool].any():
            return True
        if by_skills is None:
            return False
        return bool(in_field[self.sharing_matches(self._best(by_skills), components)].any())

    def field_pool(
        self, best: np.ndarray, components: QueryScores, scores: np.ndarray, in_sector: np.ndarray | None
    ) -> np.ndarray:
        """The matches an answer's fields to choose are read from (sorted rows): the ranking's
        ``best`` sharing a skill and the best by the skills shared alone (idf-weighted coverage,
        ``scores`` breaking ties; within ``in_sector`` when given), a few per employer each. The
        ranking's topics lean to the query's commonest field ("sql, bpmn, rest api, python": Python
        developers sharing three skills above system analysts sharing all four), and the buttons
        are there for the others."""
        sharing = np.flatnonzero(components.coverage > 0)  # a share of the corpus: ranked alone
        if in_sector is not None and in_sector[sharing].any():
            sharing = sharing[in_sector[sharing]]
        by_skills = components.coverage[sharing] + np.float32(POOL_TIE_WEIGHT) * scores[sharing]
        best_by_skills = sharing[_ranked(by_skills, None, self._n_best())]
        by_rank = self.sharing_matches(best, components)
        return np.union1d(by_rank, self.sharing_matches(best_by_skills, components))

    def sharing_matches(self, best: np.ndarray, components: QueryScores) -> np.ndarray:
        """Of ``best`` (``_best``'s rows), those sharing a skill with the query, a few per employer:
        where an answer's fields are read from, as the advice's field is drawn."""
        p = self.params
        sharing = best[components.coverage[best] > 0]
        employers = self.index.employer_codes
        return _first_per_employer(sharing, employers, p.neighbour_employer_cap, p.n_neighbours)

    # ---- sectors and match tiers ---------------------------------------------------

    def sector_of(self, query: Query) -> SectorGuess | None:
        """The sector the query's job titles and skills name (``Sectors.of_query``)."""
        return Sectors.default().of_query(query.text, query.skills, self.vocabulary.field)

    def sector_rows(self) -> SectorRows:
        """Each indexed vacancy's sector, read from the titles on first use (~0.4 s for 100k)."""
        if self._sector_rows is None:
            self._sector_rows = SectorRows(self.index.titles, Sectors.default())
        return self._sector_rows

    def with_title_skills(self, query: Query, guess: SectorGuess | None) -> Query:
        """A query naming a job title and no skill ("учитель"): the skills that title's vacancies
        ask for most stand for it (the typed text is kept: it names the sector)."""
        if query.skills or guess is None or not guess.titles:
            return query
        skills = title_skills(
            guess.titles,
            self.index.titles,
            self.sector_rows().mask(guess.sector.id),
            self.index.skills.rows,
            self.index.skills.names,
            self._hard,
        )
        return with_skills(query, skills)

    def sector_first(self, scores: np.ndarray, in_sector: np.ndarray, other: np.ndarray) -> np.ndarray:
        """Scores with the sector's vacancies above every other and other sectors' halved."""
        ranked = np.where(other, scores * np.float32(OTHER_SECTOR_FACTOR), scores)
        return (ranked + np.float32(SECTOR_BONUS) * in_sector).astype(np.float32)

    def _titled_voters(self, voters: np.ndarray, guess: SectorGuess) -> np.ndarray:
        """The voters whose titles have a job title the student typed ("повар" among a catering
        sector of waiters), when there are a few; else all of them."""
        if not guess.titles:
            return voters
        titles = self.index.titles
        titled = np.asarray(
            [
                any(w in (titles[r] or "").lower().replace("ё", "е") for w in guess.titles)
                for r in voters.tolist()
            ],
            dtype=bool,
        )
        return voters[titled] if np.count_nonzero(titled) >= MIN_TITLED_VOTERS else voters

    def foreign_domain_skills(
        self, skills: Sequence[str], specialization: Specialization | None
    ) -> np.ndarray:
        """Per indexed skill: is it of a domain (game development, 1С, design, ...) that neither the
        user's skills nor the specialization's top skills are of? Those are never advised: "Gamedev"
        to a tester whose matches include a game studio's QA posting."""
        return self.skills_of_fields(
            DOMAIN_FIELDS - self.answer_fields(skills, top_skill_names(specialization))
        )

    def answer_fields(self, skills: Sequence[str], top_skills: Sequence[str]) -> frozenset[str]:
        """The curated fields an answer is in: its skills' and the first DOMAIN_TOP_SKILLS of its
        specialization's ``top_skills``."""
        field_of = self.vocabulary.field
        own = {field_of(s) for s in [*skills, *top_skills[:DOMAIN_TOP_SKILLS]]}
        return frozenset(f for f in own if f is not None)

    def other_field_postings(
        self, rows: np.ndarray, skills: Sequence[str], fields: frozenset[str]
    ) -> np.ndarray:
        """Per row of ``rows``: a posting of another field than the answer's (in ``fields``), one
        whose title names a domain the answer is not in and none of the user's skills: "Программист
        C# / Разработчик Unity" listing Python, SQL and нейросети among its 24 key skills."""
        foreign = self.skills_of_fields(DOMAIN_FIELDS - fields)
        user = np.zeros(len(self.index.skills), dtype=bool)
        user[self.query_columns(sorted(covered_by(skills)))] = True
        names_foreign, names_user = self.index.titles_name(rows, foreign, user)
        return names_foreign & ~names_user

    def skills_of_fields(self, fields: Collection[str]) -> np.ndarray:
        """Per indexed skill: is its curated field one of ``fields``?"""
        if self._skill_fields is None:
            names = self.index.skills.names
            table: dict[str, int] = {}
            codes = np.fromiter(
                (
                    -1 if (f := self.vocabulary.field(n)) is None else table.setdefault(f, len(table))
                    for n in names
                ),
                dtype=np.int32,
                count=len(names),
            )
            self._skill_fields = (codes, table)
        codes, table = self._skill_fields
        return np.isin(codes, [table[f] for f in fields if f in table])

    def lackable(self, ranking: Ranking) -> np.ndarray:
        """Per indexed skill: may a vacancy's ✗ list name it (``Ranking.lackable`` keeps it)? A hard
        skill of the answer's field: one the field asks for (its demand, as the advice reads it) or
        of a curated field the answer is in (``answer_fields``: a nurse's "Уход за пациентами", which
        few vacancies name), never another sector's or a foreign domain's, as advice never is. A
        vacancy's text and even its key skills name things outside its field ("Адаптация персонала"
        in a Python developer's, "Трудовое право" in a nurse's): the student need not learn them."""
        own = self.answer_fields(ranking.skills, top_skill_names(ranking.specialization))
        of_field = (ranking.demand >= self.params.min_demand) | self.skills_of_fields(own)
        shown = self._hard & of_field & ~self.skills_of_fields(DOMAIN_FIELDS - own)  # foreign_domain_skills
        return shown if ranking.barred is None else shown & ~ranking.barred

    def other_sector_skills(self, sector_id: str) -> np.ndarray:
        """Per indexed skill: does it belong to another sector (Python for a teacher, Vue.js for a
        cook)? Skills of every field (office, sales talk) belong to none."""
        barred = self._barred_cache.get(sector_id)
        if barred is None:
            sectors, field_of = Sectors.default(), self.vocabulary.field
            barred = np.fromiter(
                (
                    (other := sectors.of_skill(name, field_of)) is not None
                    and other != sector_id
                    and other not in SHARED_SECTORS
                    for name in self.index.skills.names
                ),
                dtype=bool,
                count=len(self.index.skills),
            )
            self._barred_cache[sector_id] = barred
        return barred

    def _in_sector(
        self, specialization: Specialization, sector: SectorAnswer, barred: np.ndarray | None
    ) -> Specialization:
        """The specialization of a sector's query: its own label when the corpus holds enough of the
        sector and the label is of it, else the sector's name (never a field of another sector);
        its top skills without another sector's (``barred``)."""
        column_of = self.index.skills.column_of
        top = [s for s in specialization.top_skills if barred is None or not barred[column_of[s.skill]]]
        label_sector = Sectors.default().of_title(specialization.label)
        label = sector.name_ru if sector.thin or label_sector != sector.id else specialization.label
        return replace(specialization, label=label, top_skills=top, second=None)

    def shareable_columns(self, skills: Sequence[str]) -> np.ndarray:
        """Columns of the skills a ✓ can show for this query: the user's hard skills and their parts."""
        columns = self.query_columns(sorted(covered_by(skills)))
        hard = columns[self._hard[columns]] if columns.size else columns
        return hard if hard.size else columns

    def n_shareable(self, skills: Sequence[str]) -> int:
        """How many of the query's skills a vacancy can share (each typed skill once)."""
        return int(sum(1 for s in dict.fromkeys(skills) if self.shareable_columns([s]).size))

    def shared_counts(self, skills: Sequence[str]) -> np.ndarray:
        """Per row, how many of the query's skills its ✓ shows."""
        counts = np.zeros(len(self.index), dtype=np.int16)
        matrix = self.index.skills.columns
        for column in self.shareable_columns(skills).tolist():
            counts[matrix.indices[matrix.indptr[column] : matrix.indptr[column + 1]]] += 1
        return counts

    def titles_naming(self, specialization: Specialization | None) -> np.ndarray:
        """Rows whose titles have every word of the specialization's label ("Data Scientist")."""
        named = np.zeros(len(self.index), dtype=bool)
        if specialization is None:
            return named
        if self._title_position is None:
            self._title_position = {word: i for i, word in enumerate(self.index.title_vocabulary)}
        words = [self._title_position.get(w) for w in dict.fromkeys(title_tokens(specialization.label))]
        if not words or None in words:
            return named
        if self._title_columns is None:
            self._title_columns = sp.csc_matrix(self.index.title_words)
        having = np.asarray(self._title_columns[:, words].sum(axis=1)).ravel()
        return having >= len(words)

    def _distinct(self, mask: np.ndarray, rows: np.ndarray | None) -> int:
        """Vacancies of ``mask`` among ``rows``, near-duplicates once (as the listing shows them)."""
        chosen = np.flatnonzero(mask) if rows is None else rows[mask[rows]]
        codes = self.index.dedupe_codes
        seen = np.zeros(int(codes.max(initial=-1)) + 1, dtype=bool)  # a pass, no sort
        seen[codes[chosen]] = True
        return int(np.count_nonzero(seen))

    def for_experience(self, scores: np.ndarray, experience: str | None) -> np.ndarray:
        """Scores for a user of this hh experience level: lead titles lower for the less experienced.

        hh's experience field is often "1–3 years" on a "Ведущий разработчик" posting; the title
        says more about the level than that field does.
        """
        p = self.params
        if experience not in EARLY_CAREER:
            return scores
        factor = np.ones(len(scores), dtype=np.float32)
        factor[self.index.seniority == SENIOR] = p.senior_penalty
        if experience == "noExperience":
            factor[self.index.seniority == JUNIOR] = p.junior_boost
        return scores * factor

    def _order_key(
        self,
        scores: np.ndarray,
        strong: np.ndarray,
        weak_first: np.ndarray,
        weak_then: np.ndarray,
        sort: str,
        recent: np.ndarray | None = None,
    ) -> np.ndarray:
        """One float64 key per row, larger first: the tier (strong, the weak ones of ``weak_first``,
        those of ``weak_then``, the rest), within it the ``recent`` rows (when given), then the sort."""
        # small integers, in int8 (a million rows: 1 MB an array, where float64 took 8 MB)
        tier = strong * np.int8(3) + weak_first * np.int8(2) + weak_then.astype(np.int8)
        if recent is not None:
            # two steps a tier, the recent rows one up: they lead their tier, never the one above
            tier = tier * np.int8(2) + recent.astype(np.int8)
        if tier.size == 0:
            return tier.astype(np.float64)
        if sort in ("salary", "date"):
            tie = scores / (float(np.abs(scores).max()) + 1.0)  # below 1: equal pay or date, the better match
            key = self.index.salary_net if sort == "salary" else self.index.published_days
            within = np.nan_to_num(key.astype(np.float64), nan=0.0) + tie
        else:
            within = scores + self.params.freshness_weight * self._freshness()
        within -= within.min()  # a fresh array: shifted in place
        # a tier is never overtaken by the next one, whatever the scale of the sort key
        key = tier * (float(within.max()) + 1.0)
        key += within
        return key

    def recent_rows(self, today: date | None) -> np.ndarray | None:
        """Per row: published within RECENT_DAYS before ``today`` (or after it); None without a today."""
        if today is None:
            return None
        days = self.index.published_days
        return (days != NO_DATE) & (days > (today - EPOCH).days - RECENT_DAYS)

    def _freshness(self) -> np.ndarray:
        """Per row: exp(-age / FRESHNESS_DAYS), age counted from the newest indexed publication; 0 undated."""
        cached = self._freshness_cache
        if cached is None:
            days = self.index.published_days
            known = days >= 0
            newest = float(days[known].max()) if known.any() else 0.0
            cached = np.where(known, np.exp(-(newest - days) / FRESHNESS_DAYS), 0.0).astype(np.float32)
            self._freshness_cache = cached
        return cached

    def _top_unique(self, scores: np.ndarray, rows: np.ndarray | None, n: int) -> list[int]:
        """The n best rows, skipping near-duplicates (same title and employer)."""
        if n <= 0:
            return []
        available = len(scores) if rows is None else rows.size
        window = 2 * n + 8
        while True:
            ranked = _ranked(scores, rows, window)
            picked: list[int] = []
            seen: set[int] = set()
            for row in ranked.tolist():
                key = int(self.index.dedupe_codes[row])
                if key not in seen:
                    seen.add(key)
                    picked.append(row)
                    if len(picked) == n:
                        return picked
            if window >= available:
                return picked
            window *= 4

    def _match(
        self, row: int, score: float, have: set[str], lackable: np.ndarray, *, strong: bool = False
    ) -> VacancyMatch:
        """A vacancy as shown: ✓ names the user's hard skills it asks for, ✗ those the user has not
        (nor a part of) that are ``lackable`` (``Recommender.lackable``) or that its title names (the
        job is about them: Python for a teacher, in "Преподаватель Python для детей"); each in the
        vacancy's order (its key skills first)."""
        index = self.index
        column_of = index.skills.column_of
        asked = [s for s in index.skills.skills_of_row(row) if self._hard[column_of[s]]]
        titled = index.titled_skills(row)
        return VacancyMatch(
            id=index.ids[row],
            title=index.titles[row],
            employer=index.employer(row),
            area=index.area(row),
            url=index.url(row),
            salary=index.salary(row),
            pay=index.pay(row),
            score=round(float(score), 4),
            matched_skills=[s for s in asked if s in have],
            missing_skills=lacking([s for s in asked if s in titled or lackable[column_of[s]]], have)[
                : self.params.n_missing_skills
            ],
            schedule=index.schedule(row),
            experience=index.experience(row),
            employment=index.employment(row),
            published_at=published.isoformat() if (published := index.published(row)) else None,
            strong=strong,
            source=index.source(row),
            country=index.country(row),
            also_at=index.also_at(row),
        )

    def specialization_topic(self, query: Query, *, field: str | None = None) -> int | None:
        """The topic of the specialization ``recommend`` shows (its sector, the ``field`` chosen),
        None without known skills. The salary model is keyed by the same topic, so the grid follows
        the shown specialization; the ranking is the answers' own (``rank`` keeps it)."""
        ranking = self.rank(query, field=field)
        specialization = ranking.specialization if ranking is not None else None
        return specialization.topic if specialization is not None else None

    def dominant_topics(self) -> list[int | None]:
        """Each indexed vacancy's strongest topic (None for a vacancy without topic weight)."""
        return [int(t) if t >= 0 else None for t in self.dominant_rows().tolist()]

    def _best(self, scores: np.ndarray) -> np.ndarray:
        """The rows an answer's specialization and field are drawn from, best first (one partition)."""
        return _ranked(scores, None, self._n_best())

    def _n_best(self) -> int:
        p = self.params
        return max(2 * p.n_neighbours, p.specialization_neighbours)

    def specialization_vector(
        self, topic_vector: np.ndarray, scores: np.ndarray, voters: np.ndarray | None = None
    ) -> np.ndarray:
        """The query's topics as its best-matching vacancies vote: each adds its score to its own
        strongest topic (blended with the query's topic vector by ``specialization_mix``).

        NMF reads a four-skill query poorly: "python, nlp, алгоритм, нейросети" lands on an
        algorithms topic and a Python-web one, while 23 of its 50 best matches are Data Scientist
        postings. Skills the topic model does not know (rarer than its ``min_df``) still find
        vacancies, and their votes then name the field alone. ``voters``: ``_voters``'s rows, when
        the caller has them.
        """
        p = self.params
        if p.specialization_neighbours <= 0:
            return topic_vector
        top = self._voters(scores) if voters is None else voters
        dominant = self.dominant_rows()[top]
        voted = dominant >= 0
        votes = np.bincount(dominant[voted], weights=scores[top][voted], minlength=self.doc_topic.shape[1])
        norm = float(np.linalg.norm(votes))
        if norm == 0:
            return topic_vector
        if not topic_vector.any():
            return (votes / norm).astype(np.float32)
        blended = (1 - p.specialization_mix) * topic_vector + p.specialization_mix * votes / norm
        return (blended / float(np.linalg.norm(blended))).astype(np.float32)

    def _voters(self, scores: np.ndarray, best: np.ndarray | None = None) -> np.ndarray:
        """The best matches that name the specialization, a few per employer: one employer's
        posting repeated in fifteen cities is one voice, not fifteen ("python, sql, нейросети"
        was "Аналитик" by fifteen copies of one operations-manager posting). ``best``: ``_best``'s rows."""
        p = self.params
        ranked = self._best(scores) if best is None else best
        ranked = ranked[scores[ranked] > 0]
        return _first_per_employer(
            ranked, self.index.employer_codes, p.neighbour_employer_cap, p.specialization_neighbours
        )

    def dominant_rows(self) -> np.ndarray:
        """Each row's strongest topic, -1 for a row without topic weight (computed once)."""
        if self._dominant is None:
            matrix = self.doc_topic.tocsr()
            has_weight = np.diff(matrix.indptr) > 0
            self._dominant = np.where(has_weight, np.asarray(matrix.argmax(axis=1)).ravel(), -1)
        return self._dominant

    def _specialization(
        self, topic_vector: np.ndarray, field: np.ndarray, voters: np.ndarray
    ) -> Specialization | None:
        """The closest topic; with it the next one under another name when that is nearly as close.

        Each lists the skills of its topic the answer's field asks for most, with the field's
        share (``field_demand``): the figure the skills to learn print too.
        """
        if not topic_vector.any():
            return None
        ranked = np.argsort(-topic_vector, kind="stable")[:SECOND_CANDIDATES]
        first = self._topic_specialization(int(ranked[0]), topic_vector, voters, field)
        for topic in ranked[1:].tolist():
            if topic_vector[topic] < SECOND_TOPIC_RATIO * topic_vector[ranked[0]]:
                break
            second = self._topic_specialization(topic, topic_vector, voters, field)
            if second.label != first.label:
                return replace(first, second=second)
        return first

    def _label(self, topic: int, matches: np.ndarray) -> str:
        """The topic named after the user's best matches in it when their employers agree on a
        title ("Программист микроконтроллеров" in a topic of C programmers and teachers), else
        after all their best matches ("Графический дизайнер" for "figma, photoshop", whose topic
        is labelled by its 3D artists), else the topic's own label."""
        for rows in (matches[self.dominant_rows()[matches] == topic], matches):
            titled = field_title(
                [self._titled(r) for r in rows.tolist()], self.index.employer_codes[rows].tolist()
            )
            if titled:
                return titled
        return self.topic_labels[topic] if topic < len(self.topic_labels) else f"topic {topic}"

    def _titled(self, row: int) -> tuple[str, frozenset[str]]:
        """A row's cleaned title and its words, computed once per row (hot rows recur across queries)."""
        text = self._title_texts()[row]
        titled = self._titled_cache.get(text)
        if titled is None:
            read = titled_words if self.index.clean_titles is None else cleaned_title_words
            titled = self._titled_cache[text] = read(text)
        return titled

    def _title_texts(self) -> Sequence[str]:
        """The text each row's label words are read from (``_titled``): its cleaned title, when indexed."""
        cleaned = self.index.clean_titles
        return self.index.titles if cleaned is None else cleaned

    def _topic_specialization(
        self, topic: int, topic_vector: np.ndarray, matches: np.ndarray, field: np.ndarray
    ) -> Specialization:
        names = self.index.skills.names
        top = self._top_skill_columns(topic, field)
        top_skills = [SkillShare(skill=names[c], share=_share(float(field[c]))) for c in top]
        # cosine with the topic axis: 1.0 when the query and its matches are all this one topic
        score = round(float(topic_vector[topic]), 4)
        label = self._label(topic, matches)
        return Specialization(topic=topic, label=label, score=score, top_skills=top_skills)

    def _top_skill_columns(self, topic: int, field: np.ndarray) -> list[int]:
        """The columns of a specialization's top skills, by the share of the ``field`` asking for them."""
        # the topic picks which of the field's skills are its own ("figma, stm32": design tools
        # under the design topic, embedded ones under the other); all print the field's share
        own = np.where(self._hard, field * (self.topic_shares[topic] + 1e-3), 0.0)
        top = [int(c) for c in _ranked(own, None, self.params.n_top_skills) if _share(float(field[c])) > 0]
        top.sort(key=lambda c: (-_share(float(field[c])), c))
        return top

    def answer_demand(
        self,
        skills: tuple[str, ...],
        components: QueryScores,
        scores: np.ndarray,
        topic_vector: np.ndarray,
        best: np.ndarray,
    ) -> np.ndarray:
        """``field_demand`` of the answer's own field: without the postings of other fields among
        its best matches (``other_field_postings``). Which domains the answer is in is read off the
        top skills of its specialization over all of them (a first ``field_demand``): two postings
        of a Unity studio made C# a Python developer's advice."""
        demand = self.field_demand(components, scores, topic_vector, best)
        if not topic_vector.any() or not best.size:
            return demand
        names = self.index.skills.names
        top = [names[c] for c in self._top_skill_columns(int(np.argmax(topic_vector)), demand)]
        other = self.other_field_postings(best, skills, self.answer_fields(skills, top))
        if not other.any():
            return demand
        return self.field_demand(components, scores, topic_vector, best[~other])

    def field_demand(
        self, components: QueryScores, scores: np.ndarray, topic_vector: np.ndarray, best: np.ndarray
    ) -> np.ndarray:
        """Per skill, the share of the answer's field asking for it: the one figure every part of
        an answer prints. The field is the best matches that ask for at least one of the user's
        skills, a few per employer, each weighted by how strongly it asks for them (blended with
        the specialization topic's share when ``topic_share_weight`` is set). ``best``: the rows
        of ``_best``, best first."""
        p = self.params
        asking = best[(components.coverage[best] > 0) & (scores[best] > 0)]
        neighbours = _first_per_employer(
            asking, self.index.employer_codes, p.neighbour_employer_cap, p.n_neighbours
        )
        topic_share = None
        if p.topic_share_weight > 0 and topic_vector.any():
            topic_share = self.topic_shares[int(np.argmax(topic_vector))]
        weights = components.fields[neighbours].astype(np.float64) ** p.neighbour_weight_power
        codes = self.index.employer_codes[neighbours]
        owners = np.where(codes == NO_CODE, -1 - np.arange(codes.size), codes)  # no employer: each its own
        return advice.demand(
            neighbours, weights, self.index.skills.rows, topic_share, p.topic_share_weight, owners
        )

    def skill_scores(self, query: QueryScores, field: np.ndarray) -> np.ndarray:
        """The advice score of every skill (0 for the user's skills and for skills not to advise)."""
        p = self.params
        matrix = self.index.skills
        eligible = self._hard.copy()
        eligible[query.columns] = False
        have = covered_by(matrix.names[c] for c in query.columns)
        eligible[[matrix.column_of[s] for s in have if s in matrix.column_of]] = False
        for column, parts in self._multipart:  # "ux/ui" for a user who named UX and UI
            if parts <= have:
                eligible[column] = False
        keyness = matrix.keyness**p.keyness_power if matrix.keyness is not None and p.keyness_power else None
        return advice.advice_scores(
            field,
            advice.lift(field, matrix.doc_freq, len(self.index)),
            matrix.doc_freq,
            eligible,
            lift_power=p.lift_power,
            max_lift=p.max_lift,
            min_demand=p.min_demand,
            min_lift=p.min_lift,
            general_share=p.general_share,
            general_min_lift=p.general_min_lift,
            keyness=keyness,
        )

    def _skills_to_learn(
        self, query: QueryScores, field: np.ndarray, barred: np.ndarray | None = None
    ) -> list[SkillAdvice]:
        """The best n_top_skills to advise, shown in order of the share they print; never a
        ``barred`` skill (another sector's, for a sector's query)."""
        scores = self.skill_scores(query, field)
        if barred is not None:
            scores = np.where(barred, 0.0, scores)
        names = self.index.skills.names
        chosen = [int(c) for c in _ranked(scores, None, self.params.n_top_skills) if scores[c] > 0]
        chosen.sort(key=lambda c: (-_share(float(field[c])), -float(scores[c]), c))
        return [
            SkillAdvice(skill=names[c], score=round(float(scores[c]), 4), share=_share(field[c]))
            for c in chosen
        ]


def chosen_field_tiers(shared: np.ndarray, in_field: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strong and weak matches of an answer within the field the student chose: strong, the
    field's vacancies sharing a skill; weak, the field's others and other fields' sharing one (the
    student said which field they want: a vacancy of another is a weaker match, whatever it shares)."""
    strong = in_field & (shared >= 1)
    return strong, ~strong & ((shared >= 1) | in_field)


def match_tiers(shared: np.ndarray, named: np.ndarray, n_query: int) -> tuple[np.ndarray, np.ndarray]:
    """Strong and weak matches. Strong: shares two of the query's skills (all of a one-skill query),
    or names the field in its title and shares one. Weak: the rest sharing a skill or naming the
    field. A title naming the field needs one shared skill to be strong, so a vacancy with a ✓
    always ranks above one without."""
    need = max(1, min(2, n_query))
    strong = (shared >= need) | (named & (shared >= 1))
    weak = ~strong & ((shared >= 1) | named)
    return strong, weak


def top_skill_names(specialization: Specialization | None) -> list[str]:
    return [s.skill for s in specialization.top_skills] if specialization is not None else []


def _share(value: float | np.floating) -> float:
    """A share as every part of an answer prints it (rounded once, here)."""
    return round(float(value), 4)
