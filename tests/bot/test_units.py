"""Small parts on their own: settings, formatting, throttling, the model holder, the fake's rules."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from bot_harness import TOKEN
from fake_telegram import TelegramRuleError, check_markup, check_text, parse_html
from pydantic import ValidationError

from bot.config import Settings, settings_error_line
from bot.keyboards import (
    MAX_PAGE,
    FieldCb,
    Keyboard,
    PageCb,
    answer_keyboard,
    city_keyboard,
    experience_keyboard,
    schedule_keyboard,
)
from bot.services.advisor import Advisor
from bot.services.answering import wider_field
from bot.services.formatting import recognition_text, salary_text, split_message, vacancies_text
from bot.services.model_holder import ModelHolder
from bot.texts import EN, RU
from recommender.recommend import Filters


def test_settings_parse_and_hide_the_token() -> None:
    settings = Settings(_env_file=None, bot_token=TOKEN, admin_ids="1, 2 3")  # type: ignore[call-arg]
    assert settings.admin_ids == frozenset({1, 2, 3})
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())


@pytest.mark.parametrize("token", ["", "abc", "123:short", "notanumber:" + "A" * 35])
def test_bad_token_gives_one_line_without_the_secret(token: str) -> None:
    with pytest.raises(ValidationError) as info:
        Settings(_env_file=None, bot_token=token)  # type: ignore[call-arg]
    line = settings_error_line(info.value)
    assert line.startswith("bad settings: BOT_TOKEN") and "\n" not in line
    assert not token or token not in line


def test_texts_have_the_same_keys_in_both_languages() -> None:
    assert set(RU) == set(EN)


def test_callback_data_fit_in_64_bytes() -> None:
    big = PageCb(query_id=2**63 - 1, page=MAX_PAGE).pack()
    assert len(big.encode()) <= 64
    for lang in ("ru", "en"):
        for markup in (
            answer_keyboard(lang, 2**62, 3, True), city_keyboard(lang, "d"),
            experience_keyboard(lang, "s"), schedule_keyboard(lang, "d"),
        ):  # fmt: skip
            check_markup(markup.model_dump(exclude_none=True))


def test_narrower_fields_get_their_own_row_after_the_fields() -> None:
    labels = ["Аналитик данных", "Data Scientist", "Аналитик данных маркетплейсов", "Аналитик данных SQL"]
    markup = answer_keyboard("ru", 7, 0, False, fields=labels, field=0, narrower=2)
    rows = [[(b.text, FieldCb.unpack(b.callback_data)) for b in row] for row in markup.inline_keyboard[:2]]
    assert [text for text, _ in rows[0]] == ["✓ Аналитик данных", "Data Scientist"]
    assert [text for text, _ in rows[1]] == ["↳ Аналитик данных маркетплейсов", "↳ Аналитик данных SQL"]
    assert [data.choice for row in rows for _, data in row] == [0, 1, 2, 3]  # the stored fields' order
    check_markup(markup.model_dump(exclude_none=True))


def test_pressing_a_chosen_narrower_field_again_goes_back_to_its_field() -> None:
    offered = ("аналит данн", "datascientist", "аналит данн маркет")
    assert wider_field("аналит данн маркет", offered) == "аналит данн"
    assert wider_field("аналит данн", offered) is None  # a field of the first row: every field


@pytest.mark.parametrize(
    ("count", "sizes"), [(0, ()), (3, ()), (11, ()), (10, (2, 3, 1, 3)), (9, (3, 2, 3)), (7, (1,)), (4, (5,))]
)
def test_keyboard_rows_are_aiogram_builders_rows(count: int, sizes: tuple[int, ...]) -> None:
    """Keyboard (no deep copy per button) lays buttons out exactly as InlineKeyboardBuilder."""
    from aiogram.utils.keyboard import InlineKeyboardBuilder

    ours, theirs = Keyboard(), InlineKeyboardBuilder()
    for n in range(count):
        ours.button(text=f"b{n}", callback_data=PageCb(query_id=n + 1, page=n))
        theirs.button(text=f"b{n}", callback_data=PageCb(query_id=n + 1, page=n))
    if sizes:
        ours.adjust(*sizes)
        theirs.adjust(*sizes)
    assert ours.as_markup() == theirs.as_markup()
    assert sum(len(row) for row in ours.as_markup().inline_keyboard) == count


def test_split_message_respects_the_limit() -> None:
    lines = [f"<b>line {i}</b> " + "x" * 90 for i in range(200)]
    parts = split_message("\n".join(lines))
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert sum(p.count("\n") + 1 for p in parts) == 200
    for part in parts:
        parse_html(part)  # every part is valid HTML on its own
    assert split_message("x" * 10_000) == ["x" * 4096, "x" * 4096, "x" * 1808]


def test_model_holder_swap_keeps_requests_on_their_bundle() -> None:
    holder = ModelHolder()
    assert holder.current is None and holder.version is None
    first, second = object(), object()
    holder.swap(first)
    in_flight = holder.current
    assert holder.swap(second) is first
    assert in_flight is first and holder.current is second

    def swapper() -> None:
        for _ in range(1000):
            holder.swap(first)
            holder.swap(second)

    threads = [threading.Thread(target=swapper) for _ in range(4)]
    for thread in threads:
        thread.start()
    seen = {id(holder.current) for _ in range(1000)}
    for thread in threads:
        thread.join()
    assert seen <= {id(first), id(second)}


async def test_formatting_of_a_real_answer_is_valid_telegram_html(bundle: Any) -> None:
    advisor = Advisor(ModelHolder(bundle))
    understood = await advisor.understand("python, sql, <i>unclosed, R&D")
    assert understood is not None
    advice = await advisor.recommend(understood.query, filters=Filters(area="Москва"))
    assert advice is not None
    for lang in ("ru", "en"):
        for text in (recognition_text(lang, advice), vacancies_text(lang, advice)):
            plain = check_text(text, "HTML", 4096)
            assert "<i>" not in plain or "&lt;" in text
    python_sql = advisor.query_of_profile(["python", "sql"])
    assert python_sql is not None
    salary = await advisor.salary(python_sql, area="Москва")
    assert salary is not None and salary.chart_png and salary.chart_png.startswith(b"\x89PNG")
    table = salary_text("ru", salary)
    check_text(table, "HTML", 4096)
    assert table.count("\n") >= 6  # header + 5 schedules
    no_filters = await advisor.recommend(python_sql, page=1)
    assert no_filters is not None and no_filters.page == 1
    assert "(6–" in vacancies_text("ru", no_filters)


@pytest.mark.parametrize(
    "bad",
    ["<script>x</script>", "<b>open", "a < b", "AT&T", "<b><i>x</b></i>", "&nbsp;", "<a>no href</a>", ""],
)
def test_fake_telegram_refuses_what_telegram_refuses(bad: str) -> None:
    with pytest.raises(TelegramRuleError):
        check_text(bad, "HTML", 4096)


def test_fake_telegram_accepts_valid_html_and_counts_plain_length() -> None:
    text = '<b>x</b> &lt;tag&gt; &amp; <a href="https://hh.ru/vacancy/1">v</a> <pre>t</pre>'
    assert check_text(text, "HTML", 4096) == "x <tag> & v t"
    with pytest.raises(TelegramRuleError):
        check_text("<b>" + "я" * 4097 + "</b>", "HTML", 4096)
    with pytest.raises(TelegramRuleError):
        check_markup({"inline_keyboard": [[{"text": "x", "callback_data": "d" * 65}]]})


def test_env_example_documents_every_setting_and_loads(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re
    from pathlib import Path

    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    documented = {k.lower() for k in re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M)}
    assert set(Settings.model_fields) <= documented
    env_file = tmp_path / ".env"
    env_file.write_text(example.replace("replace-with-the-token-from-BotFather", "A" * 35), encoding="utf-8")
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    assert settings.database_url.startswith("sqlite+aiosqlite") and settings.admin_ids == frozenset()
