"""The hh.ru client against the fake server: headers, paging, retries, timeouts, 403."""

from __future__ import annotations

import pytest
from fake_clock import FakeClock

from bot.collector.hh_auth import HHAuth
from bot.collector.hh_client import HHAccessDenied, HHClient, HHClientConfig, HHError, VacancyGone

from .fake_hh import FakeHH, Fault, make_cards


async def test_search_pages_and_card_in_api_shape(fake_hh: FakeHH, make_client) -> None:
    fake_hh.cards = make_cards(250)
    async with make_client() as client:
        first = await client.search({"page": 0})
        last = await client.search({"page": 2})
        card = await client.vacancy(first.items[0]["id"])
    assert (first.found, first.pages, len(first.items), len(last.items)) == (250, 3, 100, 50)
    assert "description" not in first.items[0]
    assert card["key_skills"] and card["id"] == first.items[0]["id"]
    assert fake_hh.user_agents == {"jobrec-tests/0.1 (tests@example.com)"}


async def test_429_waits_for_retry_after(fake_hh: FakeHH, make_client, clock: FakeClock) -> None:
    fake_hh.cards = make_cards(5)
    fake_hh.fault("search", Fault("429", retry_after="7"))
    async with make_client() as client:
        page = await client.search({"page": 0})
    assert page.found == 5
    assert 7 in clock.sleeps
    assert fake_hh.count("search") == 2


async def test_503_retried_with_growing_backoff(fake_hh: FakeHH, make_client, clock: FakeClock) -> None:
    fake_hh.cards = make_cards(5)
    fake_hh.fault("card", Fault("503"), Fault("503"), Fault("503"))
    async with make_client() as client:
        card = await client.vacancy(fake_hh.cards[0]["id"])
    assert card["id"] == fake_hh.cards[0]["id"]
    # full jitter within [base*2^n / 2, base*2^n]: 0.25..0.5, 0.5..1, 1..2
    assert len(clock.sleeps) == 3
    for attempt, delay in enumerate(clock.sleeps):
        upper = 0.5 * 2**attempt
        assert upper / 2 <= delay <= upper


async def test_gives_up_after_max_retries(fake_hh: FakeHH, make_client) -> None:
    fake_hh.cards = make_cards(1)
    fake_hh.fault("search", *[Fault("malformed")] * 10)
    async with make_client() as client:
        with pytest.raises(HHError, match="malformed"):
            await client.search({"page": 0})
    assert fake_hh.count("search") == 4  # one try + three retries


async def test_malformed_body_is_retried(fake_hh: FakeHH, make_client) -> None:
    fake_hh.cards = make_cards(3)
    fake_hh.fault("search", Fault("malformed"))
    async with make_client() as client:
        page = await client.search({"page": 0})
    assert page.found == 3


async def test_slow_response_times_out_and_retries(fake_hh: FakeHH, make_client) -> None:
    fake_hh.cards = make_cards(3)
    fake_hh.fault("card", Fault("slow", delay=2.0))
    async with make_client(timeout=0.3) as client:
        card = await client.vacancy(fake_hh.cards[1]["id"])
    assert card["id"] == fake_hh.cards[1]["id"]
    assert fake_hh.count("card") == 2


async def test_hh_token_is_sent_as_given(fake_hh: FakeHH, make_client) -> None:
    fake_hh.cards = make_cards(3)
    fake_hh.require_token = "secret"
    async with make_client() as client:
        with pytest.raises(HHAccessDenied, match="refuses requests from this host"):
            await client.search({"page": 0})
    async with make_client(auth=HHAuth(token="secret")) as client:
        assert (await client.search({"page": 0})).found == 3


async def test_missing_card_is_gone(fake_hh: FakeHH, make_client) -> None:
    async with make_client() as client:
        with pytest.raises(VacancyGone):
            await client.vacancy("424242")


async def test_concurrency_is_bounded(fake_hh: FakeHH, make_client) -> None:
    import asyncio

    fake_hh.cards = make_cards(12)
    fake_hh.card_delay = 0.05
    async with make_client(concurrency=3) as client:
        await asyncio.gather(*(client.vacancy(c["id"]) for c in fake_hh.cards))
    assert fake_hh.max_in_flight == 3


def test_user_agent_is_required() -> None:
    with pytest.raises(ValueError, match="HH_USER_AGENT"):
        HHClient(HHClientConfig(user_agent=" "))
