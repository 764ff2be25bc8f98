"""Digests end to end: real SQLite, a real bundle, aiogram talking to the fake Bot API server."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from fake_clock import FakeClock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.collector.records import to_record
from bot.jobs.digest import DIGEST_SIZE, DigestJob
from bot.middlewares.sent import CountSentMessages
from bot.services.model_holder import ModelHolder
from bot.shared_state import SentMessages
from bot.storage.digests import DigestRepository
from bot.storage.repository import Repository
from bot.storage.vacancies import VacancyRepository

from .conftest import TOKEN, FakeTelegram
from .corpus import CITIES, card

DATA_USER, DESIGN_USER, BLOCKED_USER = 501, 502, 503


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    # A plain aiogram Bot: no retry middleware, so the digest's own 429 handling is what runs.
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.url))
    bot = Bot(TOKEN, session=session)
    yield bot
    await bot.session.close()


@pytest.fixture
def users(session_factory: async_sessionmaker[AsyncSession]) -> Repository:
    return Repository(session_factory)


async def subscribe(
    users: Repository, tg: FakeTelegram, user_id: int, skills: list[str], city: str | None = None
) -> None:
    tg.add_user(user_id)
    await users.touch_user(user_id, "ru")
    await users.save_skills(user_id, ", ".join(skills), [s.lower() for s in skills])
    if city:
        await users.update_settings(user_id, city=(city, "Москва"))
    await users.set_digest(user_id, "daily")


async def arrive(vacancies: VacancyRepository, clock: FakeClock, cards: list[dict[str, Any]]) -> None:
    clock.advance(60)
    await vacancies.upsert([to_record(c) for c in cards], now=clock.now())


def make_job(
    bot: Any, bundle: Any, session_factory: Any, vacancies: VacancyRepository, clock: FakeClock
) -> DigestJob:
    return DigestJob(
        bot,
        ModelHolder(bundle),
        DigestRepository(session_factory),
        vacancies,
        Repository(session_factory),
        clock=clock,
    )


async def test_one_digest_per_user_then_nothing(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    await subscribe(users, tg, DATA_USER, ["Python", "SQL"], city="1")
    rng = random.Random(5)
    fresh = [card(80_000_000 + i, "data", rng, area=CITIES[0]) for i in range(8)]
    fresh += [card(80_100_000 + i, "devops", rng, area=CITIES[0]) for i in range(3)]
    fresh += [card(80_200_000 + i, "data", rng, area=CITIES[1]) for i in range(3)]  # another city
    await arrive(vacancies, clock, fresh)

    job = make_job(bot, bundle, session_factory, vacancies, clock)
    first = await job.tick()
    assert first.sent_to == [DATA_USER]
    messages = tg.outbox(DATA_USER)
    assert len(messages) == 1
    shown = [c for c in fresh if c["alternate_url"] in messages[0].text]
    assert len(shown) == DIGEST_SIZE
    assert all(c["area"]["id"] == "1" for c in shown)
    assert all({"Python", "SQL"} & {s["name"] for s in c["key_skills"]} for c in shown)

    second = await job.tick()
    assert second.sent == 0 and len(tg.outbox(DATA_USER)) == 1

    # A day later with nothing new: due, but nothing is sent.
    clock.advance(86_400)
    third = await job.tick()
    assert (third.due, third.sent) == (1, 0) and len(tg.outbox(DATA_USER)) == 1

    # New fitting vacancies arrive: the next digest has only those.
    newer = [card(81_000_000 + i, "data", rng, area=CITIES[0]) for i in range(2)]
    await arrive(vacancies, clock, newer)
    fourth = await job.tick()
    assert fourth.sent == 1
    latest = tg.outbox(DATA_USER)[-1].text
    assert all(c["alternate_url"] in latest for c in newer)
    assert not any(c["alternate_url"] in latest for c in fresh)


async def test_nothing_sent_when_nothing_fits(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    await subscribe(users, tg, DESIGN_USER, ["Figma", "Adobe Photoshop"])
    await arrive(vacancies, clock, [card(82_000_000 + i, "devops", random.Random(i)) for i in range(5)])
    stats = await make_job(bot, bundle, session_factory, vacancies, clock).tick()
    assert (stats.due, stats.sent, stats.nothing_new) == (1, 0, 1)
    assert tg.outbox(DESIGN_USER) == []


async def test_blocked_user_is_unsubscribed(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    await subscribe(users, tg, BLOCKED_USER, ["Python"])
    await arrive(vacancies, clock, [card(83_000_000 + i, "data", random.Random(i)) for i in range(3)])
    tg.block(BLOCKED_USER)
    job = make_job(bot, bundle, session_factory, vacancies, clock)
    stats = await job.tick()
    assert stats.blocked == 1
    profile = await users.get_profile(BLOCKED_USER)
    assert profile is not None and not profile.active and profile.digest_frequency is None
    assert (await job.tick()).due == 0


async def test_429_waits_retry_after_and_delivers_once(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    await subscribe(users, tg, DATA_USER, ["Python", "SQL"])
    await arrive(vacancies, clock, [card(84_000_000 + i, "data", random.Random(i)) for i in range(3)])
    tg.fail("sendMessage", status=429, retry_after=4)
    stats = await make_job(bot, bundle, session_factory, vacancies, clock).tick()
    assert (stats.sent, stats.retried) == (1, 1)
    assert 4.0 in clock.sleeps
    assert len(tg.outbox(DATA_USER)) == 1


class CrashAfter:
    """aiogram's Bot, but the process "dies" on the n-th message (after delivering n-1)."""

    def __init__(self, bot: Bot, n: int) -> None:
        self.bot, self.n, self.calls = bot, n, 0

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == self.n:
            raise SystemExit("killed")
        return await self.bot.send_message(chat_id, text, **kwargs)


async def test_crash_mid_run_neither_repeats_nor_skips(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    first_users = [601, 602, 603]
    for user_id in first_users:
        await subscribe(users, tg, user_id, ["Python", "SQL"])
    await arrive(vacancies, clock, [card(85_000_000 + i, "data", random.Random(i)) for i in range(4)])

    crashing = make_job(CrashAfter(bot, 2), bundle, session_factory, vacancies, clock)
    with pytest.raises(SystemExit):
        await crashing.tick()
    assert [len(tg.outbox(u)) for u in first_users] == [1, 0, 0]

    clock.advance(60)
    restarted = await make_job(bot, bundle, session_factory, vacancies, clock).tick()
    assert restarted.sent_to == [602, 603]
    assert [len(tg.outbox(u)) for u in first_users] == [1, 1, 1]


async def test_pacing_respects_the_global_rate(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    subscribers = list(range(700, 760))
    for user_id in subscribers:
        await subscribe(users, tg, user_id, ["Python"])
    await arrive(vacancies, clock, [card(86_000_000 + i, "data", random.Random(i)) for i in range(3)])
    started = clock.monotonic()
    stats = await make_job(bot, bundle, session_factory, vacancies, clock).tick()
    assert stats.sent == 60
    # 60 messages at 25/s take at least 59/25 s of (fake) time
    assert clock.monotonic() - started >= 59 / 25 - 1e-6


async def test_digests_leave_room_for_the_answers_of_other_processes(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    """A second in which the replicas already sent 25 answers gets no digest: they wait."""
    for user_id in (770, 771, 772):
        await subscribe(users, tg, user_id, ["Python"])
    await arrive(vacancies, clock, [card(88_000_000 + i, "data", random.Random(i)) for i in range(3)])
    sent = SentMessages(None, "test")
    bot.session.middleware(CountSentMessages(sent, clock=lambda: clock.now().timestamp()))
    busy = clock.now().timestamp()
    for _ in range(25):
        await sent.add(busy)  # the other processes' answers, this second
    job = DigestJob(
        bot, ModelHolder(bundle), DigestRepository(session_factory), vacancies, users,
        clock=clock, sent=sent,
    )  # fmt: skip
    stats = await job.tick()
    assert stats.sent_to == [770, 771, 772]
    assert await sent.in_second(busy) == 25  # no digest joined the full second
    later = sum([await sent.in_second(busy + s) for s in range(1, 5)])
    assert later == 3  # each digest counted once, in the seconds after
    assert any(0 < wait <= 1.0 for wait in clock.sleeps)


async def test_only_messages_count_toward_the_deployment_rate(bot: Bot, tg: FakeTelegram) -> None:
    sent = SentMessages(None, "test")
    bot.session.middleware(CountSentMessages(sent, clock=lambda: 100.0))
    tg.add_user(DATA_USER)
    await bot.get_me()
    assert await sent.in_second(100.0) == 0
    await bot.send_message(DATA_USER, "hello")
    assert await sent.in_second(100.0) == 1


async def test_replicas_count_messages_in_one_place(redis_prefix: str) -> None:
    from databases import REDIS_URL
    from redis.asyncio import Redis

    clients = [Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)]
    try:
        replicas = [SentMessages(client, redis_prefix) for client in clients]
        for i in range(7):
            await replicas[i % 2].add(1_000.5)
        await replicas[0].add(1_001.2)
        assert [await r.in_second(1_000.9) for r in replicas] == [7, 7]
        assert await replicas[1].in_second(1_001.0) == 1
    finally:
        for client in clients:
            await client.aclose()


async def test_an_unreachable_count_never_holds_a_message() -> None:
    from redis.asyncio import Redis

    client = Redis.from_url("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        sent = SentMessages(client, "test")
        await sent.add(5.0)
        assert await sent.in_second(5.0) == 0
    finally:
        await client.aclose()


async def test_preview_equals_what_the_next_tick_sends(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    from bot.services.digests import DigestPreview

    await subscribe(users, tg, DATA_USER, ["Python", "SQL"], city="1")
    rng = random.Random(9)
    await arrive(vacancies, clock, [card(87_000_000 + i, "data", rng, area=CITIES[0]) for i in range(7)])
    profile = await users.get_profile(DATA_USER)
    assert profile is not None
    preview = DigestPreview(ModelHolder(bundle), DigestRepository(session_factory), vacancies, users)
    shown = await preview.preview(profile, "ru", now=clock.now())
    assert "Критерии" in shown and "Москва" in shown and "Следующая подборка" in shown
    stats = await make_job(bot, bundle, session_factory, vacancies, clock).tick()
    assert stats.sent_to == [DATA_USER]
    sent = tg.outbox(DATA_USER)[-1].text
    assert sent in shown  # the preview holds exactly the digest that went out
    after = await preview.preview(profile, "ru", now=clock.now())
    assert "Пока в ней ничего нет" in after and "не раньше" in after


async def test_hidden_vacancy_never_comes_in_a_digest(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    await subscribe(users, tg, DATA_USER, ["Python", "SQL"])
    rng = random.Random(11)
    fresh = [card(88_000_000 + i, "data", rng) for i in range(3)]
    await arrive(vacancies, clock, fresh)
    await users.add_vacancy_action(DATA_USER, f"hh:{fresh[0]['id']}", "hide")
    stats = await make_job(bot, bundle, session_factory, vacancies, clock).tick()
    assert stats.sent == 1
    text = tg.outbox(DATA_USER)[-1].text
    assert fresh[0]["alternate_url"] not in text
    assert fresh[1]["alternate_url"] in text and fresh[2]["alternate_url"] in text
    assert "🗓" in text  # the answers' vacancy line: dates, schedule, experience


async def test_a_shutdown_stops_between_two_users_and_nothing_is_sent_twice(
    bot: Bot, tg: FakeTelegram, bundle: Any, session_factory: Any, vacancies: VacancyRepository,
    users: Repository, clock: FakeClock,
) -> None:  # fmt: skip
    """Issue 22: the worker stops a digest at a safe point (after a user's message is marked sent)."""
    subscribers = [601, 602, 603]
    for user_id in subscribers:
        await subscribe(users, tg, user_id, ["Python", "SQL"])
    rng = random.Random(8)
    await arrive(vacancies, clock, [card(84_000_000 + i, "data", rng) for i in range(6)])
    stop = asyncio.Event()

    class ShutdownAfterFirst:
        async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any:
            sent = await bot.send_message(chat_id, text, **kwargs)
            stop.set()  # SIGTERM arrives while the first message goes out
            return sent

    job = make_job(ShutdownAfterFirst(), bundle, session_factory, vacancies, clock)
    first = await job.tick(stop=stop)
    assert first.stopped and first.sent == 1 and first.due == 3
    assert sum(len(tg.outbox(u)) for u in subscribers) == 1

    after_restart = await make_job(bot, bundle, session_factory, vacancies, clock).tick()
    assert not after_restart.stopped and after_restart.sent == 2
    assert sorted(first.sent_to + after_restart.sent_to) == subscribers
    assert all(len(tg.outbox(u)) == 1 for u in subscribers)  # each exactly once
