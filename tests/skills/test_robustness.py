"""Anything a chat user sends returns a result, quickly, and never raises."""

from __future__ import annotations

import time

import pytest

from recommender.skills import Extraction, SkillVocabulary

NASTY = [
    "",
    "   \n\t ",
    "🙂🔥💻",
    "!!!???...,,,;;;",
    "'; DROP TABLE users; --",
    "https://hh.ru/vacancy/123?from=python&q=java",
    "<script>alert('x')</script><b>bold</b>",
    "\x00\x01\x02 zero bytes",
    "ﬁgma ＰＹＴＨＯＮ",  # compatibility characters: NFKC
    "руthon и jаvа на с++",
    "a" * 5000,
    "/" * 1000,
    "1" * 1000,
    "c++" * 500,
    "--" * 500,
    "\u200b\u200c\u200d",
    "𝓅𝓎𝓉𝒽𝑜𝓃",  # mathematical letters, NFKC -> python
]


@pytest.mark.parametrize("text", NASTY)
def test_nasty_input_returns_an_extraction(vocab: SkillVocabulary, text: str) -> None:
    result = vocab.extract(text)
    assert isinstance(result, Extraction)
    assert all(isinstance(s, str) and s in vocab for s in result.skills)
    assert all(isinstance(u, str) and len(u) <= 60 for u in result.unknown)


def test_html_and_urls_are_stripped(vocab: SkillVocabulary) -> None:
    assert vocab.extract("<li>Опыт с <b>Docker</b></li> https://docker.com/python").skills == ["docker"]


def test_sql_injection_is_just_unknown_text(vocab: SkillVocabulary) -> None:
    result = vocab.extract("'; DROP TABLE users; --")
    assert result.skills == []
    assert result.unknown == ["drop table users"]


def test_compatibility_characters_are_normalized(vocab: SkillVocabulary) -> None:
    assert vocab.extract("ＰＹＴＨＯＮ, ﬁgma").skills == ["python", "figma"]


@pytest.mark.parametrize("value", [None, 42, b"python", ["python"]])
def test_non_string_input_does_not_raise(vocab: SkillVocabulary, value: object) -> None:
    assert vocab.extract(value).skills in ([], ["python"])  # type: ignore[arg-type]


def test_hundred_thousand_characters_stay_fast(vocab: SkillVocabulary) -> None:
    text = ("python, sql, нейросети, фигма, непонятноеслово " * 2200)[:100_000]
    started = time.perf_counter()
    result = vocab.extract(text)
    elapsed = time.perf_counter() - started
    assert result.skills == ["python", "sql", "нейронные сети", "figma"]
    assert len(result.unknown) <= 20
    assert elapsed < 2.0


def test_work_is_linear_in_text_length(vocab: SkillVocabulary) -> None:
    unique_words = " ".join(f"слово{i} tool{i}" for i in range(20_000))  # defeats the token cache
    started = time.perf_counter()
    vocab.extract(unique_words)
    elapsed = time.perf_counter() - started
    assert elapsed < 5.0


def test_suggest_and_display_survive_nasty_terms(vocab: SkillVocabulary) -> None:
    for term in ["", "🙂", "x" * 10_000, "'; DROP TABLE users; --"]:
        assert isinstance(vocab.suggest(term), list)
        assert isinstance(vocab.display(term), str)


def test_suggestions_do_not_depend_on_the_hash_seed() -> None:
    """The same typo gets the same suggestions in every process (sets iterate by hash seed)."""
    import os
    import subprocess
    import sys

    script = (
        "from recommender.skills import SkillVocabulary; v = SkillVocabulary.default(); "
        "print([v.suggest(t) for t in ('pyton', 'постгря', 'реакт', 'докер', 'kubernets')])"
    )
    outputs = set()
    for seed in (1, 2, 3):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        command = [sys.executable, "-c", script]
        run = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1 and "python" in outputs.pop()
