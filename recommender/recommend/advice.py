"""Skills to learn: what the matched field asks for, and more than the rest of the corpus does.

One figure per skill and answer, the field's *demand*: the share of the field's vacancies
asking for it. The field is the answer's nearest vacancies (at most a few per employer)
blended with its specialization topic, so the specialization line and the advice print the
same share for the same skill. Advice is chosen by demand weighted by specificity (lift:
demand over the corpus-wide share), so a field's own tools come before Git and SQL, which
appear only when the field asks for them clearly more than average; it is then shown in
order of the share it prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

# Employers of the field's vacancies that must ask for a skill for it to be the field's demand: the
# few postings that name all of "python, sql, нейросети" weigh most, and one employer's own key
# skills ("Crypto", "Групповое обучение" of a course selling Python lessons) were advised.
MIN_DEMAND_EMPLOYERS = 2


def demand(
    neighbour_rows: np.ndarray,
    weights: np.ndarray,
    skill_rows: sp.csr_matrix,
    topic_share: np.ndarray | None,
    topic_mix: float,
    employers: np.ndarray | None = None,
) -> np.ndarray:
    """Per skill: the share of the field's vacancies asking for it (float32, 0..1).

    ``neighbour_rows``: the answer's nearest vacancies, each counted with its weight (how
    strongly it asks for the user's skills: a DevOps posting naming Ruby among twenty tools
    counts less than a Ruby developer's); ``skill_rows``: the vacancy × skill matrix;
    ``topic_share``: the specialization topic's shares (None without a topic); ``employers``:
    an owner code per neighbour row (distinct for rows without an employer), when given a skill
    fewer than MIN_DEMAND_EMPLOYERS of them ask for is no demand of the field.
    """
    near = np.zeros(skill_rows.shape[1], dtype=np.float32)
    total = float(weights.sum())
    if neighbour_rows.size and total > 0:
        asked = skill_rows[neighbour_rows]
        near = (np.asarray(asked.T @ weights).ravel() / total).astype(np.float32)
        if employers is not None:
            near[employer_support(asked, employers) < MIN_DEMAND_EMPLOYERS] = 0.0
    if topic_share is None or not neighbour_rows.size:
        return near if topic_share is None else np.asarray(topic_share, dtype=np.float32)
    return ((1 - topic_mix) * near + topic_mix * topic_share).astype(np.float32)


def employer_support(asked: sp.csr_matrix, owners: np.ndarray) -> np.ndarray:
    """Per skill: how many distinct ``owners`` (one per row of ``asked``) ask for it."""
    _, owner = np.unique(owners, return_inverse=True)
    n_rows = asked.shape[0]
    ones = np.ones(n_rows, dtype=np.float32)
    by_owner = sp.csr_matrix((ones, (owner.ravel(), np.arange(n_rows))), shape=(int(owner.max()) + 1, n_rows))
    return np.asarray(((by_owner @ asked) > 0).sum(axis=0)).ravel()


def lift(field_demand: np.ndarray, doc_freq: np.ndarray, n_docs: int) -> np.ndarray:
    """How many times more the field asks for each skill than the whole corpus does."""
    prior = np.maximum(doc_freq, 1.0 / max(n_docs, 1))
    return (field_demand / prior).astype(np.float32)


def advice_scores(
    field_demand: np.ndarray,
    skill_lift: np.ndarray,
    doc_freq: np.ndarray,
    eligible: np.ndarray,
    *,
    lift_power: float,
    max_lift: float,
    min_demand: float,
    min_lift: float,
    general_share: float,
    general_min_lift: float,
    keyness: np.ndarray | None = None,
) -> np.ndarray:
    """Demand × lift^power for every eligible skill (0 for the rest).

    Eligible: a hard skill the user does not have, asked for by at least ``min_demand`` of
    the field and ``min_lift`` times more than by the corpus; a general skill (asked for by
    ``general_share`` of all vacancies or more: Git, SQL) needs ``general_min_lift``.
    """
    needed_lift = np.where(doc_freq >= general_share, general_min_lift, min_lift)
    ok = eligible & (field_demand >= min_demand) & (skill_lift >= needed_lift)
    score = field_demand * np.minimum(skill_lift, max_lift) ** lift_power
    if keyness is not None:
        score = score * keyness  # a word texts use in passing is a weaker skill than a key skill
    return np.where(ok, score, 0.0).astype(np.float32)


def skill_parts(skill: str) -> set[str]:
    """A skill and its parts: "ux/ui" → {"ux/ui", "ux", "ui"}; "html и css" → {..., "html", "css"}."""
    parts = {skill}
    for separator in ("/", "+", ",", " и ", " & "):
        if separator in skill:
            parts.update(p.strip() for p in skill.split(separator) if p.strip())
    return parts


def covered_by(user_skills: Iterable[str]) -> set[str]:
    """Every skill the user has, whole or as a part of one they named."""
    have: set[str] = set()
    for skill in user_skills:
        have |= skill_parts(skill)
    return have


def is_covered(skill: str, have: set[str]) -> bool:
    """Whether the user has the skill, or every part of it ("ux" and "ui" cover "ux/ui")."""
    return skill in have or (skill_parts(skill) - {skill} <= have and len(skill_parts(skill)) > 1)


def lacking(asked: Sequence[str], have: set[str]) -> list[str]:
    """The asked-for skills the user does not have (nor a whole skill they named contains)."""
    return [s for s in asked if not is_covered(s, have)]
