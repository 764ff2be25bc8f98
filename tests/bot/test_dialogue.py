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
    await tg.send_text(USER_ID, "<b>Урюпинск</b>")  # no place name: asked again
    (again,) = await tg.wait_new(USER_ID, 3)
    assert "Напишите его буквами" in again.plain
    await tg.send_text(USER_ID, "Урюпинск")  # after "Другой…" any place name is taken as typed
    (experience_question,) = await tg.wait_new(USER_ID, 4)
    assert "опыт" in experience_question.plain
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and (profile.city_id, profile.city_name) == (None, "Урюпинск")
    # Skills typed instead of a button are no experience: asked again, the skills kept.
    await tg.send_text(USER_ID, "figma, photoshop, ux")
    (asked_again,) = await tg.wait_new(USER_ID, 5)
    assert "Не понял, какой опыт" in asked_again.plain and "/skills" in asked_again.plain
    assert asked_again.buttons() == experience_question.buttons()
    # The first question's buttons went away: only the new one can be pressed.
    closed = await tg.wait_edit(USER_ID, 2)
    assert closed.message_id == experience_question.message_id and not closed.reply_markup
    assert not tg.errors, tg.errors


async def test_typed_answers_keep_the_skills(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    """Issue 19: "без опыта" at the experience step and "удаленка" at the schedule step are
    those steps' answers; the answer is for the skills typed first, which /skills then lists."""
    await tg.send_text(USER_ID, "/start")
    await tg.wait_messages(USER_ID, 1)
    await tg.send_text(USER_ID, "excel, 1с: бухгалтерия, бухгалтерский учет")
    await tg.wait_messages(USER_ID, 2)
    await tg.send_text(USER_ID, "в Питере")
    (experience_question,) = await tg.wait_new(USER_ID, 2)
    assert "опыт" in experience_question.plain
    await tg.send_text(USER_ID, "без опыта")
    (schedule_question,) = await tg.wait_new(USER_ID, 3)
    assert "график" in schedule_question.plain
    await tg.send_text(USER_ID, "удаленка")
    recognition, _ = await tg.wait_new(USER_ID, 4, count=2)
    assert "excel" in recognition.plain.lower() and "бухгалтер" in recognition.plain.lower()
    assert "Понял" not in recognition.plain  # nothing read as a job title or a typo
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None
    assert (profile.city_id, profile.city_name) == ("2", "Санкт-Петербург")
    assert (profile.experience, profile.schedule) == ("noExperience", "remote")
    assert "excel" in profile.skills and not {"удаленка", "без опыта"} & set(profile.skills)
    # each typed answer closed its question with the choice in words
    edits = tg.outbox(USER_ID, methods=("editMessageText",))
    closed = [e.plain.rsplit("→ ", 1)[-1] for e in edits]
    assert closed[:3] == ["Санкт-Петербург", "Нет опыта", "Удалённо"]
    await tg.send_text(USER_ID, "/skills")
    (listed,) = await tg.wait_new(USER_ID, 6)
    assert "Excel" in listed.plain
    assert not tg.errors, tg.errors


async def test_unknown_city_asked_again_with_buttons(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    tg.add_user(3002, language_code="en")
    await tg.send_text(3002, "/start")
    await tg.wait_messages(3002, 1)
    await tg.send_text(3002, "python, sql")
    await tg.wait_messages(3002, 2)
    await tg.send_text(3002, "pandas, numpy")  # no city: asked again, with the buttons
    (again,) = await tg.wait_new(3002, 2)
    assert "I don't know that city" in again.plain and "Moscow" in [label for label, _ in again.buttons()]
    await tg.send_text(3002, "saint petersburg")
    (experience_question,) = await tg.wait_new(3002, 3)
    assert "experience" in experience_question.plain
    await tg.send_text(3002, "1-3 years")
    await tg.wait_new(3002, 4)
    await tg.send_text(3002, "any")
    recognition, _ = await tg.wait_new(3002, 5, count=2)
    recognized = recognition.plain.splitlines()[0]
    assert "Python" in recognized and "Pandas" not in recognized
    profile = await bot_runtime.repo.get_profile(3002)
    assert profile is not None and profile.city_name == "Санкт-Петербург"
    assert (profile.experience, profile.schedule) == ("between1And3", None)
    assert not tg.errors, tg.errors


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


async def test_spb_typed_filters_to_saint_petersburg(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await tg.send_text(USER_ID, "/start")
    await tg.wait_messages(USER_ID, 1)
    await tg.send_text(USER_ID, "python, sql, pandas")
    await tg.wait_messages(USER_ID, 2)
    for n, typed in enumerate(("спб", "не важно", "не важно"), start=2):
        await tg.send_text(USER_ID, typed)
        await tg.wait_new(USER_ID, n, count=1 if n < 4 else 2)
    vacancies = tg.outbox(USER_ID)[-1]
    assert "таких нет" not in vacancies.plain  # nothing relaxed: "спб" is a city the data has
    # each vacancy's "employer, city · salary" line
    places = [line for line in vacancies.plain.splitlines() if "₽" in line or "з/п не указана" in line]
    assert len(places) == 5 and all("Санкт-Петербург" in line for line in places), places
    assert not tg.errors, tg.errors


async def test_a_setting_typed_outside_the_dialogue_keeps_the_skills(
    tg: FakeTelegram, bot_runtime: BotRuntime
) -> None:
    """After an answer, "спб" or "удалёнка" typed alone are settings, not a new skills query."""
    await tg.send_text(USER_ID, "python, sql, pandas")
    await tg.wait_messages(USER_ID, 2)
    await tg.send_text(USER_ID, "спб")
    note, vacancies = await tg.wait_new(USER_ID, 2, count=2)
    assert "Сохранил в настройках: Санкт-Петербург" in note.plain and "Распознал навыки" in note.plain
    places = [line for line in vacancies.plain.splitlines() if "₽" in line or "з/п не указана" in line]
    assert places and all("Санкт-Петербург" in line for line in places)
    await tg.send_text(USER_ID, "удалёнка")
    (note, _) = await tg.wait_new(USER_ID, 4, count=2)
    assert "Сохранил в настройках: Удалённо" in note.plain
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None
    assert (profile.city_name, profile.schedule) == ("Санкт-Петербург", "remote")
    assert set(profile.skills) >= {"python", "sql"}  # the skills typed first, untouched
    await tg.send_text(USER_ID, "figma, photoshop")  # a skills list is still a new query
    (recognition, _) = await tg.wait_new(USER_ID, 6, count=2)
    assert "Сохранил" not in recognition.plain and "figma" in recognition.plain.lower()
    assert not tg.errors, tg.errors
