"""hh.ru's access rules of 2026 against the fake: the application token, 403 kinds, Retry-After.

The token lives in the real database (SQLite and PostgreSQL), as in production.
"""

from __future__ import annotations

from datetime import timedelta

from fake_clock import FakeClock

from bot.collector.clock import SystemClock
from bot.collector.collector import Collector, CollectRequest
from bot.collector.hh_auth import HHAuth
from bot.collector.hh_client import CAPTCHA_ADVICE, HOST_REFUSED, HHClient, HHClientConfig
from bot.storage.sources import SourceStateRepository
from bot.storage.vacancies import VacancyRepository

from .fake_hh import FakeHH, Fault, make_cards


def app_auth(fake: FakeHH, sources: SourceStateRepository) -> HHAuth:
    return HHAuth(client_id=fake.client_id, client_secret=fake.client_secret, store=sources)


async def test_anonymous_collection_meets_the_captcha_and_stops_at_once(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(150)
    fake_hh.captcha_after = 1  # hh.ru: the first anonymous call passes, the next asks for a captcha
    async with make_client(concurrency=2) as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.error == CAPTCHA_ADVICE
    assert not stats.ok and "HH_CLIENT_ID and HH_CLIENT_SECRET" in stats.summary()
    # the search passed; the two cards already in flight met the captcha; nothing was sent after
    assert fake_hh.anonymous_calls == 3
    assert fake_hh.count("card") == 2


async def test_application_token_is_fetched_once_and_shared_through_the_database(
    fake_hh: FakeHH, make_client, repository: VacancyRepository, sources: SourceStateRepository
) -> None:
    fake_hh.cards = make_cards(30)
    fake_hh.captcha_after = 0
    async with make_client(auth=app_auth(fake_hh, sources)) as client:
        first = await Collector(client, repository).collect(CollectRequest())
    assert first.ok and first.new == 30
    stored = await sources.token("hh")
    assert stored is not None and stored.token == "app-token-1"
    # another process (a new client, the same database) reuses it: no second POST /token
    async with make_client(auth=app_auth(fake_hh, sources)) as client:
        page = await client.search({"page": 0})
    assert page.found == 30
    assert len(fake_hh.token_requests) == 1
    assert fake_hh.anonymous_calls == 0


async def test_revoked_token_is_renewed_once_and_the_run_goes_on(
    fake_hh: FakeHH, make_client, repository: VacancyRepository, sources: SourceStateRepository,
    clock: FakeClock,
) -> None:  # fmt: skip
    fake_hh.cards = make_cards(20)
    async with make_client(auth=app_auth(fake_hh, sources)) as client:
        await client.search({"page": 0})
    fake_hh.revoke_all()
    clock.advance(timedelta(minutes=6).total_seconds())
    async with make_client(auth=app_auth(fake_hh, sources)) as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.ok and stats.new == 20
    assert len(fake_hh.token_requests) == 2
    assert (await sources.token("hh")).token == "app-token-2"  # type: ignore[union-attr]


async def test_token_rejected_again_after_renewal_ends_the_run_saying_which(
    fake_hh: FakeHH, make_client, repository: VacancyRepository, sources: SourceStateRepository,
    clock: FakeClock,
) -> None:  # fmt: skip
    fake_hh.cards = make_cards(20)
    async with make_client(auth=app_auth(fake_hh, sources)) as client:
        await client.search({"page": 0})
    clock.advance(600)
    fake_hh.fault("search", Fault("token_revoked"), Fault("token_revoked"))
    async with make_client(auth=app_auth(fake_hh, sources)) as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.error is not None
    assert "rejected the application token again" in stats.error and "token_revoked" in stats.error
    assert len(fake_hh.token_requests) == 2  # the first token, then one renewal: never a loop
    assert fake_hh.count("card") == 0


async def test_no_second_token_request_within_five_minutes_across_processes(
    fake_hh: FakeHH, make_client, repository: VacancyRepository, sources: SourceStateRepository,
    clock: FakeClock,
) -> None:  # fmt: skip
    fake_hh.cards = make_cards(10)
    async with make_client(auth=app_auth(fake_hh, sources)) as client:
        await client.search({"page": 0})
    fake_hh.revoke_all()
    clock.advance(60)  # one minute later another process finds the token revoked
    async with make_client(auth=app_auth(fake_hh, sources)) as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.error is not None and "one request per 5 minutes" in stats.error
    assert len(fake_hh.token_requests) == 1 and fake_hh.token_refusals == 0


async def test_wrong_client_secret_is_one_line(
    fake_hh: FakeHH, make_client, repository: VacancyRepository, sources: SourceStateRepository
) -> None:
    auth = HHAuth(client_id=fake_hh.client_id, client_secret="wrong", store=sources)
    async with make_client(auth=auth) as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.error is not None
    assert "account not found" in stats.error and "HH_CLIENT_SECRET" in stats.error
    assert fake_hh.count("search") == 0


async def test_rejected_hh_token_says_so_and_is_not_replaced(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(5)
    fake_hh.revoked_tokens = {"old-token"}
    async with make_client(auth=HHAuth(token="old-token")) as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.error is not None and stats.error.startswith("hh.ru rejected HH_TOKEN (token_revoked")
    assert fake_hh.token_requests == []


async def test_bare_403_is_the_host_not_the_token(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(150)
    fake_hh.fault("card", Fault("403"))
    async with make_client(auth=HHAuth(token="any")) as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.error == HOST_REFUSED
    assert "HH_TOKEN" not in stats.error
    assert fake_hh.count("card") <= 4  # what was already in flight (2) and queued, never the rest
    assert stats.new < 100


async def test_long_retry_after_is_not_cut_and_ends_the_run(
    fake_hh: FakeHH, make_client, repository: VacancyRepository, clock: FakeClock
) -> None:
    fake_hh.cards = make_cards(5)
    fake_hh.fault("search", Fault("429", retry_after="3600"))
    async with make_client() as client:
        stats = await Collector(client, repository).collect(CollectRequest())
    assert stats.error is not None and "3600 s" in stats.error and "resumes" in stats.error
    assert 120 not in clock.sleeps and 3600 not in clock.sleeps  # neither cut nor slept through
    assert fake_hh.count("search") == 1


async def test_retry_after_within_the_wait_is_honoured_as_sent(
    fake_hh: FakeHH, make_client, clock: FakeClock
) -> None:
    fake_hh.cards = make_cards(5)
    fake_hh.fault("search", Fault("429", retry_after="200"))
    async with make_client(max_wait=300.0) as client:
        page = await client.search({"page": 0})
    assert page.found == 5
    assert clock.sleeps.count(200.0) == 1


async def test_areas_tree_is_fetched_once_per_run(
    fake_hh: FakeHH, make_client, repository: VacancyRepository
) -> None:
    fake_hh.cards = make_cards(120, area="1002")  # Minsk
    async with make_client() as client:
        collector = Collector(client, repository)
        await collector.collect(CollectRequest())
        await client.areas()
    assert sum(1 for path, _ in fake_hh.requests if path == "/areas") == 1
    assert {node["name"] for node in collector.area_tree} == {"Россия", "Беларусь", "Казахстан"}


async def test_two_processes_starting_at_once_share_one_token(
    fake_hh: FakeHH, sources: SourceStateRepository
) -> None:
    """Two collectors find no token at the same moment: one asks hh.ru, the other waits for it."""
    import asyncio

    fake_hh.cards = make_cards(10)
    fake_hh.captcha_after = 0

    async def search() -> int:
        config = HHClientConfig(user_agent="jobrec-tests/0.1 (tests@example.com)", base_url=fake_hh.url)
        # the real clock: the waiting process really waits while the other's request is on the wire
        async with HHClient(config, auth=app_auth(fake_hh, sources), clock=SystemClock()) as client:
            return (await client.search({"page": 0})).found

    assert await asyncio.gather(search(), search()) == [10, 10]
    assert len(fake_hh.token_requests) == 1 and fake_hh.anonymous_calls == 0


async def test_the_secret_and_the_token_never_reach_a_log(
    fake_hh: FakeHH, make_client, repository: VacancyRepository, sources: SourceStateRepository, caplog
) -> None:
    import logging

    fake_hh.cards = make_cards(3)
    fake_hh.client_secret = "s3cret-client-value"
    auth = HHAuth(client_id=fake_hh.client_id, client_secret=fake_hh.client_secret, store=sources)
    async with make_client(auth=auth) as client:
        await Collector(client, repository).collect(CollectRequest())
    token = (await sources.token("hh")).token  # type: ignore[union-attr]
    assert token
    # whatever writes them later (an aiohttp error with the header, a debug line) is scrubbed
    logging.getLogger("bot.collector.test").error("sent %s with %s", token, fake_hh.client_secret)
    assert token not in caplog.text and fake_hh.client_secret not in caplog.text
    assert "sent *** with ***" in caplog.text
