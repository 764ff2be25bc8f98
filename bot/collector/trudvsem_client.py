"""An async client for Работа России's open-data API (opendata.trudvsem.ru), no key needed.

``GET /api/v1/vacancies`` (the whole country) and ``/api/v1/vacancies/region/{code}`` (one
region, a 13-digit code such as 7700000000000 for Moscow) answer
``{status, meta: {total, limit}, results: {vacancies: [{vacancy: {...}}]}}``, newest
``date_modify`` first. ``offset`` is a page index, not a record offset, and ``limit`` is at
most 100. Pages from index 100 on fail (HTTP 500), so at most 10,000 vacancies per listing
are reachable; docs/fresh-data.md says where that was found and how sure it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.collector.errors import SourceError
from bot.collector.http import JsonApiClient, Reply

DEFAULT_BASE_URL = "https://opendata.trudvsem.ru/api/v1"
PER_PAGE = 100
MAX_PAGES = 100  # offset 100 and beyond answer 500: 10,000 vacancies per listing at most
DOCS = "docs/fresh-data.md"


@dataclass(frozen=True)
class TrudvsemPage:
    items: list[dict[str, Any]]  # each {"vacancy": {...}}, as the API nests them
    total: int
    page: int

    @property
    def last_page(self) -> int:
        """The last page index worth asking for (the total, capped by the API's depth)."""
        return min(MAX_PAGES, -(-self.total // PER_PAGE)) - 1


class TrudvsemClient(JsonApiClient):
    source_name = "Работа России"

    async def __aenter__(self) -> TrudvsemClient:
        await super().__aenter__()
        return self

    async def page(self, region: str | None, page: int) -> TrudvsemPage:
        """One page of the country's (``region`` None) or one region's vacancies, newest first."""
        path = f"vacancies/region/{region}" if region else "vacancies"
        body = await self.get_json(path, {"offset": page, "limit": PER_PAGE})
        if not isinstance(body, dict):
            raise SourceError(f"GET /{path}: the answer is not an object")
        meta, results = body.get("meta"), body.get("results")
        meta = meta if isinstance(meta, dict) else {}
        results = results if isinstance(results, dict) else {}
        vacancies = results.get("vacancies") or []  # an empty listing may leave the key out
        if not isinstance(vacancies, list):
            raise SourceError(f"GET /{path}: results.vacancies is not a list")
        return TrudvsemPage(
            items=[item for item in vacancies if isinstance(item, dict)],
            total=int(meta.get("total") or 0),
            page=page,
        )

    def refused(self, path: str, reply: Reply, sent_headers: dict[str, str]) -> None:
        raise self.stop(f"Работа России refuses requests from this host (403 on GET /{path}) ({DOCS})")
