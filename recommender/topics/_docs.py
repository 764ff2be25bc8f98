"""Input cleaning shared by the topic models.

A document is a vacancy's canonical skills, a list of strings. Callers sometimes hand in a bare
string, ``None`` or a list with non-string items; those are repaired or dropped here (and
counted in the log) so that no model ever crashes on one bad record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

logger = logging.getLogger(__name__)

Doc = Sequence[str]


def clean_doc(doc: object) -> list[str]:
    """One document as a list of non-empty skill strings (a bare string is one skill)."""
    if doc is None:
        return []
    if isinstance(doc, str):
        return [doc] if doc.strip() else []
    if not isinstance(doc, Iterable):
        return []
    return [token for token in doc if isinstance(token, str) and token.strip()]


def clean_docs(docs: Iterable[object]) -> list[list[str]]:
    """All documents cleaned; logs how many were unusable (they become empty documents)."""
    cleaned: list[list[str]] = []
    repaired = 0
    for doc in docs:
        tokens = clean_doc(doc)
        if not isinstance(doc, list | tuple) or len(tokens) != len(doc):
            repaired += 1
        cleaned.append(tokens)
    if repaired:
        logger.debug("repaired %d of %d topic-model documents with bad items", repaired, len(cleaned))
    return cleaned


def identity_analyzer(doc: list[str]) -> list[str]:
    """TfidfVectorizer analyzer: a document already is its list of terms.

    A module-level function rather than a lambda so that fitted models stay picklable.
    """
    return doc
