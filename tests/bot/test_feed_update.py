"""Handler logic fast, without HTTP: updates fed straight into the real dispatcher
(``dp.feed_update``, as aiogram's own tests do) with a session that records the Bot API calls.
The end-to-end tests beside these go through the fake Bot API server instead."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from datetime import datetime
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from bot.app import build_dispatcher
from bot.config import Settings
from bot.services.model_holder import ModelHolder
from bot.storage import Repository, create_engine, create_sessionmaker, upgrade_database

USER = 4242
TOKEN = "123456789:AAtestTOKENtestTOKENtestTOKEN12345"


class RecordingSession(BaseSession):
    """Answers every Bot API call at once and keeps it (aiogram's tests/mocked_bot.py, reduced)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self._ids = itertools.count(1)

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        self.calls.append(method)
        if isinstance(method, SendMessage | EditMessageText):
            chat = Chat(id=int(method.chat_id or USER), type="private")
            return Message(
                message_id=next(self._ids), date=datetime.now(), chat=chat, text=method.text,
                reply_markup=method.reply_markup,
            )  # fmt: skip
        return True

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    async def close(self) -> None:
        return None

    def sent(self) -> list[SendMessage]:
        return [c for c in self.calls if isinstance(c, SendMessage)]


@pytest.fixture
async def fed(make_settings: Callable[..., Settings], bundle: Any) -> AsyncIterator[tuple[Dispatcher, Bot]]:
    settings = make_settings()
    await asyncio.to_thread(upgrade_database, settings.database_url)
    engine = create_engine(settings.database_url)
    dp = build_dispatcher(settings, Repository(create_sessionmaker(engine)), ModelHolder(bundle))
    bot = Bot(TOKEN, session=RecordingSession())
    yield dp, bot
    await engine.dispose()


_updates = itertools.count(1)


def message(text: str) -> Update:
    user = User(id=USER, is_bot=False, first_name="Студент", language_code="ru")
    chat = Chat(id=USER, type="private")
    return Update(
        update_id=next(_updates),
        message=Message(message_id=1, date=datetime.now(), chat=chat, from_user=user, text=text),
    )


def press(data: str, on: SendMessage) -> Update:
    user = User(id=USER, is_bot=False, first_name="Студент", language_code="ru")
    chat = Chat(id=USER, type="private")
    shown = Message(message_id=99, date=datetime.now(), chat=chat, text=on.text, reply_markup=on.reply_markup)
    query = CallbackQuery(id=str(next(_updates)), from_user=user, chat_instance="1", message=shown, data=data)
    return Update(update_id=next(_updates), callback_query=query)


def buttons(sent: SendMessage) -> list[tuple[str, str]]:
    markup = sent.reply_markup
    rows = getattr(markup, "inline_keyboard", None) or []
    return [(b.text, b.callback_data or "") for row in rows for b in row]


async def test_greeting_is_welcomed_with_examples(fed: tuple[Dispatcher, Bot]) -> None:
    dp, bot = fed
    await dp.feed_update(bot, message("Привет!"))
    session = bot.session
    assert isinstance(session, RecordingSession)
    (welcome,) = session.sent()
    assert "Пришлите навыки" in welcome.text
    assert [d for _, d in buttons(welcome)] == ["ex:0", "ex:1", "ex:2", "ex:3"]


async def test_sort_button_edits_the_answer_with_its_own_state(fed: tuple[Dispatcher, Bot]) -> None:
    dp, bot = fed
    session = bot.session
    assert isinstance(session, RecordingSession)
    await dp.feed_update(bot, message("python, sql, pandas"))
    answer = session.sent()[-1]
    assert "Вакансии" in answer.text
    sort = next(d for label, d in buttons(answer) if "По зарплате" in label)
    await dp.feed_update(bot, press(sort, answer))
    edit = next(c for c in reversed(session.calls) if isinstance(c, EditMessageText))
    assert "по зарплате" in edit.text
    assert any(isinstance(c, AnswerCallbackQuery) for c in session.calls)


async def test_forged_sort_value_is_out_of_date(fed: tuple[Dispatcher, Bot]) -> None:
    dp, bot = fed
    session = bot.session
    assert isinstance(session, RecordingSession)
    await dp.feed_update(bot, message("python, sql"))
    answer = session.sent()[-1]
    query_id = next(d for _, d in buttons(answer) if d.startswith("so:")).split(":")[1]
    await dp.feed_update(bot, press(f"so:{query_id}:price DESC", answer))
    reply = next(c for c in reversed(session.calls) if isinstance(c, AnswerCallbackQuery))
    assert reply.text and "устарела" in reply.text


async def test_group_messages_get_nothing_even_from_an_anonymous_sender(fed: tuple[Dispatcher, Bot]) -> None:
    """One private-chat filter (ContextMiddleware) drops group messages before any router, those
    without a sender (an anonymous group admin, a channel) included."""
    dp, bot = fed
    group = Chat(id=-100500, type="supergroup", title="students")
    user = User(id=USER, is_bot=False, first_name="Студент", language_code="ru")
    for sender in (user, None):
        sent = Message(message_id=1, date=datetime.now(), chat=group, from_user=sender, text="Привет!")
        await dp.feed_update(bot, Update(update_id=next(_updates), message=sent))
    session = bot.session
    assert isinstance(session, RecordingSession)
    assert session.sent() == []
    await dp.feed_update(bot, message("Привет!"))  # the same words in the private chat are answered
    assert len(session.sent()) == 1
