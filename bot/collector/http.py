"""The JSON-over-HTTP client both sources share: pacing, a bound on requests in flight,
retries with backoff on 429/5xx/timeouts/broken bodies, Retry-After honoured as sent.

A Retry-After longer than ``max_wait`` is not slept through: the run stops with the reason,
and a later run resumes. Once a request raised SourceStopped, every later request of this
client raises it too without touching the network, so a refusal is never hammered (the
requests already queued behind the semaphore give up as well).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from bot.collector.clock import Clock, SystemClock
from bot.collector.errors import RecordGone, SourceError, SourceStopped
from bot.collector.throttle import Backoff, RateLimiter, parse_retry_after

logger = logging.getLogger(__name__)

# What a real host survives (hh.ru asks for no more; Работа России is a government server).
DEFAULT_RATE_LIMIT = 2.0
DEFAULT_CONCURRENCY = 2
# The longest Retry-After a run sleeps through; anything longer ends the run.
DEFAULT_MAX_WAIT = 300.0


@dataclass(frozen=True)
class HttpConfig:
    base_url: str
    user_agent: str
    rate_limit: float = DEFAULT_RATE_LIMIT
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float = 20.0
    max_wait: float = DEFAULT_MAX_WAIT
    backoff: Backoff = field(default_factory=Backoff)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: CIMultiDictProxy[str]
    text: str


class Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class JsonApiClient:
    """Use as ``async with Client(...) as client``; subclasses name the source and read 4xx bodies."""

    source_name = "the source"

    def __init__(self, http: HttpConfig, *, clock: Clock | None = None, rng: random.Random | None = None):
        self.http = http
        self.clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self.limiter = RateLimiter(http.rate_limit, self.clock)
        self._semaphore = asyncio.Semaphore(max(1, http.concurrency))
        self._session: aiohttp.ClientSession | None = None
        self.stopped: SourceStopped | None = None
        self.requests_made = 0
        self.retries = 0

    async def __aenter__(self) -> JsonApiClient:
        self._session = aiohttp.ClientSession(
            base_url=self.http.base_url.rstrip("/") + "/",
            headers={"User-Agent": self.http.user_agent},
            timeout=aiohttp.ClientTimeout(total=self.http.timeout),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def stop(self, reason: str) -> SourceStopped:
        """Remember the refusal: every later request raises it at once."""
        if self.stopped is None:
            self.stopped = SourceStopped(reason)
            logger.error("collection stopped: %s", reason)
        return self.stopped

    async def get_json(self, path: str, params: dict[str, Any]) -> Any:
        backoff = self.http.backoff
        attempt = 0
        while True:
            try:
                async with self._semaphore:
                    if self.stopped is not None:
                        raise self.stopped
                    await self.limiter.acquire()
                    if self.stopped is not None:  # refused while this request waited for its slot
                        raise self.stopped
                    return await self._get_once(path, params)
            except Retryable as exc:
                if exc.retry_after is not None and exc.retry_after > self.http.max_wait:
                    raise self.stop(
                        f"{self.source_name} asks to wait {exc.retry_after:.0f} s "
                        f"(Retry-After, {exc.reason}); the run stops here and the next run resumes"
                    ) from exc
                if attempt >= backoff.max_retries:
                    raise SourceError(
                        f"GET /{path} failed after {attempt + 1} attempts: {exc.reason}"
                    ) from exc
                delay = backoff.delay(attempt, exc.retry_after, self.rng)
                if exc.retry_after is not None:
                    self.limiter.pause_until(delay)  # a 429 is about the whole client, not this request
                logger.info("GET /%s: %s, retry %d in %.2fs", path, exc.reason, attempt + 1, delay)
                self.retries += 1
                attempt += 1
                await self.clock.sleep(delay)

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """One request, no retry; network failures become Retryable."""
        if self._session is None:
            raise RuntimeError(f"{type(self).__name__} must be used as an async context manager")
        self.requests_made += 1
        try:
            async with self._session.request(
                method, path, params=params, data=data, headers=headers
            ) as response:
                return Reply(response.status, response.headers, await response.text())
        except TimeoutError as exc:
            raise Retryable("timeout") from exc
        except aiohttp.ClientError as exc:
            raise Retryable(f"connection error: {exc.__class__.__name__}") from exc

    async def request_headers(self) -> dict[str, str]:
        """Per-request headers (an auth token that may change during the run)."""
        return {}

    async def _get_once(self, path: str, params: dict[str, Any]) -> Any:
        headers = await self.request_headers()
        reply = await self.send("GET", path, params=params, headers=headers)
        self.check_status(path, reply, headers)
        try:
            return json.loads(reply.text)
        except json.JSONDecodeError as exc:
            raise Retryable("malformed JSON body") from exc

    def check_status(self, path: str, reply: Reply, sent_headers: dict[str, str]) -> None:
        status = reply.status
        if status < 400:
            return
        retry_after = parse_retry_after(reply.headers.get("Retry-After"))
        if status == 429:
            raise Retryable("429 too many requests", retry_after)
        if status >= 500:
            raise Retryable(f"{status} server error", retry_after)
        if status == 403:
            self.refused(path, reply, sent_headers)
        if status == 404:
            raise RecordGone(f"GET /{path}: 404 not found")
        raise SourceError(f"GET /{path}: HTTP {status}: {reply.text[:200]!r}")

    def refused(self, path: str, reply: Reply, sent_headers: dict[str, str]) -> None:
        """A 403: stop the run (subclasses read the body to say why)."""
        raise self.stop(f"{self.source_name} refused GET /{path} with 403")
