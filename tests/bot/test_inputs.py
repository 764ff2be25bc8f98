"""What a chat will send: every message gets a sensible answer within Telegram's rules.

The fake server refuses invalid HTML, over-long text and over-long callback data with 400,
so "no errors" below means every reply was valid."""

from __future__ import annotations

from collections.abc import Callable

from bot_harness import USER_ID, running_bot
from fake_telegram import FakeTelegram

from bot.app import BotRuntime
from bot.config import Settings
from bot.services.model_holder import ModelHolder


async def reply_to(tg: FakeTelegram, send, count: int = 1) -> list:  # type: ignore[no-untyped-def]
    before = len(tg.outbox(USER_ID))
    await send
    return await tg.wait_new(USER_ID, before, count)


async def test_empty_emoji_sticker_photo(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (empty,) = await reply_to(tg, tg.send_text(USER_ID, "   \n\t "))
    assert "Не вижу текста" in empty.plain
    recognized, *_ = await reply_to(tg, tg.send_text(USER_ID, "😀🔥👍"))
    assert "не узнал ни одного навыка" in recognized.plain and "python, sql, excel" in recognized.plain
    (sticker,) = await reply_to(tg, tg.send_sticker(USER_ID))
    assert "только текст" in sticker.plain
    (photo,) = await reply_to(tg, tg.send_photo(USER_ID))
    assert "только текст" in photo.plain
    recognition, _ = await reply_to(tg, tg.send_photo(USER_ID, caption="python, sql"), count=2)
    assert "python" in recognition.plain.lower()
    assert not tg.errors


async def test_long_paste_and_forwarded_resume(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    paste = ("Опыт работы: анализ данных на Python и SQL, отчёты в Excel. " * 200)[:10_000]
    note, recognition, _ = await reply_to(tg, tg.send_text(USER_ID, paste), count=3)
    assert "первые 3000 символов" in note.plain
    assert "python" in recognition.plain.lower()
    assert all(len(m.plain) <= 4096 for m in tg.outbox(USER_ID))
    resume = "Резюме\nИванов Иван\nНавыки: Figma, Adobe Photoshop, UX\nОбразование: ВШЭ"
    recognition, _ = await reply_to(tg, tg.send_forwarded(USER_ID, resume), count=2)
    assert "figma" in recognition.plain.lower()
    assert not tg.errors


async def test_html_script_and_sql_are_escaped(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    recognition, _ = await reply_to(
        tg, tg.send_text(USER_ID, "python, <script>alert(1)</script>, <b>sql"), count=2
    )
    assert "<script>" not in recognition.text and "python" in recognition.plain.lower()
    # Markup typed as a city name is no place name: asked again, never stored or shown back.
    await reply_to(tg, tg.send_text(USER_ID, "/start"))
    (city_question,) = await reply_to(tg, tg.send_text(USER_ID, "python"))
    await tg.press(USER_ID, city_question, city_question.button(text="Другой"))
    await tg.wait_new(USER_ID, len(tg.outbox(USER_ID)) - 0, 0)
    await tg.wait_until(lambda: "города" in tg.outbox(USER_ID)[-1].plain)
    (again,) = await reply_to(tg, tg.send_text(USER_ID, "<script>alert(1)</script> & Co"))
    assert "Напишите его буквами" in again.plain and "script" not in again.text
    (summary,) = await reply_to(tg, tg.send_text(USER_ID, "/settings"))
    assert "Город: любой" in summary.plain
    (injection, *_) = await reply_to(tg, tg.send_text(USER_ID, "'; DROP TABLE users; --"))
    assert "не узнал" in injection.plain or "Не знаю" in injection.plain
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and "python" in profile.skills  # the tables are intact
    assert not tg.errors


async def test_unknown_skills_get_suggestions(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (answer,) = await reply_to(tg, tg.send_text(USER_ID, "питон, фигмаа, абырвалг"))
    assert "Не знаю" in answer.plain or "не узнал" in answer.plain
    assert "может быть" in answer.plain or "python, sql, excel" in answer.plain
    assert not tg.errors


async def test_commands_with_garbage_arguments(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (start,) = await reply_to(tg, tg.send_text(USER_ID, "/start <b>&&&"))
    assert "навыки через запятую" in start.plain
    (help_message,) = await reply_to(tg, tg.send_text(USER_ID, "/help me please"))
    assert "/skills" in help_message.plain
    (jobs,) = await reply_to(tg, tg.send_text(USER_ID, "/jobs ;;; DROP"))
    assert "Сначала пришлите навыки" in jobs.plain
    (settings,) = await reply_to(tg, tg.send_text(USER_ID, "/settings 12345"))
    assert "Настройки" in settings.plain
    (unknown,) = await reply_to(tg, tg.send_text(USER_ID, "/frobnicate now"))
    assert "Не знаю такой команды" in unknown.plain
    (during_dialogue,) = await reply_to(tg, tg.send_text(USER_ID, "/start"))
    (command_as_skills,) = await reply_to(tg, tg.send_text(USER_ID, "/nonsense"))
    assert "Не знаю такой команды" in command_as_skills.plain
    assert during_dialogue.plain
    assert not tg.errors


async def test_old_and_forged_buttons(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await reply_to(tg, tg.send_text(USER_ID, "/start"))
    (city_question,) = await reply_to(tg, tg.send_text(USER_ID, "python"))
    moscow = city_question.button(text="Москва")
    # The same button twice fast: one experience question, the second press is out of date.
    first = await tg.press(USER_ID, city_question, moscow)
    second = await tg.press(USER_ID, city_question, moscow)
    await tg.wait_callback_answer(first)
    answer = await tg.wait_callback_answer(second)
    assert "устарела" in answer["text"]
    experience_questions = [m for m in tg.outbox(USER_ID) if "опыт" in m.plain]
    assert len(experience_questions) == 1
    for data in ("pg:999999:1", "fb:424242:1", "sal:77", "city:d:1", "garbage", "exp:s:" + "x" * 50):
        answer = await tg.wait_callback_answer(await tg.press(USER_ID, city_question, data))
        assert answer["text"], data
    assert not [e for e in tg.errors if e[1] != 400 or "not modified" not in e[2]]


async def test_rate_limit_answers_floods_politely(
    tg: FakeTelegram, make_settings: Callable[..., Settings], bundle: object
) -> None:
    settings = make_settings(rate_limit_count=3, rate_limit_window=60.0)
    async with running_bot(settings, tg, ModelHolder(bundle)):
        for _ in range(8):
            await tg.send_text(USER_ID, "/help")
        await tg.wait_until(lambda: any("Слишком много" in m.plain for m in tg.outbox(USER_ID)))
        await tg.wait_until(lambda: not tg.updates)  # the whole flood was read
        await tg.send_text(USER_ID, "/help")
        await tg.wait_until(lambda: not tg.updates)
    replies = [m.plain for m in tg.outbox(USER_ID)]
    assert sum("/skills" in r for r in replies) == 3
    assert sum("Слишком много" in r for r in replies) == 1


async def test_confirmation_pressed_twice_is_not_an_error(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    (confirm,) = await reply_to(tg, tg.send_text(USER_ID, "/forget"))
    yes = confirm.button(data_prefix="fgt:1")
    first = await tg.press(USER_ID, confirm, yes)
    second = await tg.press(USER_ID, confirm, yes)
    await tg.wait_callback_answer(first)
    await tg.wait_callback_answer(second)
    await tg.wait_until(lambda: not tg.updates)
    (help_message,) = await reply_to(tg, tg.send_text(USER_ID, "/help"))
    assert not any("Извините" in m.plain for m in tg.outbox(USER_ID))
    assert "/skills" in help_message.plain


async def test_group_messages_are_ignored(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    group = {"id": -100500, "type": "group", "title": "students"}
    await tg.send_message(USER_ID, text="/start", chat=group)
    (help_message,) = await reply_to(tg, tg.send_text(USER_ID, "/help"))  # handled after the group one
    assert "/skills" in help_message.plain
    assert not [s for s in tg.sent if s.chat_id == group["id"]]
