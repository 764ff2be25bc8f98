"""The /start dialogue end to end: the real dispatcher against the fake Bot API."""

from __future__ import annotations

from bot_harness import USER_ID
from fake_telegram import FakeTelegram

from bot.app import BotRuntime
from bot.services.answering import busy


async def test_start_dialogue_to_answer(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await tg.send_text(USER_ID, "/start")
    (greeting,) = await tg.wait_messages(USER_ID, 1)
    assert "навыки через запятую" in greeting.plain

    await tg.send_text(USER_ID, "python, sql, нейросети")
    (_, city_question) = await tg.wait_messages(USER_ID, 2)
    assert "городе" in city_question.plain
    labels = [label for label, _ in city_question.buttons()]
    assert "Москва" in labels and "Любой город" in labels and "Другой…" in labels

    await tg.press(USER_ID, city_question, city_question.button(text="Москва"))
    (experience_question,) = await tg.wait_new(USER_ID, 2)
    assert "опыт" in experience_question.plain
    await tg.press(USER_ID, experience_question, experience_question.button(text="Нет опыта"))
    (schedule_question,) = await tg.wait_new(USER_ID, 3)
    await tg.press(USER_ID, schedule_question, schedule_question.button(text="Не важно"))

    recognition, vacancies = await tg.wait_new(USER_ID, 4, count=2)
    assert "python" in recognition.plain.lower() and "sql" in recognition.plain.lower()
    assert "специализация" in recognition.plain
    assert "Что изучить" in recognition.plain and "%" in recognition.plain
    assert "Вакансии" in vacancies.plain
    assert '<a href="https://hh.ru/vacancy/' in vacancies.text
    assert "✓" in vacancies.plain
    data = [d for _, d in vacancies.buttons()]
    assert any(d.startswith("sal:") for d in data)
    assert {d.split(":")[0] for d in data} >= {"fb"}
    # The choices replaced the keyboards, and the profile kept them.
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None
    assert profile.city_name == "Москва" and profile.experience == "noExperience" and profile.schedule is None
    assert "python" in profile.skills
    assert not tg.errors, tg.errors


async def test_typing_shows_only_while_slow_work_runs(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    """A quick answer sends no chat action (it would only flash before the message); work
    still running after TYPING_AFTER_SECONDS shows "typing…" while it runs."""
    async with busy(bot_runtime.bot, USER_ID):
        pass
    assert tg.chat_actions == []
    async with busy(bot_runtime.bot, USER_ID):
        await tg.wait_until(lambda: tg.chat_actions)  # the work goes on until the indicator is up
    assert tg.chat_actions == [(USER_ID, "typing")]


async def test_other_city_typed(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await tg.send_text(USER_ID, "/start")
    await tg.wait_messages(USER_ID, 1)
    await tg.send_text(USER_ID, "figma, photoshop")
    city_question = (await tg.wait_messages(USER_ID, 2))[-1]
    await tg.press(USER_ID, city_question, city_question.button(text="Другой"))
    (ask_city,) = await tg.wait_new(USER_ID, 2)
    assert "города" in ask_city.plain
    await tg.send_text(USER_ID, "<b>Казань</b>")
    (experience_question,) = await tg.wait_new(USER_ID, 3)
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and profile.city_name == "<b>Казань</b>"
    # Text instead of a button: taken as the skills, answered right away.
    await tg.send_text(USER_ID, "figma, photoshop, ux")
    recognition, vacancies = await tg.wait_new(USER_ID, 4, count=2)
    assert "figma" in recognition.plain.lower()
    assert "дизайн" in (recognition.plain + vacancies.plain).lower()
    assert experience_question.buttons()


async def test_english_user_gets_english(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    tg.add_user(3001, language_code="en")
    await tg.send_text(3001, "/start")
    (greeting,) = await tg.wait_messages(3001, 1)
    assert "List your skills" in greeting.plain


async def test_free_text_without_start_is_a_query(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await tg.send_text(USER_ID, "javascript, react, css")
    recognition, vacancies = await tg.wait_messages(USER_ID, 2)
    assert "react" in recognition.plain.lower()
    assert vacancies.buttons()
