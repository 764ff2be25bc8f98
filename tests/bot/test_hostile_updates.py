"""Forged and odd updates (issue 13, item 7), against the real bot and the fake Bot API.

Each forged button is a row: callback data → the answer the presser sees, and nothing stored.
"""

from __future__ import annotations

import pytest
from bot_harness import USER_ID
from fake_telegram import FakeTelegram
from user_rows import count_rows_about

from bot.app import BotRuntime
from bot.keyboards import CityCb, FeedbackCb, FilterCb, PageCb

STALE = "устарела"  # "Эта кнопка устарела…"

FORGED = [
    # (callback data, what the presser is told)
    ("fb:999999999999999999999999999999:1", STALE),  # beyond any database integer
    ("fb:-5:1", STALE),
    ("fb:1:7", STALE),  # only 👍 (1) and 👎 (-1)
    ("city:s:" + "1" * 40, STALE),  # not a city of the keyboard
    ("city:x:1", STALE),  # no such context
    ("pg:1:100000", STALE),  # beyond the last page
    ("pg:99999999999999999999:0", STALE),
    ("sal:0", STALE),
    ("fl:1:sal:50000", STALE),  # a value of another filter: each key takes its own values
    ("fl:1:emp:1", STALE),
    ("fl:1:min:123", STALE),
    ("so:1:cheapest", STALE),
    ("vw:1:admin", STALE),
    ("act:1:delete:0", STALE),
    ("exp:s:" + "x" * 50, STALE),
    ("sch:d:nightshift", STALE),
    ("lang:xx", STALE),
    ("dg:hourly", STALE),
    ("set:password", STALE),
    ("fgt:maybe", STALE),
    ("", STALE),
    ("::::", STALE),
]


async def ask(tg: FakeTelegram, update: object, count: int = 1) -> list:  # type: ignore[type-arg]
    before = len(tg.outbox(USER_ID))
    await update  # type: ignore[misc]
    return await tg.wait_new(USER_ID, before, count)


@pytest.mark.parametrize(("data", "told"), FORGED, ids=[row[0][:24] or "empty" for row in FORGED])
async def test_forged_button(tg: FakeTelegram, bot_runtime: BotRuntime, data: str, told: str) -> None:
    (summary,) = await ask(tg, tg.send_text(USER_ID, "/settings"))
    before = await bot_runtime.repo.get_profile(USER_ID)
    answer = await tg.wait_callback_answer(await tg.press(USER_ID, summary, data))
    assert told in answer["text"]
    assert await bot_runtime.repo.get_profile(USER_ID) == before  # nothing changed
    assert not any("Извините" in m.plain for m in tg.outbox(USER_ID))  # no error, no apology
    assert not tg.errors


def test_real_buttons_still_pack_and_unpack() -> None:
    real = (
        FeedbackCb(query_id=2**62, value=-1),
        PageCb(query_id=5, page=3),
        CityCb(ctx="s", id="1"),
        FilterCb(query_id=5, key="min", value="100000"),
        FilterCb(query_id=5, key="emp", value=""),
    )
    for data in real:
        assert type(data).unpack(data.pack()) == data


async def test_caption_at_the_skills_step_of_start(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await ask(tg, tg.send_text(USER_ID, "/start"))
    (city_question,) = await ask(tg, tg.send_photo(USER_ID, caption="python, sql"))
    assert "город" in city_question.plain.lower()
    assert city_question.button(text="Москва")


async def test_caption_as_the_city_name(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    await ask(tg, tg.send_text(USER_ID, "/start"))
    (city_question,) = await ask(tg, tg.send_text(USER_ID, "python"))
    await tg.press(USER_ID, city_question, city_question.button(text="Другой"))
    await tg.wait_until(lambda: "города" in tg.outbox(USER_ID)[-1].plain)
    await ask(tg, tg.send_photo(USER_ID, caption="Тверь"))
    profile = await bot_runtime.repo.get_profile(USER_ID)
    assert profile is not None and profile.city_name == "Тверь"


async def test_group_chat_stores_nothing(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    stranger = 5555
    tg.add_user(stranger)
    group = {"id": -100500, "type": "supergroup", "title": "students"}
    for text in ("/start", "python, sql", "/skills figma"):
        await tg.send_message(stranger, text=text, chat=group)
    await tg.wait_until(lambda: not tg.updates)
    await ask(tg, tg.send_text(USER_ID, "/help"))  # handled after the group messages
    assert await count_rows_about(bot_runtime.sessions, stranger) == 0
    assert (await bot_runtime.repo.stats()).users == 1  # only USER_ID
    assert not [s for s in tg.sent if s.chat_id == group["id"]]


async def test_old_button_after_forget_does_not_resurrect(tg: FakeTelegram, bot_runtime: BotRuntime) -> None:
    _, answer = await ask(tg, tg.send_text(USER_ID, "python, sql"), count=2)
    (confirm,) = await ask(tg, tg.send_text(USER_ID, "/forget"))
    edits = len(tg.outbox(USER_ID, methods=("editMessageText", "editMessageReplyMarkup")))
    await tg.press(USER_ID, confirm, confirm.button(data_prefix="fgt:1"))
    await tg.wait_edit(USER_ID, edits)  # "deleted": the handler is done
    assert await count_rows_about(bot_runtime.sessions, USER_ID) == 0
    for data in (answer.button(data_prefix="fb:"), answer.button(data_prefix="sal:"), "set:city", "dg:daily"):
        reply = await tg.wait_callback_answer(await tg.press(USER_ID, answer, data))
        assert STALE in reply["text"], data
    assert await count_rows_about(bot_runtime.sessions, USER_ID) == 0
    # Writing again is a fresh start, as it should be.
    await ask(tg, tg.send_text(USER_ID, "/help"))
    assert await count_rows_about(bot_runtime.sessions, USER_ID) == 1
