"""hh.ru's application token: ``POST /token`` with ``grant_type=client_credentials``.

The token does not expire, and every new request revokes the previous one, so it is fetched
once, stored in the database (bot/storage/sources.py) and reused by every process. It is
fetched again only when hh.ru says it is bad, and never more than once per five minutes
(hh.ru's own limit), which the stored fetch time enforces across processes. ``HH_TOKEN``, a
token obtained elsewhere, is used as given and never replaced.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

from bot.collector.errors import SourceStopped
from bot.collector.http import Reply
from bot.redaction import install_redaction
from bot.storage.sources import StoredToken

logger = logging.getLogger(__name__)

SOURCE = "hh"
TOKEN_INTERVAL = timedelta(minutes=5)
# How long a process waits for the token another process is fetching at the same moment.
WAIT_FOR_OTHER_SECONDS = 10
DOCS = "docs/fresh-data.md"

# hh.ru's 403 ``errors[].value`` for a token it will not take (the OpenAPI spec's list).
TOKEN_PROBLEMS = {
    "bad_authorization": "the token is unknown or invalid",
    "token_expired": "the token has expired",
    "token_revoked": "the token was revoked (a newer one was requested elsewhere, or by hh.ru)",
    "application_not_found": "the application was deleted at dev.hh.ru",
}


class TokenStore(Protocol):
    """bot.storage.sources.SourceStateRepository, as the client needs it."""

    async def token(self, source: str) -> StoredToken | None: ...

    async def claim_token_fetch(
        self, source: str, *, interval: timedelta, now: datetime | None = None
    ) -> bool: ...

    async def save_token(self, source: str, token: str, *, client_id: str | None) -> None: ...


Send = Callable[[], Awaitable[Reply]]


class HHAuth:
    """Which token to send, and a new one when hh.ru rejects it (at most once per run)."""

    def __init__(
        self,
        *,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        store: TokenStore | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if (client_id or client_secret) and not (client_id and client_secret and store is not None):
            raise ValueError(
                "HH_CLIENT_ID and HH_CLIENT_SECRET go together, with a database to keep the token"
            )
        self.static_token = token or None
        self.client_id = client_id or None
        self.client_secret = client_secret or None
        install_redaction([self.static_token or "", self.client_secret or ""])
        self.store = store
        self.sleep = sleep  # the client's clock's, so tests wait without waiting
        self._token: str | None = self.static_token
        self._loaded = self.static_token is not None or self.client_id is None
        self._renewed = False
        self._lock = asyncio.Lock()

    @property
    def fetches_tokens(self) -> bool:
        return self.static_token is None and self.client_id is not None

    async def current(
        self, post_token: Callable[[dict[str, str]], Awaitable[Reply]], now: datetime
    ) -> str | None:
        """The token to send now: HH_TOKEN, the stored application token, or a newly fetched one."""
        if self._loaded:
            return self._token
        async with self._lock:
            if not self._loaded:
                assert self.store is not None
                stored = await self.store.token(SOURCE)
                if stored is not None and stored.token and stored.client_id == self.client_id:
                    self._token = stored.token
                    install_redaction([stored.token])
                else:
                    self._token = await self._fetch(post_token, now, why="no stored token")
                self._loaded = True
        return self._token

    async def renew(
        self,
        rejected: str | None,
        problem: str,
        post_token: Callable[[dict[str, str]], Awaitable[Reply]],
        now: datetime,
    ) -> str:
        """A new token after hh.ru rejected ``rejected`` with ``problem``; SourceStopped if none."""
        explanation = f"{problem}: {TOKEN_PROBLEMS.get(problem, 'hh.ru rejected the token')}"
        if self.static_token is not None:
            raise SourceStopped(
                f"hh.ru rejected HH_TOKEN ({explanation}); set a new HH_TOKEN, or HH_CLIENT_ID and "
                f"HH_CLIENT_SECRET so the collector fetches its own ({DOCS})"
            )
        if not self.fetches_tokens:
            raise SourceStopped(
                f"hh.ru rejected the request ({explanation}) and no token is configured ({DOCS})"
            )
        async with self._lock:
            if self._token is not None and self._token != rejected:
                return self._token  # a concurrent request already renewed it
            if self._renewed:
                raise SourceStopped(
                    f"hh.ru rejected the application token again after a new one was fetched "
                    f"({explanation}); check the application at dev.hh.ru and "
                    f"HH_CLIENT_ID/HH_CLIENT_SECRET ({DOCS})"
                )
            assert self.store is not None
            stored = await self.store.token(SOURCE)
            if stored is not None and stored.token and stored.token != rejected:
                logger.info("hh.ru token: using the one another process fetched")
                self._token = stored.token
                install_redaction([stored.token])
            else:
                self._token = await self._fetch(post_token, now, why=problem, rejected=rejected)
            self._renewed = True
            return self._token

    async def _fetched_elsewhere(self, rejected: str | None) -> str | None:
        """Another process claimed the request a moment ago: its token, once it has stored it."""
        assert self.store is not None
        for _ in range(WAIT_FOR_OTHER_SECONDS):
            stored = await self.store.token(SOURCE)
            if (
                stored is not None
                and stored.token
                and stored.token != rejected
                and stored.client_id == self.client_id
            ):
                logger.info("hh.ru token: using the one another process fetched")
                install_redaction([stored.token])
                return stored.token
            await self.sleep(1.0)
        return None

    async def _fetch(
        self,
        post_token: Callable[[dict[str, str]], Awaitable[Reply]],
        now: datetime,
        why: str,
        rejected: str | None = None,
    ) -> str:
        assert self.store is not None and self.client_id and self.client_secret
        if not await self.store.claim_token_fetch(SOURCE, interval=TOKEN_INTERVAL, now=now):
            fetched = await self._fetched_elsewhere(rejected)
            if fetched is not None:
                return fetched
            stored = await self.store.token(SOURCE)
            when = (
                stored.fetched_at.isoformat(timespec="seconds")
                if stored and stored.fetched_at
                else "recently"
            )
            raise SourceStopped(
                f"hh.ru needs a new application token ({why}), but one was requested at {when} and hh.ru "
                "allows one request per 5 minutes: the next run fetches it"
            )
        logger.info("hh.ru token: requesting an application token (%s)", why)
        reply = await post_token(
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            }
        )
        token = _access_token(reply)
        install_redaction([token])  # a token in a logged URL or error text shows as ***
        await self.store.save_token(SOURCE, token, client_id=self.client_id)
        return token


def _access_token(reply: Reply) -> str:
    try:
        body = json.loads(reply.text)
    except json.JSONDecodeError:
        body = {}
    if reply.status == 200 and isinstance(body, dict) and isinstance(body.get("access_token"), str):
        return str(body["access_token"])
    detail = ""
    if isinstance(body, dict):
        detail = str(body.get("error_description") or body.get("error") or "")
        errors = body.get("errors")
        if not detail and isinstance(errors, list) and errors and isinstance(errors[0], dict):
            detail = str(errors[0].get("value") or errors[0].get("type") or "")
    raise SourceStopped(
        f"hh.ru refused the application token request "
        f"(HTTP {reply.status}{': ' + detail if detail else ''}); "
        f"check HH_CLIENT_ID and HH_CLIENT_SECRET ({DOCS})"
    )
