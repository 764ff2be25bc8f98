"""`jobrec bot --webhook`: updates arrive as HTTPS POSTs from Telegram (through a reverse proxy).

aiogram's ``SimpleRequestHandler`` checks the secret header (401 otherwise) and feeds the
dispatcher. Updates are handled before the answer (not in the background): a replica that
dies mid-update never said 200, so Telegram re-sends the update and another replica takes it.
Re-sends of an update already handled are acknowledged and dropped (``UpdateDedupe``). On
SIGTERM a replica stops accepting, lets the requests in hand finish within
SHUTDOWN_GRACE_SECONDS and answers 503 for any still running (Telegram re-sends them).
``/healthz`` says the process is alive, ``/readyz`` that it can serve: database, Redis and a
model.

Replicas never call ``deleteWebhook`` or ``setWebhook``: ``jobrec webhook set`` registers the
URL once per deployment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.collector.status import report_json
from bot.handlers import build_root_router
from bot.shared_state import Claim, UpdateDedupe, redis_ready
from bot.shutdown import stop_on_signals
from bot.storage import database_ready
from bot.storage.sources import SourceStateRepository

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# The share of the grace period an update in hand may use before it is cut and answered 503,
# leaving the rest for the answer to be written before aiohttp closes the connections.
ANSWER_BY_SHARE_OF_GRACE = 0.8


class DedupedRequestHandler(SimpleRequestHandler):
    """``SimpleRequestHandler`` that handles each update_id once across replicas."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        dedupe: UpdateDedupe,
        out_of_time: asyncio.Event | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(dispatcher, bot, handle_in_background=False, **kwargs)
        self.dedupe = dedupe
        # Set when a shutdown's grace period is about to end: updates still in hand stop
        # and answer 503, so Telegram sends them again (to another replica, or this one restarted).
        self.out_of_time = out_of_time or asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        if not self.verify_secret(request.headers.get(SECRET_HEADER, ""), self.bot):
            return web.Response(body="Unauthorized", status=401)
        try:
            update_id = int((await request.json())["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.Response(body="Bad Request: not an update", status=400)
        claim = await self.dedupe.claim(update_id)
        if claim is Claim.DONE:
            logger.info("update %s was already handled; acknowledging the re-send", update_id)
            return web.json_response({})
        if claim is Claim.BUSY:
            # Another replica is on it; a non-2xx makes Telegram re-send later, when that one
            # has finished (then DONE) or died (its lease expired, then MINE).
            return web.Response(body="Busy: another replica is handling this update", status=503)
        try:
            async with self.dedupe.holding(update_id):
                response = await self._unless_out_of_time(super().handle(request))
        except BaseException:
            await asyncio.shield(self.dedupe.release(update_id))
            raise
        if response is None:
            await asyncio.shield(self.dedupe.release(update_id))
            logger.info(
                "update %s not finished before shutdown; answering 503 so Telegram re-sends it", update_id
            )
            return web.Response(body="Shutting down: send this update again", status=503)
        await self.dedupe.finish(update_id)
        return response

    async def _unless_out_of_time(self, handling: Awaitable[web.Response]) -> web.Response | None:
        """The handler's response, or None when the grace period ran out first (it is cancelled)."""
        work = asyncio.ensure_future(handling)
        late = asyncio.ensure_future(self.out_of_time.wait())
        try:
            await asyncio.wait({work, late}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            late.cancel()
            if not work.done():
                work.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await work
        return None if work.cancelled() else work.result()

    async def close(self) -> None:
        """The runtime closes the bot session (``bot.app.close``), after the jobs that use it."""


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


async def readiness(runtime: BotRuntime) -> dict[str, Any]:
    database, database_note = await database_ready(runtime.engine)
    redis, redis_note = await redis_ready(runtime.redis)
    model = runtime.holder.current is not None
    # Each source's last collection, to see; a failing one leaves the replica ready to answer.
    sources = await SourceStateRepository(runtime.sessions).reports() if database else []
    return {
        "ready": database and redis and model,
        "database": database_note,
        "redis": redis_note,
        "model": runtime.holder.version if model else "not loaded",
        "sources": {report.source: report_json(report) for report in sources},
    }


def build_app(runtime: BotRuntime, out_of_time: asyncio.Event | None = None) -> web.Application:
    settings = runtime.settings
    if not settings.webhook_url:
        raise ValueError("WEBHOOK_URL is not set")
    app = web.Application()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    handler = DedupedRequestHandler(
        runtime.dispatcher, runtime.bot, runtime.dedupe, out_of_time, secret_token=secret
    )
    handler.register(app, path=webhook_path(settings.webhook_url))
    # Not aiogram's setup_application: its shutdown hook runs before aiohttp waits for the
    # requests in hand and closes the FSM storage (the Redis client) under them. The
    # dispatcher starts here and shuts down in ``bot.app.close``, after the last request.
    dispatcher = runtime.dispatcher

    async def on_startup(app: web.Application) -> None:
        await dispatcher.emit_startup(bot=runtime.bot, **dispatcher.workflow_data)

    app.on_startup.append(on_startup)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"alive": True})

    async def readyz(request: web.Request) -> web.Response:
        report = await readiness(runtime)
        return web.json_response(report, status=200 if report["ready"] else 503)

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    return app


async def serve_webhook(runtime: BotRuntime, stop: asyncio.Event | None = None) -> None:
    """Serve on WEBHOOK_LISTEN until ``stop`` is set (by SIGINT/SIGTERM when not given)."""
    stop = stop or stop_on_signals()
    host, port = runtime.settings.webhook_host_port
    # On stop aiohttp closes the listening socket and waits for the requests in hand; shortly
    # before the grace period ends those still running answer 503 (Telegram re-sends them).
    grace = runtime.settings.shutdown_grace_seconds
    out_of_time = asyncio.Event()
    app = build_app(runtime, out_of_time)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=grace)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    logger.info("webhook: serving %s on %s:%d", webhook_path(runtime.settings.webhook_url or ""), host, port)
    try:
        await stop.wait()
    finally:
        cut = asyncio.get_running_loop().call_later(grace * ANSWER_BY_SHARE_OF_GRACE, out_of_time.set)
        try:
            await runner.cleanup()
        finally:
            cut.cancel()


# jobrec webhook set|delete|info ----------------------------------------------------


def used_update_types(admin_ids: frozenset[int]) -> list[str]:
    """The update types the routers handle: what Telegram should send, nothing filtered out."""
    dispatcher = Dispatcher()
    dispatcher.include_router(build_root_router(admin_ids))
    return dispatcher.resolve_used_update_types()


async def set_webhook(bot: Bot, url: str, secret: str | None, updates: list[str]) -> None:
    await bot.set_webhook(url, secret_token=secret, allowed_updates=updates, drop_pending_updates=False)


async def webhook_info(bot: Bot) -> dict[str, Any]:
    info = await bot.get_webhook_info()
    return info.model_dump(exclude_none=True, mode="json")
