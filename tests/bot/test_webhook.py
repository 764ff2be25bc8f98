"""Webhook mode in-process: aiogram's request handler behind our dedupe, Redis for shared state,
the fake Telegram POSTing updates with the secret header (as it does in production)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from bot_harness import USER_ID
from databases import REDIS_URL
from fake_telegram import FakeTelegram

from bot.app import BotRuntime, create_runtime, serve_webhook
from bot.config import Settings
from bot.services.model_holder import ModelHolder
from bot.storage.sources import RunCounts, SourceStateRepository

SECRET = "test-secret_0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def webhook_replica(settings: Settings, holder: ModelHolder) -> AsyncIterator[BotRuntime]:
    runtime = await create_runtime(settings, holder=holder)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_webhook(runtime, stop))
    host, port = settings.webhook_host_port
    async with aiohttp.ClientSession() as session:
        for _ in range(200):  # until it listens
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"http://{host}:{port}/healthz") as response:
                    if response.status == 200:
                        break
            await asyncio.sleep(0.05)
    try:
        yield runtime
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=20)


@pytest.fixture
def webhook_settings(make_settings: Callable[..., Settings], redis_prefix: str) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        port = free_port()
        values: dict[str, Any] = {
            "webhook_url": f"http://127.0.0.1:{port}/tg/hook",
            "webhook_listen": f"127.0.0.1:{port}",
            "webhook_secret": SECRET,
            "redis_url": REDIS_URL,
            "redis_prefix": redis_prefix,
            **overrides,
        }
        return make_settings(**values)

    return make


async def test_wrong_secret_is_401_and_health_endpoints(
    tg: FakeTelegram, webhook_settings: Callable[..., Settings], bundle: Any
) -> None:
    settings = webhook_settings()
    async with webhook_replica(settings, ModelHolder(bundle)), aiohttp.ClientSession() as session:
        message = {"message_id": 1, "date": 0, "chat": {"id": USER_ID, "type": "private"},
                   "from": tg.users[USER_ID], "text": "/help"}  # fmt: skip
        update = {"update_id": 1, "message": message}
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with session.post(settings.webhook_url, json=update, headers=headers) as response:
                assert response.status == 401
        base = settings.webhook_url.rsplit("/tg/", 1)[0]
        async with session.get(f"{base}/readyz") as response:
            ready = await response.json()
            assert response.status == 200, ready
        assert ready["database"] == "ok" and ready["redis"] == "ok" and ready["model"] == bundle.version
    assert tg.outbox(USER_ID) == []  # the unauthorized update was never handled


async def test_readyz_reports_each_source_without_failing_on_it(
    tg: FakeTelegram, webhook_settings: Callable[..., Settings], bundle: Any
) -> None:
    settings = webhook_settings()
    async with webhook_replica(settings, ModelHolder(bundle)) as runtime, aiohttp.ClientSession() as session:
        sources = SourceStateRepository(runtime.sessions)
        await sources.run_finished("hh", RunCounts(seen=10, new=7), error=None)
        await sources.run_finished("trudvsem", RunCounts(), error="incomplete: 1 pages failed")
        base = settings.webhook_url.rsplit("/tg/", 1)[0]
        async with session.get(f"{base}/readyz") as response:
            ready = await response.json()
            assert response.status == 200, ready  # a failing collection leaves the replica serving
    assert ready["sources"]["hh"]["ok"] is True and ready["sources"]["hh"]["counts"]["new"] == 7
    assert ready["sources"]["trudvsem"]["ok"] is False
    assert ready["sources"]["trudvsem"]["last_error"] == "incomplete: 1 pages failed"


async def test_readyz_says_no_model(
    tg: FakeTelegram, webhook_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = webhook_settings(model_dir=tmp_path / "none")
    async with webhook_replica(settings, ModelHolder()), aiohttp.ClientSession() as session:
        base = settings.webhook_url.rsplit("/tg/", 1)[0]
        async with session.get(f"{base}/readyz") as response:
            assert response.status == 503
            assert (await response.json())["model"] == "not loaded"


async def test_dialogue_over_webhook_and_a_resent_update_is_handled_once(
    tg: FakeTelegram, webhook_settings: Callable[..., Settings], bundle: Any
) -> None:
    settings = webhook_settings()
    async with webhook_replica(settings, ModelHolder(bundle)):
        tg.webhook = {"url": settings.webhook_url, "secret_token": SECRET}
        tg.start_delivery([settings.webhook_url])
        await tg.send_text(USER_ID, "/start")
        await tg.wait_messages(USER_ID, 1)
        update_id = await tg.send_text(USER_ID, "python, sql")
        (_, city_question) = await tg.wait_messages(USER_ID, 2)
        assert "городе" in city_question.plain
        # Telegram re-sends an update whose answer it never got: handled once, acknowledged again.
        assert await tg.wait_until(lambda: tg.delivered(update_id)) == [(settings.webhook_url, 200)]
        await tg.stop_delivery()
        async with aiohttp.ClientSession() as session:
            message = {"message_id": 5, "date": 0, "chat": {"id": USER_ID, "type": "private"},
                       "from": tg.users[USER_ID], "text": "python, sql"}  # fmt: skip
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with session.post(
                settings.webhook_url, json={"update_id": update_id, "message": message}, headers=headers
            ) as response:
                assert response.status == 200
        await asyncio.sleep(0.3)
        assert len(tg.outbox(USER_ID)) == 2  # no second city question
        with pytest.raises(AssertionError):  # polling is refused while the webhook is set
            await tg.wait_until(lambda: any(m == "getUpdates" for m, _ in tg.calls), timeout=0.5)
    assert not any(m == "deleteWebhook" for m, _ in tg.calls)


async def test_jobrec_webhook_set_info_delete(
    tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from bot_harness import TOKEN

    from recommender.cli import main

    monkeypatch.chdir(tmp_path)
    for name, value in {"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": tg.url, "WEBHOOK_SECRET": SECRET,
                        "WEBHOOK_URL": "https://bot.example.com/tg/hook"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    assert await asyncio.to_thread(main, ["webhook", "set"]) == 0
    assert tg.webhook["url"] == "https://bot.example.com/tg/hook" and tg.webhook["secret_token"] == SECRET
    # Exactly what the routers handle: messages and button presses.
    assert set(tg.webhook["allowed_updates"]) == {"message", "callback_query"}
    assert await asyncio.to_thread(main, ["webhook", "info"]) == 0
    assert "https://bot.example.com/tg/hook" in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["webhook", "delete"]) == 0
    assert tg.webhook == {}


@pytest.fixture(params=["memory", "redis"])
async def dedupe_pair(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Any, Any]]:
    """Two replicas' dedupes on one store (Redis), or one process's twice over its memory."""
    from redis.asyncio import Redis

    from bot.shared_state import UpdateDedupe

    if request.param == "memory":
        one = UpdateDedupe(None, prefix="t", bot_id=1, lease=0.3)
        yield one, one
        return
    prefix = request.getfixturevalue("redis_prefix")
    clients = [Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)]
    try:
        yield tuple(UpdateDedupe(c, prefix=prefix, bot_id=1, lease=0.3) for c in clients)  # type: ignore[misc]
    finally:
        for client in clients:
            await client.aclose()


async def test_a_working_replica_keeps_its_claim_and_a_dead_one_loses_it(
    dedupe_pair: tuple[Any, Any],
) -> None:
    from bot.shared_state import Claim

    first, second = dedupe_pair
    assert await first.claim(7) is Claim.MINE
    async with first.holding(7):
        await asyncio.sleep(0.9)  # three leases long: renewed, still this replica's
        assert await second.claim(7) is Claim.BUSY
    await first.finish(7)
    assert await second.claim(7) is Claim.DONE
    assert await first.claim(8) is Claim.MINE  # then the replica dies: nothing renews the claim
    await asyncio.sleep(0.45)
    assert await second.claim(8) is Claim.MINE
