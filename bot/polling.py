"""Long polling that confirms an update only once it has been handled.

Telegram confirms updates by the ``offset`` of the next getUpdates. aiogram's own loop moves
the offset past each update as soon as it is fetched, so an update in hand when the process
stops is lost. Here the offset moves only past handled updates (below the oldest one still
being handled); an update fetched again while in hand is skipped. On stop nothing more is
fetched, the updates in hand get ``grace`` seconds to finish, what is left is cancelled (no
apology is sent for it), and one last getUpdates confirms what finished: Telegram re-delivers
the rest to the next process. An update cut by the shutdown holds the offset back, so one
handled after it is delivered again too: with Redis its "done" mark skips it
(``UpdateDedupe``); without, the stopping poller records its id in the database
(``HandledUpdates``) and the next one skips it, forgetting the row once its offset is confirmed.

409 Conflict means another process polls the same token (Telegram ends the older of two
concurrent getUpdates). A poller starts on probation, fetching but handling nothing, until a
long poll comes back empty with no conflict or ``probation`` seconds pass without one. A
conflict on probation means someone was here first: ``AnotherPoller``, one line, exit. A
conflict after it means a newcomer: poll again at once (which ends the newcomer's request, so
it sees the conflict and leaves) and say so once a minute at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramConflictError, TelegramUnauthorizedError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.types import Update
from redis.exceptions import RedisError

from bot.shared_state import Claim, UpdateDedupe
from bot.storage.handled_updates import HandledUpdates

logger = logging.getLogger(__name__)

DEFAULT_PROBATION_SECONDS = 2.0
# While updates are in hand getUpdates returns them again at once (they are unconfirmed):
# poll for new ones at this pace rather than in a tight loop.
BUSY_POLL_SECONDS = 0.25
FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0
CONFLICT_LOG_EVERY_SECONDS = 60.0
CONFLICT_REPOLL_SECONDS = 0.5
# After the grace period, how long cancelled handlers get to unwind (release locks, roll back).
CANCEL_UNWIND_SECONDS = 2.0


class AnotherPoller(Exception):
    """Another process is polling this bot's token; this one leaves it alone."""

    def __init__(self) -> None:
        super().__init__(
            "another process is polling this bot (Telegram answered 409 Conflict); "
            "stop it or use one process per token"
        )


class Poller:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        *,
        grace: float,
        polling_timeout: int = 30,
        probation: float = DEFAULT_PROBATION_SECONDS,
        dedupe: UpdateDedupe | None = None,
        handled: HandledUpdates | None = None,
        allowed_updates: list[str] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.grace = grace
        self.polling_timeout = polling_timeout
        self.probation = probation
        self.dedupe = dedupe
        self.handled = handled
        self.allowed_updates = allowed_updates
        self.in_hand: dict[int, asyncio.Task[None]] = {}
        self.finished: set[int] = set()  # handled, not yet confirmed to Telegram
        self.cut: set[int] = set()  # cancelled by the shutdown: never confirmed, Telegram re-delivers
        self.handled_before: set[int] = set()  # handled by a previous process, not yet confirmed
        self.confirmed = 0  # the offset Telegram last received: everything below is confirmed
        self._tenured_at: float | None = None
        self._last_conflict_log = float("-inf")
        self._failures = 0

    # the loop ------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Poll and handle until ``stop`` is set, then hand back or finish what is in hand."""
        started = time.monotonic()
        self.handled_before = await self._load_handled()
        try:
            while not stop.is_set():
                updates = await self._fetch_or_stop(stop, started)
                if updates is None:
                    break
                fresh = [u for u in updates if not self._known(u.update_id)]
                if self._tenured_at is None:  # on probation: nothing handled, nothing confirmed
                    if updates:
                        await self._pause(stop, ())
                    continue
                for update in fresh:
                    self._start(update)
                if not fresh and self.in_hand:
                    await self._pause(stop, self.in_hand.values())
        finally:
            await self._wind_down()

    async def _fetch_or_stop(self, stop: asyncio.Event, started: float) -> list[Update] | None:
        """One getUpdates (None when stopped meanwhile: the request is dropped, nothing confirmed)."""
        while not stop.is_set():
            offset = self._offset()
            timeout = self._timeout(started)
            fetch = asyncio.ensure_future(self._get_updates(offset, timeout))
            stopping = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopping.cancel()
            if not fetch.done():
                fetch.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await fetch
                return None
            try:
                updates = fetch.result()
            except TelegramConflictError:
                await self._conflict()
                continue
            except TelegramUnauthorizedError:
                raise  # the token was revoked: retrying cannot help
            except TelegramAPIError as exc:  # network, 5xx, a 400 from a proxy: wait and retry
                await self._failed(exc, stop)
                continue
            self._reached()
            self.confirmed = max(self.confirmed, offset)
            self.finished = {uid for uid in self.finished if uid >= offset}
            await self._forget_confirmed()
            self._settle_probation(started, asked=timeout, got=len(updates))
            return updates
        return None

    async def _get_updates(self, offset: int, timeout: int) -> list[Update]:
        method = GetUpdates(offset=offset or None, timeout=timeout, allowed_updates=self.allowed_updates)
        # The request may take the whole long poll: wait that long plus the session's own timeout.
        session_timeout = float(self.bot.session.timeout or 0)
        return await self.bot(method, request_timeout=int(session_timeout + timeout + 1))

    def _known(self, update_id: int) -> bool:
        return update_id in self.in_hand or update_id in self.finished

    def _offset(self) -> int:
        """Everything below the oldest update in hand (or cut) is handled; without one, all that
        finished."""
        if self.in_hand or self.cut:
            return min(self.in_hand.keys() | self.cut)
        if self.finished:
            return max(self.finished) + 1
        return self.confirmed

    def _timeout(self, started: float) -> int:
        if self.in_hand:
            return 0  # answered at once anyway: the updates in hand are unconfirmed
        if self._tenured_at is None:
            return max(1, int(self.probation - (time.monotonic() - started) + 0.999))
        return self.polling_timeout

    async def _pause(self, stop: asyncio.Event, tasks: Iterable[asyncio.Task[None]]) -> None:
        """A short wait before polling again, cut short by a stop or a finished update."""
        stopping = asyncio.ensure_future(stop.wait())
        try:
            waiters = {stopping, *tasks}
            await asyncio.wait(waiters, timeout=BUSY_POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()

    # probation and conflicts ---------------------------------------------------------------

    def _settle_probation(self, started: float, *, asked: int, got: int) -> None:
        if self._tenured_at is not None:
            return
        quiet_long_poll = asked > 0 and got == 0  # waited its time and nobody else asked meanwhile
        if quiet_long_poll or time.monotonic() - started >= self.probation:
            self._tenured_at = time.monotonic()
            logger.info("long polling: this process is the bot's poller")

    async def _conflict(self) -> None:
        if self._tenured_at is None:
            raise AnotherPoller()
        now = time.monotonic()
        if now - self._last_conflict_log >= CONFLICT_LOG_EVERY_SECONDS:
            self._last_conflict_log = now
            logger.warning("another process tried to poll this bot (409 Conflict); this one keeps polling")
        # Polling again soon ends the newcomer's request: it sees the conflict and leaves. Not
        # at once: two tenured pollers (a rare race) would otherwise ping-pong in a tight loop.
        await asyncio.sleep(CONFLICT_REPOLL_SECONDS)

    async def _failed(self, exc: Exception, stop: asyncio.Event) -> None:
        self._failures += 1
        delay = min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** (self._failures - 1))
        if self._failures == 1:
            logger.warning("getUpdates failed (%s); retrying with backoff until it answers", exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)

    def _reached(self) -> None:
        if self._failures:
            logger.info("getUpdates answers again after %d failed attempt(s)", self._failures)
        self._failures = 0

    # handling ----------------------------------------------------------------------------

    def _start(self, update: Update) -> None:
        task = asyncio.create_task(self._handle(update), name=f"update-{update.update_id}")
        self.in_hand[update.update_id] = task

    async def _handle(self, update: Update) -> None:
        update_id = update.update_id
        try:
            if await self._already_handled(update_id):
                logger.info("update %s was already handled before a restart; confirming it", update_id)
                self.finished.add(update_id)
                return
            await self._feed(update)
            self.finished.add(update_id)
        except asyncio.CancelledError:
            logger.info("update %s not finished before shutdown; Telegram will deliver it again", update_id)
            self.cut.add(update_id)
            if self.dedupe is not None:
                with contextlib.suppress(Exception):
                    await asyncio.shield(self.dedupe.release(update_id))
            raise
        except Exception:  # the error handler covers handlers; this is the dispatcher itself
            logger.exception("update %s failed outside its handler", update_id)
            self.finished.add(update_id)  # re-delivering it would fail the same way
        finally:
            self.in_hand.pop(update_id, None)

    async def _already_handled(self, update_id: int) -> bool:
        """An update another process handled (and could not confirm) is skipped: its id is in the
        database (no Redis) or marked done in Redis."""
        if update_id in self.handled_before:
            return True
        if self.dedupe is None:
            return False
        try:
            claim = await self.dedupe.claim(update_id)
        except RedisError as exc:  # handling it twice beats not handling it
            logger.warning("update %s: dedupe unavailable (%s); handling it", update_id, exc)
            return False
        # A claim still "busy" is a predecessor's that died mid-update: ours to handle now.
        return claim is Claim.DONE

    # the handled updates a restart must not answer again (no Redis) -------------------------

    async def _load_handled(self) -> set[int]:
        if self.handled is None:
            return set()
        try:
            return await self.handled.load()
        except Exception as exc:  # a database fault must not keep the bot from starting
            logger.warning("could not read the updates handled before a restart (%s); "
                           "any delivered again will be answered again", exc)  # fmt: skip
            return set()

    async def _forget_confirmed(self) -> None:
        """The previous process's rows below the confirmed offset will not come again."""
        if self.handled is None or not any(uid < self.confirmed for uid in self.handled_before):
            return
        self.handled_before = {uid for uid in self.handled_before if uid >= self.confirmed}
        try:
            await self.handled.forget_below(self.confirmed)
        except Exception as exc:  # bookkeeping: the rows go with the next confirmation or in a day
            logger.warning("could not drop confirmed updates from handled_updates (%s)", exc)

    async def _record_handled(self, update_ids: list[int]) -> bool:
        if self.handled is None:
            return False
        try:
            await self.handled.record(update_ids)
        except Exception as exc:  # a full disk, a lost database: they are answered again
            logger.warning("could not record handled updates %s (%s)", update_ids, exc)
            return False
        return True

    async def _feed(self, update: Update) -> None:
        response = await self.dispatcher.feed_update(self.bot, update)
        if isinstance(response, TelegramMethod):
            await self.dispatcher.silent_call_request(self.bot, response)
        if self.dedupe is not None:
            try:
                await self.dedupe.finish(update.update_id)
            except RedisError as exc:  # only a re-delivery after a restart would repeat it
                logger.warning("update %s handled but not marked done (%s)", update.update_id, exc)

    # stopping --------------------------------------------------------------------------

    async def _wind_down(self) -> None:
        """Let the updates in hand finish within the grace period, cancel the rest, confirm."""
        if self.in_hand:
            count = len(self.in_hand)
            logger.info("stopping: %d update(s) in hand get up to %.0f s to finish", count, self.grace)
            await asyncio.wait(set(self.in_hand.values()), timeout=self.grace)
        unfinished = list(self.in_hand.values())
        for task in unfinished:
            task.cancel()
        if unfinished:
            await asyncio.wait(unfinished, timeout=CANCEL_UNWIND_SECONDS)
        await self._confirm_finished()

    async def _confirm_finished(self) -> None:
        offset = self._offset()
        left = sorted(uid for uid in self.finished if uid >= offset)
        await self._leave_handled(left)
        if offset <= self.confirmed:
            return
        try:
            await self.bot(GetUpdates(offset=offset, timeout=0, limit=1), request_timeout=10)
        except Exception as exc:  # at exit: say what it means and go
            logger.warning(
                "could not confirm handled updates below %s (%s); Telegram will deliver them again",
                offset,
                exc,
            )
            return
        self.confirmed = offset

    async def _leave_handled(self, left: list[int]) -> None:
        """Handled updates behind an unfinished one: Telegram delivers them again to the next
        process, which must skip them (Redis marked them done; without it, the database)."""
        if not left:
            return
        if self.dedupe is not None:
            logger.info("updates %s were handled behind an unfinished one; marked done in Redis", left)
        elif await self._record_handled(left):
            logger.info(
                "updates %s were handled behind an unfinished one; recorded, the next process skips them",
                left,
            )
        else:
            logger.warning(
                "updates %s were handled but follow an unfinished one; Telegram will deliver them again",
                left,
            )
