"""The fixed train/test split shared by every evaluation.

A vacancy is held out by a hash of its id, not by a random draw, so the split is
the same on every machine, for every model, and survives new data being added:
a vacancy never moves between train and test.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Protocol, TypeVar

TEST_BUCKET = 0
N_BUCKETS = 5  # one bucket of five: about 20% held out


class HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)


def is_test(vacancy_id: str) -> bool:
    """True when the vacancy with this hh id belongs to the held-out test set."""
    digest = hashlib.sha1(str(vacancy_id).encode("utf-8")).hexdigest()
    return int(digest, 16) % N_BUCKETS == TEST_BUCKET


def train_test_split(items: Iterable[T]) -> tuple[list[T], list[T]]:
    """Split records with an ``id`` into (train, test) by ``is_test``."""
    train: list[T] = []
    test: list[T] = []
    for item in items:
        (test if is_test(item.id) else train).append(item)
    return train, test
