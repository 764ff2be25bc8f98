"""The digest tick: send each due subscriber the new vacancies that fit them, once per period.

Telegram allows about 30 messages per second overall and one per second per chat; we pace
at ``messages_per_second`` (25 by default) with the same rate limiter as the hh.ru client,
wait out a 429's retry_after, and unsubscribe users who blocked the bot (403).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter

from bot.collector.clock import Clock, SystemClock
from bot.collector.throttle import RateLimiter
from bot.services.digest_ranking import DigestItem, FreshVacancy, prepare, rank
from bot.services.formatting import esc, fit, vacancy_block
from bot.services.model_holder import ModelHolder
from bot.storage.digests import DigestRepository, Subscriber
from bot.storage.vacancies import VacancyRepository

logger = logging.getLogger(__name__)

DIGEST_SIZE = 5
MAX_FRESH = 5000  # vacancies considered in one tick
MAX_SEND_ATTEMPTS = 3
HEADERS = {
    "ru": "Новые вакансии по вашим навыкам ({skills}):",
    "en": "New vacancies for your skills ({skills}):",
}


class MessageSender(Protocol):
    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any: ...


class UserDeactivator(Protocol):
    async def mark_inactive(self, user_id: int) -> None: ...


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


def digest_text(lang: str, subscriber: Subscriber, items: Sequence[DigestItem], display: Any) -> str:
    header = HEADERS.get(lang, HEADERS["ru"]).format(skills=esc(subscriber.query[:200]))
    blocks = [header] + [vacancy_block(lang, n, item, display) for n, item in enumerate(items, start=1)]
    return fit("\n\n".join(blocks))


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
    ) -> None:
        self.sender = sender
        self.holder = holder
        self.digests = digests
        self.vacancies = vacancies
        self.users = users
        self.clock = clock or SystemClock()
        self.limiter = RateLimiter(messages_per_second, self.clock)
        self._last_sent_to: dict[int, float] = {}

    async def tick(self) -> DigestRunStats:
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
        fresh = await self._fresh(bundle, due)
        stats.fresh = len(fresh)
        for subscriber in due:
            await self._serve(bundle, subscriber, fresh, stats)
        logger.info(
            "digest: %d due, %d sent, %d with nothing new, %d blocked, %d failed",
            stats.due, stats.sent, stats.nothing_new, stats.blocked, stats.failed,
        )  # fmt: skip
        return stats

    async def _fresh(self, bundle: Any, due: Sequence[Subscriber]) -> list[FreshVacancy]:
        """Vacancies past the oldest cursor among the due users, parsed once in a thread.

        Oldest first and at most MAX_FRESH: a bigger backlog is worked off over later ticks.
        """
        if any(s.cursor_at is None for s in due):
            since, after = None, None
        else:
            since, after = min((s.cursor_at, s.cursor_id or "") for s in due)
        rows = await self.vacancies.new_since(since, after, limit=MAX_FRESH)
        pairs = [(row.raw_json, row.first_seen_at) for row in rows]
        return await asyncio.to_thread(prepare, bundle, pairs)

    async def _serve(
        self, bundle: Any, subscriber: Subscriber, fresh: Sequence[FreshVacancy], stats: DigestRunStats
    ) -> None:
        mine = [item for item in fresh if _after(item, subscriber)]
        if not mine:
            stats.nothing_new += 1
            return
        cursor_at, cursor_id = max(item.cursor for item in mine)
        items = await asyncio.to_thread(
            rank, bundle, subscriber.query, mine,
            city_id=subscriber.city_id, experience=subscriber.experience, k=DIGEST_SIZE,
        )  # fmt: skip
        if not items:
            stats.nothing_new += 1
            await self.digests.advance_cursor(subscriber.user_id, cursor_at, cursor_id)
            return
        display = getattr(bundle.vocabulary, "display", str)
        text = digest_text(subscriber.language, subscriber, items, display)
        outcome = await self._send(subscriber.user_id, text, stats)
        if outcome == "sent":
            # Written as this message goes out: a crash later in the run neither repeats nor skips this user.
            await self.digests.mark_sent(subscriber.user_id, self.clock.now(), cursor_at, cursor_id)
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
        self._last_sent_to[chat_id] = self.clock.monotonic()


def _after(item: FreshVacancy, subscriber: Subscriber) -> bool:
    if subscriber.cursor_at is None:
        return True
    return item.cursor > (subscriber.cursor_at, subscriber.cursor_id or "")
