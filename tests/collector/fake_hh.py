"""A fake hh.ru API on 127.0.0.1 serving responses in the API's shape, with injectable faults.

``GET /vacancies`` filters by text, area, professional_role and date_from/date_to, pages
with page/per_page, reports ``found``/``pages`` like hh.ru and refuses to go past the
2,000-item depth (400). ``GET /vacancies/{id}`` serves the full card or 404.
Faults are queued per route ("search" or "card") and consumed one per request.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

DEPTH = 2000


@dataclass
class Fault:
    kind: str  # "429", "503", "malformed", "slow", "403"
    retry_after: str | None = None
    delay: float = 0.0
    vacancy_id: str | None = None  # a card fault for this id only


def make_card(index: int, *, published_at: datetime, area: str = "1", role: str = "96") -> dict[str, Any]:
    skills = [["Python", "SQL"], ["Figma", "Photoshop"], ["Excel", "1С"], ["Python", "Django", "PostgreSQL"]][
        index % 4
    ]
    return {
        "id": str(100000 + index),
        "name": f"{'Python разработчик' if index % 4 != 1 else 'Дизайнер'} {index}",
        "area": {"id": area, "name": "Москва" if area == "1" else "Санкт-Петербург"},
        "employer": {"id": str(500 + index % 7), "name": f"Компания {index % 7}"},
        "salary": {"from": 60000 + 1000 * (index % 50), "to": None, "currency": "RUR", "gross": False},
        "schedule": {"id": "remote" if index % 2 else "fullDay", "name": "-"},
        "experience": {"id": "noExperience" if index % 3 == 0 else "between1And3", "name": "-"},
        "employment": {"id": "full", "name": "Полная занятость"},
        "professional_roles": [{"id": role, "name": "Программист, разработчик"}],
        "published_at": published_at.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "alternate_url": f"https://hh.ru/vacancy/{100000 + index}",
        "description": f"<p>Ищем коллегу. Навыки: {', '.join(skills)}.</p>",
        "key_skills": [{"name": s} for s in skills],
        "archived": False,
    }


def make_cards(
    n: int, *, start: datetime | None = None, span_days: float = 29.0, **kwargs: Any
) -> list[dict]:
    start = start or datetime(2024, 1, 1, tzinfo=UTC) - timedelta(days=span_days)
    step = span_days * 86400 / max(n, 1)
    return [make_card(i, published_at=start + timedelta(seconds=step * i), **kwargs) for i in range(n)]


def list_item(card: dict[str, Any]) -> dict[str, Any]:
    """What the search returns for a card: no description, key_skills or employment."""
    item = {k: v for k, v in card.items() if k not in ("description", "key_skills", "employment", "archived")}
    item["snippet"] = {"requirement": card["description"][:40], "responsibility": None}
    return item


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace(" ", "+"))


def _card_time(card: dict[str, Any]) -> datetime:
    return datetime.strptime(card["published_at"], "%Y-%m-%dT%H:%M:%S%z")


@dataclass
class FakeHH:
    cards: list[dict[str, Any]] = field(default_factory=list)
    require_token: str | None = None
    card_delay: float = 0.0
    faults: dict[str, deque[Fault]] = field(default_factory=lambda: {"search": deque(), "card": deque()})
    # Listed in search, but their cards answer 404 (removed between search and fetch).
    gone_ids: set[str] = field(default_factory=set)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    user_agents: set[str] = field(default_factory=set)
    in_flight: int = 0
    max_in_flight: int = 0
    url: str = ""
    _runner: web.AppRunner | None = None

    def fault(self, route: str, *faults: Fault) -> None:
        self.faults[route].extend(faults)

    def count(self, route: str) -> int:
        return sum(1 for path, _ in self.requests if (path == "/vacancies") == (route == "search"))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/vacancies", self._search)
        app.router.add_get("/vacancies/{id}", self._card)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _guard(self, request: web.Request, route: str) -> web.Response | None:
        self.requests.append((request.path, dict(request.query)))
        self.user_agents.add(request.headers.get("User-Agent", ""))
        if self.require_token and request.headers.get("Authorization") != f"Bearer {self.require_token}":
            return _error(403, "forbidden")
        fault = self._next_fault(route, request.match_info.get("id"))
        if fault is None:
            return None
        if fault.kind == "429":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return web.json_response({"errors": [{"type": "too_many_requests"}]}, status=429, headers=headers)
        if fault.kind == "503":
            return _error(503, "service_unavailable")
        if fault.kind == "403":
            return _error(403, "forbidden")
        if fault.kind == "malformed":
            return web.Response(text='{"items": [ {"id": "1", ', content_type="application/json")
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
        return None

    def _next_fault(self, route: str, vacancy_id: str | None) -> Fault | None:
        queue = self.faults[route]
        for fault in queue:
            if fault.vacancy_id is None or fault.vacancy_id == vacancy_id:
                queue.remove(fault)
                return fault
        return None

    async def _search(self, request: web.Request) -> web.Response:
        refused = await self._guard(request, "search")
        if refused is not None:
            return refused
        query = request.query
        page, per_page = int(query.get("page", 0)), int(query.get("per_page", 20))
        if (page + 1) * per_page > DEPTH:
            return _error(400, "bad_argument", "you can't look up more than 2000 items in the list")
        matches = [c for c in self.cards if _matches(c, query)]
        found = len(matches)
        chunk = matches[page * per_page : (page + 1) * per_page]
        body = {
            "items": [list_item(c) for c in chunk],
            "found": found,
            "pages": math.ceil(min(found, DEPTH) / per_page),
            "page": page,
            "per_page": per_page,
        }
        return web.json_response(body)

    async def _card(self, request: web.Request) -> web.Response:
        refused = await self._guard(request, "card")
        if refused is not None:
            return refused
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.card_delay:
                await asyncio.sleep(self.card_delay)
            card = next((c for c in self.cards if c["id"] == request.match_info["id"]), None)
        finally:
            self.in_flight -= 1
        if card is None or card["id"] in self.gone_ids:
            return _error(404, "not_found")
        return web.Response(text=json.dumps(card, ensure_ascii=False), content_type="application/json")


def _matches(card: dict[str, Any], query: Any) -> bool:
    if query.get("text") and query["text"].lower() not in card["name"].lower():
        return False
    if query.get("area") and card["area"]["id"] != query["area"]:
        return False
    if query.get("professional_role") and all(
        r["id"] != query["professional_role"] for r in card["professional_roles"]
    ):
        return False
    published = _card_time(card)
    if query.get("date_from") and published < _parse_time(query["date_from"]):
        return False
    return not (query.get("date_to") and published >= _parse_time(query["date_to"]))


def _error(status: int, kind: str, value: str = "") -> web.Response:
    return web.json_response({"errors": [{"type": kind, "value": value}]}, status=status)
