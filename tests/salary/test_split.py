"""The shared held-out split by id hash."""

from __future__ import annotations

from recommender.data.split import is_test, train_test_split


def test_split_is_deterministic_and_holds_out_about_a_fifth() -> None:
    ids = [str(i) for i in range(10_000)]
    held_out = [i for i in ids if is_test(i)]
    assert held_out == [i for i in ids if is_test(i)]
    assert 0.18 < len(held_out) / len(ids) < 0.22


def test_train_test_split_partitions_records() -> None:
    class Record:
        def __init__(self, id: str) -> None:
            self.id = id

    records = [Record(str(i)) for i in range(500)]
    train, test = train_test_split(records)
    assert len(train) + len(test) == 500
    assert all(is_test(r.id) for r in test) and not any(is_test(r.id) for r in train)
