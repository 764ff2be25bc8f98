"""`jobrec bot --webhook`: updates arrive as HTTPS POSTs from Telegram (through a reverse proxy).

aiogram's ``SimpleRequestHandler`` checks the secret header (401 otherwise) and feeds the
dispatcher; ``setup_application`` runs its start-up and shutdown. Updates are handled before
the answer (not in the background): a replica that dies mid-update never said 200, so Telegram
re-sends the update and another replica takes it. Re-sends of an update already handled are
acknowledged and dropped (``UpdateDedupe``). ``/healthz`` says the process is alive,
``/readyz`` that it can serve: database, Redis and a model.

Replicas never call ``deleteWebhook`` or ``setWebhook``: ``jobrec webhook set`` registers the
URL once per deployment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.collector.status import report_json
from bot.handlers import build_root_router
from bot.shared_state import Claim, UpdateDedupe, redis_ready
from bot.storage import database_ready
from bot.storage.sources import SourceStateRepository

if TYPE_CHECKING:
    from bot.app import BotRuntime

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class DedupedRequestHandler(SimpleRequestHandler):
    """``SimpleRequestHandler`` that handles each update_id once across replicas."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, dedupe: UpdateDedupe, **kwargs: Any) -> None:
        super().__init__(dispatcher, bot, handle_in_background=False, **kwargs)
        self.dedupe = dedupe

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
                response = await super().handle(request)
        except BaseException:
            await asyncio.shield(self.dedupe.release(update_id))
            raise
        await self.dedupe.finish(update_id)
        return response

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


def build_app(runtime: BotRuntime) -> web.Application:
    settings = runtime.settings
    if not settings.webhook_url:
        raise ValueError("WEBHOOK_URL is not set")
    app = web.Application()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    handler = DedupedRequestHandler(runtime.dispatcher, runtime.bot, runtime.dedupe, secret_token=secret)
    handler.register(app, path=webhook_path(settings.webhook_url))
    setup_application(app, runtime.dispatcher, bot=runtime.bot)

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
    stop = stop or _stop_on_signals()
    host, port = runtime.settings.webhook_host_port
    runner = web.AppRunner(build_app(runtime), access_log=None, shutdown_timeout=5)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    logger.info("webhook: serving %s on %s:%d", webhook_path(runtime.settings.webhook_url or ""), host, port)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


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
