"""The digest tick: send each due subscriber the new vacancies that fit them, once per period.

Telegram allows about 30 messages per second overall and one per second per chat; we pace
at ``messages_per_second`` (25 by default) with the same rate limiter as the hh.ru client,
and, given the deployment's count of sent messages (``SentMessages``), send a digest only while
this second's messages from every process (the replicas' answers too) are under that rate.
We wait out a 429's retry_after and unsubscribe users who blocked the bot (403).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter

from bot.collector.clock import Clock, SystemClock
from bot.collector.throttle import RateLimiter
from bot.services.digests import DIGEST_SIZE, FreshBatch, compose, load_batch
from bot.services.model_holder import ModelHolder
from bot.shared_state import SentMessages
from bot.storage.digests import DigestRepository, Subscriber
from bot.storage.vacancies import VacancyRepository

logger = logging.getLogger(__name__)

__all__ = ["DIGEST_SIZE", "DigestJob", "DigestRunStats"]
MAX_SEND_ATTEMPTS = 3
MAX_FULL_SECONDS = 10  # seconds a message waits for room in a busy deployment before it goes anyway


class MessageSender(Protocol):
    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any: ...


class UserDeactivator(Protocol):
    async def mark_inactive(self, user_id: int) -> None: ...

    async def hidden_by_user(self, user_ids: Sequence[int]) -> dict[int, set[str]]: ...


@dataclass
class DigestRunStats:
    due: int = 0
    sent: int = 0
    nothing_new: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    fresh: int = 0
    sent_to: list[int] = field(default_factory=list)
    stopped: bool = False  # the shutdown came before every due user was served

    def summary(self) -> str:
        return (
            f"{self.due} due, {self.sent} sent, {self.nothing_new} with nothing new, "
            f"{self.blocked} blocked, {self.failed} failed"
        )


class DigestJob:
    def __init__(
        self,
        sender: MessageSender,
        holder: ModelHolder,
        digests: DigestRepository,
        vacancies: VacancyRepository,
        users: UserDeactivator,
        *,
        messages_per_second: float = 25.0,
        clock: Clock | None = None,
        sent: SentMessages | None = None,
    ) -> None:
        self.sender = sender
        self.holder = holder
        self.digests = digests
        self.vacancies = vacancies
        self.users = users
        self.clock = clock or SystemClock()
        self.limiter = RateLimiter(messages_per_second, self.clock)
        self.messages_per_second = messages_per_second
        self.sent = sent
        self._last_sent_to: dict[int, float] = {}

    async def tick(self, stop: asyncio.Event | None = None) -> DigestRunStats:
        """Serve the due subscribers; with ``stop`` set, stop before the next one (a safe point:
        each user's digest is marked sent as it goes out)."""
        stats = DigestRunStats()
        bundle = self.holder.current
        if bundle is None:
            logger.info("digest: no model yet, skipping")
            return stats
        now = self.clock.now()
        due = await self.digests.due(now)
        stats.due = len(due)
        if not due:
            return stats
        batch = await load_batch(bundle, self.vacancies, due)
        stats.fresh = len(batch.cursors)
        hidden = await self.users.hidden_by_user([s.user_id for s in due])
        for subscriber in due:
            if stop is not None and stop.is_set():
                stats.stopped = True
                break
            await self._serve(batch, subscriber, hidden.get(subscriber.user_id, set()), stats)
        logger.info("digest: %s", stats.summary())
        return stats

    async def _serve(
        self, batch: FreshBatch, subscriber: Subscriber, hidden: Collection[str], stats: DigestRunStats
    ) -> None:
        plan = await asyncio.to_thread(compose, batch, subscriber, hidden, self.clock.now().date())
        if plan.cursor is None:
            stats.nothing_new += 1
            return
        cursor_at, cursor_key = plan.cursor
        if plan.text is None:
            stats.nothing_new += 1
            await self.digests.advance_cursor(subscriber.user_id, cursor_at, cursor_key)
            return
        outcome = await self._send(subscriber.user_id, plan.text, stats)
        if outcome == "sent":
            # Written as this message goes out: a crash later in the run neither repeats nor skips this user.
            await self.digests.mark_sent(subscriber.user_id, self.clock.now(), cursor_at, cursor_key)
            stats.sent += 1
            stats.sent_to.append(subscriber.user_id)
        elif outcome == "blocked":
            await self.users.mark_inactive(subscriber.user_id)
            stats.blocked += 1
        else:
            stats.failed += 1

    async def _send(self, chat_id: int, text: str, stats: DigestRunStats) -> str:
        for _ in range(MAX_SEND_ATTEMPTS):
            await self._pace(chat_id)
            try:
                await self.sender.send_message(
                    chat_id, text, parse_mode="HTML", disable_web_page_preview=True
                )
                return "sent"
            except TelegramRetryAfter as exc:
                stats.retried += 1
                logger.info("digest: 429 for chat %s, waiting %ss", chat_id, exc.retry_after)
                self.limiter.pause_until(float(exc.retry_after))
                await self.clock.sleep(float(exc.retry_after))
            except TelegramForbiddenError:
                logger.info("digest: user %s blocked the bot, unsubscribing", chat_id)
                return "blocked"
            except TelegramBadRequest as exc:
                logger.warning("digest: chat %s refused the message: %s", chat_id, exc)
                return "failed"
        return "failed"

    async def _pace(self, chat_id: int) -> None:
        """The global rate, and at least a second between two messages to the same chat."""
        last = self._last_sent_to.get(chat_id)
        if last is not None:
            wait = 1.0 - (self.clock.monotonic() - last)
            if wait > 0:
                await self.clock.sleep(wait)
        await self.limiter.acquire()
        await self._room_in_deployment()
        self._last_sent_to[chat_id] = self.clock.monotonic()

    async def _room_in_deployment(self) -> None:
        """Wait for the next second while this one's messages, from every process, fill the rate."""
        if self.sent is None:
            return
        for _ in range(MAX_FULL_SECONDS):
            now = self.clock.now().timestamp()
            if await self.sent.in_second(now) < self.messages_per_second:
                return
            await self.clock.sleep(math.floor(now) + 1 - now)
