"""Hostile cases: SIGTERM to a real `jobrec bot` (long polling) at several points of an answer.

Each row: what was done, what must hold. Every message must be answered exactly once across the
restart, with no false apology, and the process must exit within the grace period
(SHUTDOWN_GRACE_SECONDS plus the time to close its connections). SQLite and PostgreSQL.

Long polling without Redis, a handled update behind a cut one: a /help whose answer Telegram
takes 8 s to accept, then a /help from another user answered at once; SIGTERM with a 1 s grace
-> exit within the grace; the cut update holds the offset back, so both are delivered again;
the finished one is recorded in ``handled_updates`` and the restarted bot skips it: each user
answered exactly once, and the row is gone once its offset is confirmed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bot_process import WEBHOOK_SECRET, BotProcess, free_port
from databases import REDIS_URL, scalar
from fake_telegram import FakeTelegram

from bot.texts import t

pytestmark = pytest.mark.timeout(300)

APOLOGY = t("ru", "error").split(".")[0]  # "Извините, что-то пошло не так"
HELP_USERS = (3001, 3002, 3003)
SKILLS_USER = 3004
# Closing the database, Redis and HTTP sessions after the grace period.
EXIT_MARGIN_SECONDS = 5.0


@dataclass(frozen=True)
class Case:
    id: str
    done: str  # what was done
    holds: str  # what must hold
    grace: float
    send_delay: float  # how long the fake Telegram takes to accept a sendMessage
    sigterm_at: str  # "sending": while answers are being sent; "queued": before the bot fetched them
    left_for_restart: bool  # an update the first process could not finish, handled by the next


CASES = [
    Case(
        "slow-telegram",
        "4 messages (3 /help, one `/skills python, django, sql`); SIGTERM while their answers wait "
        "on a slow Telegram (sendMessage takes 2 s); grace 10 s",
        "all 4 answered once by the first process, skills saved, nothing re-delivered, no apology; "
        "exit within the grace",
        grace=10,
        send_delay=2.0,
        sigterm_at="sending",
        left_for_restart=False,
    ),
    Case(
        "longer-than-grace",
        "the same 4 messages; every sendMessage takes 6 s, the grace is 1 s",
        "exit within the grace; the unfinished updates are not confirmed, so after a restart each "
        "message is answered exactly once, skills saved, no apology",
        grace=1,
        send_delay=6.0,
        sigterm_at="sending",
        left_for_restart=True,
    ),
    Case(
        "not-yet-fetched",
        "SIGTERM as the 4 messages arrive, before the bot could have fetched them all",
        "each answered exactly once, before or after the restart",
        grace=10,
        send_delay=0.0,
        sigterm_at="queued",
        left_for_restart=False,
    ),
]


def answers(tg: FakeTelegram, user_id: int) -> list[str]:
    return [sent.plain for sent in tg.outbox(user_id)]


async def send_all(tg: FakeTelegram) -> None:
    for user_id in (*HELP_USERS, SKILLS_USER):
        tg.add_user(user_id)
    for user_id in HELP_USERS:
        await tg.send_text(user_id, "/help")
    await tg.send_text(SKILLS_USER, "/skills python, django, sql")


def answered_once(tg: FakeTelegram) -> Callable[[], bool]:
    return lambda: all(len(tg.outbox(u)) >= 1 for u in (*HELP_USERS, SKILLS_USER))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
async def test_sigterm_during_an_answer(
    case: Case, tg: FakeTelegram, database_url: str, bundle_dir: Path, tmp_path: Path
) -> None:
    bot = BotProcess(tg, tmp_path, database_url, bundle_dir, env={"SHUTDOWN_GRACE_SECONDS": str(case.grace)})
    await bot.start()
    try:
        tg.delay("sendMessage", case.send_delay)
        await send_all(tg)
        if case.sigterm_at == "sending":
            await tg.wait_until(lambda: tg.delayed["sendmessage"] >= 1, timeout=30)
        code, seconds = await bot.terminate()
        assert code == 0, bot.output()[-3000:]
        assert seconds <= case.grace + EXIT_MARGIN_SECONDS, f"exit: {seconds:.1f} s\n{bot.output()[-4000:]}"
        pending = [u["update_id"] for u in tg.updates]
        assert bool(pending) == case.left_for_restart or case.sigterm_at == "queued", pending

        tg.delay("sendMessage", 0)
        await bot.start()  # the restart; its warm-up /help comes after what was left
        await tg.wait_until(answered_once(tg), timeout=60)
        await tg.wait_until(tg.all_pending_updates_taken, timeout=30)
        await bot.warm_up()  # one more round trip: anything re-delivered would have been answered by now
        before = len(tg.outbox(SKILLS_USER))
        await tg.send_text(SKILLS_USER, "/skills")
        (stored,) = await tg.wait_new(SKILLS_USER, before)
    finally:
        await bot.kill()
    for user_id in HELP_USERS:
        (only,) = answers(tg, user_id)
        assert "/skills" in only
    first, _ = answers(tg, SKILLS_USER)
    assert t("ru", "skills_updated") in first
    assert all(s in stored.plain.lower() for s in ("python", "django", "sql")), stored.plain
    assert not any(APOLOGY in sent.plain for sent in tg.sent)
    log = bot.output()
    assert "Traceback" not in log, log[-3000:]
    assert "SIGTERM received: stopping" in log


async def test_sigterm_when_idle_exits_at_once(tg: FakeTelegram, bundle_dir: Path, tmp_path: Path) -> None:
    """Row: SIGTERM to a bot waiting in a long poll. Holds: exit 0 within a few seconds, the long
    poll dropped (nothing confirmed that was not handled)."""
    bot = BotProcess(tg, tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'jobrec.db'}", bundle_dir)
    await bot.start()
    try:
        await asyncio.sleep(0.5)
        code, seconds = await bot.terminate()
    finally:
        await bot.kill()
    assert code == 0 and seconds <= EXIT_MARGIN_SECONDS, (code, seconds, bot.output()[-2000:])


async def test_a_handled_update_behind_a_cut_one_is_skipped_without_redis(
    tg: FakeTelegram, database_url: str, bundle_dir: Path, tmp_path: Path
) -> None:
    slow, fast = HELP_USERS[0], HELP_USERS[1]
    bot = BotProcess(tg, tmp_path, database_url, bundle_dir, env={"SHUTDOWN_GRACE_SECONDS": "1"})
    await bot.start()
    try:
        tg.add_user(slow)
        tg.add_user(fast)
        tg.delay("sendMessage", 8.0, chat_id=slow)
        cut = await tg.send_text(slow, "/help")
        await tg.wait_until(lambda: tg.delayed["sendmessage"] >= 1, timeout=30)
        behind = await tg.send_text(fast, "/help")
        await tg.wait_messages(fast, 1, timeout=30)
        code, seconds = await bot.terminate()
        assert code == 0, bot.output()[-3000:]
        assert seconds <= 1 + EXIT_MARGIN_SECONDS, f"exit: {seconds:.1f} s\n{bot.output()[-4000:]}"
        assert [u["update_id"] for u in tg.updates] == [cut, behind]  # the cut one held the offset
        assert scalar(database_url, "SELECT update_id FROM handled_updates") == behind

        tg.delay("sendMessage", 0, chat_id=slow)
        await bot.start()  # its warm-up /help comes after the two left
        await tg.wait_until(tg.all_pending_updates_taken, timeout=30)
        await bot.warm_up()  # one more round trip: anything re-delivered was answered by now
    finally:
        await bot.kill()
    assert [len(answers(tg, user)) for user in (slow, fast)] == [1, 1]
    assert scalar(database_url, "SELECT count(*) FROM handled_updates") == 0  # confirmed, forgotten
    log = bot.output()
    assert f"update {behind} was already handled before a restart" in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]


# webhook replicas -------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookCase:
    id: str
    done: str
    holds: str
    redis: bool
    grace: float
    send_delay: float | None  # None: idle, nothing delivered


WEBHOOK_CASES = [
    WebhookCase(
        "idle-redis",
        "SIGTERM to an idle replica with Redis (its model-announcement listener subscribed)",
        "exit 0 within a few seconds; the listener does not resubscribe",
        redis=True,
        grace=10,
        send_delay=None,
    ),
    WebhookCase(
        "idle-no-redis",
        "SIGTERM to an idle replica without Redis",
        "exit 0 within a few seconds",
        redis=False,
        grace=10,
        send_delay=None,
    ),
    WebhookCase(
        "in-flight",
        "SIGTERM while a /help is being answered (sendMessage takes 2 s), grace 10 s, Redis",
        "the POST is answered 200 after the answer went out; answered once; exit within the grace",
        redis=True,
        grace=10,
        send_delay=2.0,
    ),
    WebhookCase(
        "longer-than-grace",
        "SIGTERM while a /help waits on a sendMessage taking 8 s, grace 2 s, Redis",
        "the POST is answered 503 within the grace; the restarted replica gets the re-send and "
        "answers it exactly once; exit within the grace",
        redis=True,
        grace=2,
        send_delay=8.0,
    ),
]


@pytest.mark.parametrize("case", WEBHOOK_CASES, ids=lambda c: c.id)
async def test_sigterm_to_a_webhook_replica(
    case: WebhookCase, tg: FakeTelegram, bundle_dir: Path, tmp_path: Path, redis_prefix: str
) -> None:
    env = {"SHUTDOWN_GRACE_SECONDS": str(case.grace), "MODEL_POLL_SECONDS": "30"}
    if case.redis:
        env.update(REDIS_URL=REDIS_URL, REDIS_PREFIX=redis_prefix)
    database = f"sqlite+aiosqlite:///{tmp_path / 'jobrec.db'}"
    replica = BotProcess(tg, tmp_path, database, bundle_dir, env=env, webhook_port=free_port())
    await replica.start()
    user = HELP_USERS[0]
    try:
        if case.send_delay is not None:
            tg.add_user(user)
            tg.delay("sendMessage", case.send_delay)
            update_id = await tg.send_text(user, "/help")
            tg.start_delivery([replica.webhook_url], secret=WEBHOOK_SECRET, concurrency=1)
            await tg.wait_until(lambda: tg.delayed["sendmessage"] >= 1, timeout=30)
        else:
            await asyncio.sleep(1.0)  # the listener subscribed, the watcher polled once
        code, seconds = await replica.terminate()
        await tg.stop_delivery()
        assert code == 0, replica.output()[-3000:]
        limit = case.grace + EXIT_MARGIN_SECONDS if case.send_delay else EXIT_MARGIN_SECONDS
        assert seconds <= limit, f"exit: {seconds:.1f} s\n{replica.output()[-4000:]}"
        if case.send_delay is not None:
            statuses = [status for _, status in tg.delivered(update_id)]
            if case.send_delay < case.grace:
                assert statuses == [200]
            else:  # 503, then re-sends refused (0) while the replica is down
                assert statuses[0] == 503 and set(statuses[1:]) <= {0}, statuses
                tg.delay("sendMessage", 0)
                await replica.start()
                tg.start_delivery([replica.webhook_url], secret=WEBHOOK_SECRET, concurrency=1)
                await tg.wait_until(tg.all_pending_updates_taken, timeout=30)
                await tg.stop_delivery()
                assert [s for _, s in tg.delivered(update_id) if s not in (0, 503)] == [200]
            (only,) = answers(tg, user)
            assert "/skills" in only
    finally:
        await tg.stop_delivery()
        await replica.kill()
    log = replica.output()
    assert "resubscribing" not in log and "Traceback" not in log, log[-3000:]
