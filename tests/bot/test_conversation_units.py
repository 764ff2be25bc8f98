"""The conversation's pure parts, fast: relaxation order, dates, intents (typo correction: tests/skills),
the answer state's round trip, and the vacancy line formatter in both languages."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from fake_telegram import check_text

from bot.services.advisor import relaxations
from bot.services.answering import AnswerState
from bot.services.formatting import published_text, vacancy_block
from bot.services.intents import is_greeting, salary_subject
from bot.texts import plural
from recommender.data.money import PublishedPay, format_pay
from recommender.recommend import Filters

TODAY = date(2021, 12, 1)


def test_relaxation_drops_one_filter_at_a_time_in_the_stated_order() -> None:
    asked = Filters(area="Томск", experience="noExperience", employment="part", min_salary=100_000)
    steps = list(relaxations(asked))
    assert [name for name, _ in steps] == ["min_salary", "employment", "remote", "area", "experience"]
    remote = dict(steps)["remote"]
    assert (remote.area, remote.schedule, remote.experience) == (None, "remote", "noExperience")
    assert steps[-1][1] == Filters()  # in the end nothing is left
    # each step is exactly one filter looser than the one before
    previous = asked
    for _, looser in steps:
        changed = [k for k in ("area", "experience", "schedule", "employment", "min_salary", "with_salary")
                   if getattr(looser, k) != getattr(previous, k)]  # fmt: skip
        assert 1 <= len(changed) <= 2  # "remote" swaps the city for the remote schedule
        previous = looser


def test_relaxation_with_a_schedule_of_the_users_own_keeps_it_until_its_turn() -> None:
    steps = [name for name, _ in relaxations(Filters(area="Казань", schedule="fullDay"))]
    assert steps == ["area", "schedule"]


@pytest.mark.parametrize(
    ("lang", "published", "expected"),
    [
        ("ru", "2021-12-01", "сегодня"),
        ("ru", "2021-11-30", "вчера"),
        ("ru", "2021-11-29", "2 дня назад"),
        ("ru", "2021-11-26", "5 дней назад"),
        ("ru", "2021-11-10", "21 день назад"),
        ("ru", "2021-10-02", "2 окт 2021"),
        ("en", "2021-11-30", "yesterday"),
        ("en", "2021-11-28", "3 days ago"),
        ("en", "2021-10-02", "2 Oct 2021"),
        ("ru", None, ""),
        ("ru", "garbage", ""),
    ],
)
def test_publication_dates_relative_when_recent(lang: str, published: str | None, expected: str) -> None:
    assert published_text(lang, published, TODAY) == expected


def test_plural_forms() -> None:
    assert [plural("ru", n, "day") for n in (1, 2, 5, 11, 21, 22, 25, 112)] == [
        "день", "дня", "дней", "дней", "день", "дня", "дней", "дней",
    ]  # fmt: skip
    assert [plural("en", n, "day") for n in (1, 2)] == ["day", "days"]


@pytest.mark.parametrize(
    "text", ["привет", "Привет!", "здравствуйте", "добрый день", "hi", "Hello!", "спасибо"]
)
def test_greetings(text: str) -> None:
    assert is_greeting(text)


@pytest.mark.parametrize("text", ["python, sql", "привет, python", "figma", "приветливость"])
def test_not_greetings(text: str) -> None:
    assert not is_greeting(text)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("сколько получает тестировщик?", "тестировщик"),
        ("Какая зарплата у бухгалтера в Москве?", "бухгалтера Москве"),
        ("зарплата python разработчика", "python разработчика"),
        ("how much does a tester earn?", "tester"),
        ("python, sql", None),
    ],
)
def test_salary_question_subject(text: str, subject: str | None) -> None:
    assert salary_subject(text) == subject


def test_answer_state_round_trip_and_forged_state() -> None:
    state = AnswerState(
        filters=Filters(area="Казань", sort="date", min_salary=100_000),
        page=3,
        shown=(("1", "Аналитик", "ООО", "https://hh.ru/vacancy/1"),),
        view="filters",
        unknown=(("pyton", ("python",)),),
    )
    assert AnswerState.from_dict(state.to_dict()) == state
    forged = AnswerState.from_dict(
        {"filters": {"sort": "drop table", "min_salary": -5, "employment": "x"}, "page": 10**9, "view": "<b>"}
    )
    assert forged == AnswerState()


def match(**fields: object) -> SimpleNamespace:
    base = dict(
        title="Senior Data Scientist", url="https://hh.ru/vacancy/7", employer="ACME & Co", area="Москва",
        pay=PublishedPay(200_000, None, "RUR"), matched_skills=["python"], missing_skills=["python", "spark"],
        published_at="2021-11-29", schedule="remote", experience="between3And6", employment="part",
    )  # fmt: skip
    base.update(fields)
    return SimpleNamespace(**base)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_vacancy_line_is_valid_html_with_date_schedule_experience(lang: str) -> None:
    text = vacancy_block(lang, 1, match(), str.title, mark_senior=True, today=TODAY, not_lacking={"python"})
    plain = check_text(text, "HTML", 4096)
    expected = {
        "ru": ("2 дня назад", "Удалённо", "3–6 лет", "частичная", "для опытных"),
        "en": ("2 days ago", "Remote", "3–6 years", "part-time", "for experienced"),
    }[lang]
    assert all(word in plain for word in expected)
    lacking = plain.split("✗")[1]
    assert "Spark" in lacking and "Python" not in lacking  # the typo target is not "lacking"


@pytest.mark.parametrize(
    ("pay", "russian", "english"),
    [
        (PublishedPay(80_000, None, "RUR"), "от 80 000 ₽", "from 80,000 ₽"),
        (PublishedPay(None, 1_200_000, "RUR", gross=True), "до 1 200 000 ₽ (до вычета налогов)",
         "up to 1,200,000 ₽ (before tax)"),
        (PublishedPay(80_000, 120_000, "USD", gross=False), "80 000–120 000 $", "80,000–120,000 $"),
        (PublishedPay(3_000_000, None, "UZS"), "от 3 000 000 сум", "from 3,000,000 UZS"),
        (PublishedPay(500, 800, "RUR", period="HOUR"), "500–800 ₽ в час", "500–800 ₽ per hour"),
    ],
)  # fmt: skip
def test_published_pay_in_each_language(pay: PublishedPay, russian: str, english: str) -> None:
    from bot.services.formatting import pay_text

    assert pay_text("ru", pay) == russian
    assert pay_text("en", pay) == english
    assert pay_text("ru", pay) == format_pay(pay.low, pay.high, pay.currency, pay.gross, pay.period)


@pytest.mark.parametrize(
    ("lang", "published", "note"),
    [
        ("ru", "2021-03-05", " (в рублях 2021 г.)"),
        ("en", "2021-03-05", " (in 2021 roubles)"),
        ("ru", "2023-12-31", " (в рублях 2023 г.)"),
        ("ru", None, ""),  # no date: nothing to say
        ("ru", "garbage", ""),
    ],
)
def test_vacancy_salary_says_its_year_when_older_than_today(
    lang: str, published: str | None, note: str
) -> None:
    from bot.services.formatting import salary_year_note

    today = date(2025, 6, 1)
    assert salary_year_note(lang, published, today) == note
    plain = check_text(
        vacancy_block(lang, 1, match(published_at=published), str.title, today=today), "HTML", 4096
    )
    salary = "от 200 000 ₽" if lang == "ru" else "from 200,000 ₽"
    assert f"{salary}{note}" in plain


def test_vacancy_salary_of_this_year_and_unstated_salary_carry_no_year() -> None:
    today = date(2021, 12, 1)
    assert "в рублях" not in vacancy_block("ru", 1, match(), str.title, today=today)
    unstated = vacancy_block(
        "ru", 1, match(pay=None, published_at="2020-01-01"), str.title, today=today
    )
    assert "в рублях" not in unstated and "з/п не указана" in unstated


SENIOR_TITLES = ["CTO стартапа", "Техлид Python", "Заведующий лабораторией", "Сеньор Go-разработчик"]


@pytest.mark.parametrize("title", SENIOR_TITLES)
def test_a_title_ranked_down_as_senior_is_marked_so(title: str) -> None:
    """The ranking's pattern (recommender.recommend.fields) is the mark's: one pattern for both."""
    from recommender.recommend.fields import SENIOR, seniority

    junior = match(title="Python-разработчик")
    assert seniority(title) == SENIOR
    assert "для опытных" in vacancy_block("ru", 1, match(title=title), str, mark_senior=True, today=TODAY)
    assert "для опытных" not in vacancy_block("ru", 1, junior, str, mark_senior=True, today=TODAY)
