"""The real hh.ru files, when they are beside the checkout."""

from __future__ import annotations

from recommender.data import load_vacancies


def test_loads_both_shared_files(shared_data_dir):
    files = ["hh_it_2021.jsonl.gz", "hh_cards_2021_2023.jsonl.gz"]
    result = load_vacancies([shared_data_dir / name for name in files])
    vacancies = result.vacancies
    # About 200 card ids also appear in the big file: merged, not double counted.
    assert result.summary.read == 87_396 + 6_676
    assert 93_500 < len(vacancies) < 94_072
    assert result.summary.duplicates == result.summary.read - len(vacancies) - result.summary.skipped_total
    with_salary = [v for v in vacancies if v.salary]
    assert len(with_salary) > 45_000
    assert all(v.title and v.id for v in vacancies)
    cards = [v for v in vacancies if v.detail == "card"]
    assert sum(1 for v in cards if v.key_skills) / len(cards) > 0.7
    assert {v.experience for v in cards} >= {"noExperience", "between1And3", "between3And6", "moreThan6"}
    assert not any("<" in v.text and "highlighttext" in v.text for v in vacancies[:5000])
