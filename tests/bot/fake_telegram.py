"""A fake Telegram Bot API server for tests: an aiohttp app on 127.0.0.1 and a random port.

It implements what the bot uses (getMe, getUpdates with long polling and offsets,
sendMessage, sendPhoto (multipart), editMessageText, editMessageReplyMarkup,
answerCallbackQuery, sendChatAction, setMyCommands, deleteMessage) and enforces Telegram's
rules: text 1..4096 characters after entity parsing, captions up to 1024, callback_data up to
64 bytes, valid HTML for parse_mode=HTML (only Telegram's tags, balanced, known entities),
known chat ids, "message is not modified", callback queries answered once. It can inject
429 (with retry_after) and 403 (blocked by the user) responses.

Tests act as users (``send_text``, ``press``) and wait for what the bot sent
(``wait_messages``), never sleep. Reusable by any bot test: start it, point
``TelegramAPIServer.from_base(server.url)`` at it.

Webhook delivery, as Telegram does it: ``setWebhook``/``getWebhookInfo``/``deleteWebhook``,
``getUpdates`` refused with 409 while a webhook is set (and a waiting getUpdates ended with 409
when another arrives, as when two processes poll one token), and ``start_delivery(targets)`` POSTs
each pending update with the secret header to the targets round-robin (playing the reverse
proxy in front of several replicas), one update per chat at a time, re-sending it to the next
target after a non-2xx answer or a connection error.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import aiohttp
from aiohttp import web

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "span", "tg-spoiler", "blockquote", "tg-emoji",
}  # fmt: skip
ALLOWED_ENTITIES = {"lt", "gt", "amp", "quot"}
BARE_AMPERSAND = re.compile(r"&(?!#\d+;|#x[0-9a-fA-F]+;|[a-zA-Z]+;)")
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


class TelegramRuleError(Exception):
    """A request Telegram would refuse with 400 Bad Request."""


class _TelegramHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise TelegramRuleError(f'can\'t parse entities: Unsupported start tag "{tag}"')
        if tag == "a" and not dict(attrs).get("href"):
            raise TelegramRuleError("can't parse entities: <a> without href")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise TelegramRuleError(f'can\'t parse entities: self-closing tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise TelegramRuleError(f'can\'t parse entities: Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise TelegramRuleError("can't parse entities: unescaped < or >")
        if "&" in data:
            raise TelegramRuleError("can't parse entities: unescaped &")
        self.plain.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ALLOWED_ENTITIES:
            raise TelegramRuleError(f"can't parse entities: Unsupported HTML entity &{name};")
        self.plain.append({"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[name])

    def handle_charref(self, name: str) -> None:
        self.plain.append(chr(int(name[1:], 16) if name.lower().startswith("x") else int(name)))

    def handle_comment(self, data: str) -> None:
        raise TelegramRuleError("can't parse entities: comments are not supported")

    def handle_decl(self, decl: str) -> None:
        raise TelegramRuleError("can't parse entities: declarations are not supported")


def parse_html(text: str) -> str:
    """The plain text Telegram would show, or TelegramRuleError."""
    if BARE_AMPERSAND.search(text):
        raise TelegramRuleError("can't parse entities: unescaped &")
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise TelegramRuleError(f'can\'t parse entities: no end tag for "{parser.stack[-1]}"')
    return "".join(parser.plain)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_text(text: str | None, parse_mode: str | None, limit: int, *, allow_empty: bool = False) -> str:
    text = text or ""
    plain = parse_html(text) if parse_mode == "HTML" else text
    if not plain.strip() and not allow_empty:
        raise TelegramRuleError("message text is empty")
    if utf16_len(plain) > limit:
        raise TelegramRuleError("message is too long")
    return plain


def check_markup(markup: dict[str, Any] | None) -> None:
    if not markup:
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise TelegramRuleError("inline keyboard button text is empty")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                raise TelegramRuleError("BUTTON_DATA_INVALID")
            url = button.get("url")
            if data is None and url is None:
                raise TelegramRuleError("inline keyboard button has no action")


@dataclass
class Sent:
    """One thing the bot did in a chat, in order: a message, a photo or an edit."""

    method: str
    chat_id: int
    message_id: int
    text: str = ""  # as sent (HTML)
    plain: str = ""  # as shown (tags removed)
    reply_markup: dict[str, Any] | None = None
    photo: bytes | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def button(self, *, data_prefix: str | None = None, text: str | None = None) -> str:
        """The callback_data of the first button whose data starts with ``data_prefix`` or
        whose text contains ``text``."""
        for label, data in self.buttons():
            if (data_prefix is not None and data.startswith(data_prefix)) or (
                text is not None and text in label
            ):
                return data
        raise AssertionError(f"no button {data_prefix or text!r} in {self.buttons()}")


class FakeTelegram:
    def __init__(self, token: str, *, bot_id: int | None = None, username: str = "jobrec_test_bot") -> None:
        self.token = token
        self.bot_user = {
            "id": bot_id or int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "jobrec",
            "username": username,
        }
        self.users: dict[int, dict[str, Any]] = {}
        self.blocked: set[int] = set()
        self.updates: list[dict[str, Any]] = []
        self.sent: list[Sent] = []  # everything the bot sent or edited, in order
        # the same, per chat: ``outbox`` runs on every wake-up of every waiting user, and a
        # scan of everything sent made the load benchmark's fake Telegram its own bottleneck
        self._sent_by_chat: dict[int, list[Sent]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []  # every API call, rejected ones too
        self.errors: list[tuple[str, int, str]] = []  # (method, status, description) returned
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # current state of each message
        self.callback_answers: dict[str, dict[str, Any] | None] = {}  # id -> answer (None: pending)
        self.chat_actions: list[tuple[int, str]] = []
        self.commands: dict[str, list[dict[str, str]]] = {}
        self._failures: dict[str, list[tuple[int, int | None]]] = {}
        self._delays: dict[str, float] = {}
        self.delayed: Counter[str] = Counter()  # calls of each method waiting out their delay now
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._callback_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.webhook: dict[str, Any] = {}  # what setWebhook registered
        self.deliveries: list[tuple[int, str, int]] = []  # (update_id, target, HTTP status or 0)
        self._delivery: list[asyncio.Task[None]] = []
        self._in_flight: set[int] = set()  # chats with an update being delivered
        self._poll_generation = 0  # getUpdates calls so far: a waiting one ends when another comes
        self.conflicts = 0  # getUpdates ended by another process's getUpdates (409)

    # server lifecycle ----------------------------------------------------------

    async def start(self) -> str:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self._closing = True
        await self._notify()
        await self.stop_delivery()
        if self._runner is not None:
            await self._runner.cleanup()

    # webhook delivery --------------------------------------------------------------

    def start_delivery(
        self, targets: list[str], *, secret: str | None = None, concurrency: int = 4, retry_delay: float = 0.2
    ) -> None:
        """POST pending updates to ``targets`` round-robin until ``stop_delivery``.

        ``secret`` defaults to the one given to setWebhook. Updates of one chat go one at a
        time, in order; different chats go in parallel (``concurrency`` connections).
        """
        header = secret if secret is not None else self.webhook.get("secret_token")
        turn = itertools.count()
        self._delivery = [
            asyncio.create_task(self._deliver(targets, header, turn, retry_delay)) for _ in range(concurrency)
        ]

    async def stop_delivery(self) -> None:
        for task in self._delivery:
            task.cancel()
        for task in self._delivery:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._delivery = []

    def delivered(self, update_id: int) -> list[tuple[str, int]]:
        return [(target, status) for uid, target, status in self.deliveries if uid == update_id]

    @staticmethod
    def _update_chat(update: dict[str, Any]) -> int:
        if "message" in update:
            return int(update["message"]["chat"]["id"])
        if "callback_query" in update:
            return int(update["callback_query"]["from"]["id"])
        return 0

    def _next_deliverable(self) -> dict[str, Any] | None:
        for update in self.updates:
            if self._update_chat(update) not in self._in_flight:
                return update
        return None

    async def _deliver(
        self, targets: list[str], secret: str | None, turn: itertools.count[int], retry_delay: float
    ) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while not self._closing:
                async with self._changed:
                    update = await self._changed.wait_for(lambda: self._next_deliverable() or self._closing)
                    if update is True:
                        return
                    assert isinstance(update, dict)
                    chat = self._update_chat(update)
                    self._in_flight.add(chat)  # before the lock is let go: no other worker takes it
                try:
                    await self._post_until_accepted(session, update, targets, headers, turn, retry_delay)
                finally:
                    self._in_flight.discard(chat)
                    await self._notify()

    async def _post_until_accepted(
        self,
        session: aiohttp.ClientSession,
        update: dict[str, Any],
        targets: list[str],
        headers: dict[str, str],
        turn: itertools.count[int],
        retry_delay: float,
    ) -> None:
        while not self._closing:
            target = targets[next(turn) % len(targets)]
            try:
                async with session.post(target, json=update, headers=headers) as response:
                    status = response.status
                    await response.read()
            except (aiohttp.ClientError, OSError, TimeoutError):
                status = 0  # refused, reset or timed out: the replica is gone
            self.deliveries.append((update["update_id"], target, status))
            if 200 <= status < 300:
                self.updates = [u for u in self.updates if u["update_id"] != update["update_id"]]
                return
            await asyncio.sleep(retry_delay)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # what tests do as users ------------------------------------------------------

    def add_user(
        self, user_id: int, *, language_code: str = "ru", first_name: str = "Студент"
    ) -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        self.users[user_id] = user
        return user

    def _chat(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "type": "private", "first_name": self.users[user_id]["first_name"]}

    async def push_update(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **update})
        await self._notify()
        return update_id

    async def send_message(self, user_id: int, **content: Any) -> int:
        """A user message with any content fields (text, sticker, photo, caption, ...)."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(user_id),
            "from": self.users[user_id],
            **content,
        }
        return await self.push_update({"message": message})

    async def send_text(self, user_id: int, text: str) -> int:
        entities = []
        if text.startswith("/"):
            command = text.split()[0]
            entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return await self.send_message(user_id, text=text, **({"entities": entities} if entities else {}))

    async def send_sticker(self, user_id: int) -> int:
        sticker = {
            "file_id": "sticker1", "file_unique_id": "s1", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False,
        }  # fmt: skip
        return await self.send_message(user_id, sticker=sticker)

    async def send_photo(self, user_id: int, caption: str | None = None) -> int:
        photo = [{"file_id": "photo1", "file_unique_id": "p1", "width": 90, "height": 90}]
        return await self.send_message(user_id, photo=photo, **({"caption": caption} if caption else {}))

    async def send_forwarded(self, user_id: int, text: str) -> int:
        origin = {"type": "hidden_user", "sender_user_name": "HR", "date": int(time.time()) - 3600}
        return await self.send_message(user_id, text=text, forward_origin=origin)

    async def press(self, user_id: int, message: Sent, callback_data: str) -> str:
        """Press an inline button of a bot message (as it is now, or as it was: old buttons too)."""
        query_id = str(next(self._callback_ids))
        self.callback_answers[query_id] = None
        current = self.messages.get((message.chat_id, message.message_id))
        if current is None:  # deleted: Telegram still delivers presses on a stale client
            current = self._message_dict(message.chat_id, message.message_id, text=message.plain or "…")
        query = {
            "id": query_id,
            "from": self.users[user_id],
            "message": current,
            "chat_instance": str(user_id),
            "data": callback_data,
        }
        await self.push_update({"callback_query": query})
        return query_id

    # failure injection -----------------------------------------------------------

    def fail(self, method: str, *, status: int = 429, retry_after: int | None = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` fail with ``status`` (429 carries retry_after)."""
        self._failures.setdefault(method.lower(), []).extend([(status, retry_after)] * times)

    def delay(self, method: str, seconds: float, *, chat_id: int | None = None) -> None:
        """Answer ``method`` only after ``seconds`` (a slow Telegram); with ``chat_id``, only its
        calls for that chat. A client gone meanwhile (killed) gets nothing done: the request
        never completed."""
        self._delays[method.lower() if chat_id is None else f"{method.lower()}:{chat_id}"] = seconds

    def block(self, user_id: int) -> None:
        """The user blocked the bot: every send to them gets 403."""
        self.blocked.add(user_id)

    # waiting -----------------------------------------------------------------------

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
        async def wait() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    # Woken by any API call; the short timeout also catches changes made elsewhere
                    # (the database, the model holder).
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), 0.05)
                return result

        try:
            return await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"timed out after {timeout}s; bot sent: {[(s.method, s.plain[:80]) for s in self.sent]}; "
                f"errors: {self.errors}"
            ) from None

    def outbox(self, chat_id: int, *, methods: tuple[str, ...] = ("sendMessage", "sendPhoto")) -> list[Sent]:
        return [s for s in self._sent_by_chat.get(chat_id, ()) if s.method in methods]

    async def wait_messages(self, chat_id: int, count: int, timeout: float = 15.0) -> list[Sent]:
        """Wait until the bot has sent at least ``count`` messages/photos to the chat; all of them."""
        await self.wait_until(lambda: len(self.outbox(chat_id)) >= count, timeout)
        return self.outbox(chat_id)

    async def wait_new(self, chat_id: int, after: int, count: int = 1, timeout: float = 15.0) -> list[Sent]:
        """The messages after the first ``after``, once there are ``count`` of them."""
        messages = await self.wait_messages(chat_id, after + count, timeout)
        return messages[after:]

    async def wait_edit(self, chat_id: int, after: int, timeout: float = 15.0) -> Sent:
        """The first edit in the chat beyond the first ``after`` edits."""
        edits = ("editMessageText", "editMessageReplyMarkup")
        await self.wait_until(lambda: len(self.outbox(chat_id, methods=edits)) > after, timeout)
        return self.outbox(chat_id, methods=edits)[after]

    async def wait_callback_answer(self, query_id: str, timeout: float = 15.0) -> dict[str, Any]:
        return await self.wait_until(lambda: self.callback_answers.get(query_id), timeout)  # type: ignore[no-any-return]

    def all_pending_updates_taken(self) -> bool:
        return not self.updates

    # the API -----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(request.match_info["method"], 401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await self._read_params(request)
        self.calls.append((method, params))
        await self._notify()  # tests may wait for a call (the first getUpdates) itself
        failures = self._failures.get(method.lower())
        if failures:
            status, retry_after = failures.pop(0)
            description = (
                f"Too Many Requests: retry after {retry_after}" if status == 429 else "Injected error"
            )
            extra = {"parameters": {"retry_after": retry_after}} if status == 429 and retry_after else {}
            return self._error(method, status, description, **extra)
        pause = self._delays.get(
            f"{method.lower()}:{params.get('chat_id')}", self._delays.get(method.lower())
        )
        if pause:
            self.delayed[method.lower()] += 1
            await self._notify()  # a test may act while the call is under way (kill its client)
            try:
                await asyncio.sleep(pause)
            finally:
                self.delayed[method.lower()] -= 1
            if request.transport is None or request.transport.is_closing():
                return self._error(method, 499, "client closed the request")
        handler = getattr(self, f"_api_{method[0].lower()}{method[1:]}", None)
        if handler is None:
            return self._error(method, 404, f"Not Found: method {method} is not implemented by the fake")
        try:
            result = await handler(params, files)
        except TelegramRuleError as exc:
            return self._error(method, 400, f"Bad Request: {exc}")
        except _Forbidden as exc:
            return self._error(method, 403, str(exc))
        except _Conflict as exc:
            return self._error(method, 409, str(exc))
        await self._notify()
        return web.json_response({"ok": True, "result": result})

    def _error(self, method: str, status: int, description: str, **extra: Any) -> web.Response:
        self.errors.append((method, status, description))
        body = {"ok": False, "error_code": status, "description": description, **extra}
        return web.json_response(body, status=status)

    @staticmethod
    async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params = await request.json()
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = value.file.read()
                else:
                    params[key] = value
        for key in ("reply_markup", "commands", "allowed_updates", "link_preview_options"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params, files

    def _target_chat(self, params: dict[str, Any]) -> int:
        try:
            chat_id = int(params.get("chat_id", ""))
        except ValueError:
            raise TelegramRuleError("chat not found") from None
        if chat_id not in self.users:
            raise TelegramRuleError("chat not found")
        if chat_id in self.blocked:
            raise _Forbidden("Forbidden: bot was blocked by the user")
        return chat_id

    def _message_dict(self, chat_id: int, message_id: int, **content: Any) -> dict[str, Any]:
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self.bot_user,
            **content,
        }

    def _record(self, sent: Sent, message: dict[str, Any]) -> dict[str, Any]:
        self.sent.append(sent)
        self._sent_by_chat.setdefault(sent.chat_id, []).append(sent)
        self.messages[(sent.chat_id, sent.message_id)] = message
        return message

    async def _api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self.bot_user

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if self.webhook.get("url"):
            raise _Conflict("Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        # As Telegram: a newer getUpdates ends the one still waiting with 409 Conflict.
        self._poll_generation += 1
        mine = self._poll_generation
        await self._notify()
        if not self.updates and timeout > 0 and not self._closing:
            try:
                async with self._changed:
                    await asyncio.wait_for(
                        self._changed.wait_for(
                            lambda: bool(self.updates) or self._closing or self._poll_generation != mine
                        ),
                        timeout,
                    )
            except TimeoutError:
                pass
            if self._poll_generation != mine:
                self.conflicts += 1
                raise _Conflict(
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running"
                )
        return self.updates[:limit]

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._target_chat(params)
        plain = check_text(params.get("text"), params.get("parse_mode"), TEXT_LIMIT)
        markup = params.get("reply_markup")
        check_markup(markup)
        message_id = next(self._message_ids)
        message = self._message_dict(
            chat_id, message_id, text=plain, **({"reply_markup": markup} if markup else {})
        )
        sent = Sent("sendMessage", chat_id, message_id, params.get("text", ""), plain, markup, params=params)
        return self._record(sent, message)

    async def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._target_chat(params)
        caption = check_text(params.get("caption"), params.get("parse_mode"), CAPTION_LIMIT, allow_empty=True)
        reference = str(params.get("photo", ""))
        data = files.get(reference.removeprefix("attach://")) if reference.startswith("attach://") else None
        if data is None:
            raise TelegramRuleError("wrong file identifier/HTTP URL specified")
        markup = params.get("reply_markup")
        check_markup(markup)
        message_id = next(self._message_ids)
        photo = [
            {"file_id": f"photo{message_id}", "file_unique_id": f"u{message_id}", "width": 800, "height": 600}
        ]
        message = self._message_dict(
            chat_id, message_id, photo=photo, **({"caption": caption} if caption else {})
        )
        sent = Sent(
            "sendPhoto", chat_id, message_id, params.get("caption", ""), caption, markup, data, params
        )
        return self._record(sent, message)

    def _existing(self, params: dict[str, Any]) -> tuple[int, int, dict[str, Any]]:
        chat_id = self._target_chat(params)
        message_id = int(params.get("message_id") or 0)
        message = self.messages.get((chat_id, message_id))
        if message is None:
            raise TelegramRuleError("message to edit not found")
        return chat_id, message_id, message

    async def _api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id, message_id, message = self._existing(params)
        plain = check_text(params.get("text"), params.get("parse_mode"), TEXT_LIMIT)
        markup = params.get("reply_markup")
        check_markup(markup)
        if plain == message.get("text") and markup == message.get("reply_markup"):
            raise TelegramRuleError(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        updated = {k: v for k, v in message.items() if k != "reply_markup"}
        updated["text"] = plain
        if markup:
            updated["reply_markup"] = markup
        sent = Sent(
            "editMessageText", chat_id, message_id, params.get("text", ""), plain, markup, params=params
        )
        return self._record(sent, updated)

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id, message_id, message = self._existing(params)
        markup = params.get("reply_markup")
        check_markup(markup)
        if markup == message.get("reply_markup"):
            raise TelegramRuleError("message is not modified")
        updated = {k: v for k, v in message.items() if k != "reply_markup"}
        if markup:
            updated["reply_markup"] = markup
        plain = str(message.get("text", ""))
        sent = Sent("editMessageReplyMarkup", chat_id, message_id, plain, plain, markup, params=params)
        return self._record(sent, updated)

    async def _api_deleteMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id, message_id, _ = self._existing(params)
        del self.messages[(chat_id, message_id)]
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self.callback_answers or self.callback_answers[query_id] is not None:
            raise TelegramRuleError("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text", ""))) > CALLBACK_ANSWER_LIMIT:
            raise TelegramRuleError("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {"text": params.get("text"), "show_alert": params.get("show_alert")}
        return True

    async def _api_sendChatAction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._target_chat(params)
        self.chat_actions.append((chat_id, str(params.get("action"))))
        return True

    async def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        commands = params.get("commands") or []
        for command in commands:
            if not COMMAND_NAME.match(command.get("command", "")):
                raise TelegramRuleError("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise TelegramRuleError("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[str(params.get("language_code") or "")] = commands
        return True

    async def _api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        url = str(params.get("url") or "")
        if not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
            raise TelegramRuleError("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise TelegramRuleError("bad webhook: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret, "allowed_updates": params.get("allowed_updates")}
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.webhook.get("allowed_updates"):
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = {}
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self.updates = []
        return True


class _Forbidden(Exception):
    pass


class _Conflict(Exception):
    pass
