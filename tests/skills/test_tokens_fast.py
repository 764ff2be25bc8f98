"""The list-building tokenizer gives exactly the tokens of the generator it replaced."""

from __future__ import annotations

import re
from collections.abc import Iterator

from recommender.skills.normalize import _TOKEN, SEPARATOR, clean_text, raw_tokens

TEXTS = [
    "Python, SQL; Git | Docker — Kubernetes (k8s) / CI/CD, node.js и 1С:Предприятие 8.3",
    "Требования: опыт работы с C++17, C#, .NET; знание Linux!  Будет плюсом: Terraform...",
    "",
    ",,, ;; —",
    "<p>Мы ищем <strong>Junior</strong> разработчика</p> https://example.com e-mail: a@b.ru",
    "рыба-меч, UX/UI, Adobe Photoshop\nFigma\tSketch • Miro",
]


def generator_tokens(text: str) -> Iterator[str]:
    """The tokenizer as it was (finditer and a generator)."""
    previous_sep = True
    for match in _TOKEN.finditer(text):
        token = match.group("tok")
        if token is not None:
            previous_sep = False
            yield token
        elif not previous_sep:
            previous_sep = True
            yield SEPARATOR


def test_raw_tokens_are_the_generators_tokens() -> None:
    for text in TEXTS:
        cleaned = clean_text(text)
        assert raw_tokens(cleaned) == list(generator_tokens(cleaned))


def test_counting_letter_runs_counts_letters() -> None:
    for text in TEXTS:
        for single, runs in (("[а-яА-ЯёЁ]", "[а-яА-ЯёЁ]+"), ("[a-zA-Z]", "[a-zA-Z]+")):
            assert len(re.findall(single, text)) == sum(map(len, re.findall(runs, text)))
