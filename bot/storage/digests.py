"""Digest subscribers due for a digest, and their per-user progress marks.

Each subscription keeps ``last_sent_at`` and a cursor over collected vacancies
(``last_vacancy_seen_at``, ``last_vacancy_key``: the (first_seen_at, key) of the newest
vacancy already considered). Both are written per user, right after that user's message
goes out, so an interrupted run resumes with the users not yet served.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection
from bot.storage.models import DigestSubscription, User, UserSkill
from bot.storage.vacancies import from_db_time, to_db_time

logger = logging.getLogger(__name__)

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# A digest may go out this much early, so a fixed tick does not push it later every day.
EARLY_SLACK = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Subscriber:
    user_id: int
    language: str
    frequency: str
    skills: tuple[str, ...]
    skills_text: str
    city_id: str | None
    experience: str | None
    cursor_at: datetime | None
    cursor_key: str | None
    city_name: str | None = None
    schedule: str | None = None
    field_choice: str | None = None  # the field the user chose among an answer's


class DigestRepository:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    @retry_on_fresh_connection
    async def due(self, now: datetime) -> list[Subscriber]:
        """Active subscribers whose period has passed since their last digest (or never sent)."""
        conditions: list[ColumnElement[bool]] = [DigestSubscription.last_sent_at.is_(None)]
        for frequency, period in PERIODS.items():
            cutoff = to_db_time(now - period + EARLY_SLACK)
            conditions.append(
                (DigestSubscription.frequency == frequency) & (DigestSubscription.last_sent_at <= cutoff)
            )
        return await self._subscribers(User.active.is_(True), or_(*conditions))

    @retry_on_fresh_connection
    async def subscriber(self, user_id: int) -> Subscriber | None:
        """One user's subscription as the digest run sees it (None when not subscribed)."""
        found = await self._subscribers(DigestSubscription.user_id == user_id)
        return found[0] if found else None

    async def _subscribers(self, *where: ColumnElement[bool]) -> list[Subscriber]:
        statement = (
            select(DigestSubscription, User)
            .join(User, User.id == DigestSubscription.user_id)
            .where(*where)
            .order_by(DigestSubscription.user_id)
        )
        async with self.session_factory() as session:
            rows = (await session.execute(statement)).all()
            skills = await self._skills(session, [sub.user_id for sub, _ in rows])
        return [
            Subscriber(
                user_id=sub.user_id,
                language=user.language or "ru",
                frequency=sub.frequency,
                skills=tuple(skills.get(sub.user_id, ())),
                skills_text=user.skills_text or "",
                city_id=user.city_id,
                experience=user.experience,
                cursor_at=from_db_time(sub.last_vacancy_seen_at),
                cursor_key=sub.last_vacancy_key,
                city_name=user.city_name,
                schedule=user.schedule,
                field_choice=user.field_choice,
            )
            for sub, user in rows
        ]

    @staticmethod
    async def _skills(session: AsyncSession, user_ids: list[int]) -> dict[int, list[str]]:
        if not user_ids:
            return {}
        result = await session.execute(
            select(UserSkill.user_id, UserSkill.skill)
            .where(UserSkill.user_id.in_(user_ids))
            .order_by(UserSkill.user_id, UserSkill.position)
        )
        skills: dict[int, list[str]] = {}
        for user_id, skill in result:
            skills.setdefault(user_id, []).append(skill)
        return skills

    @retry_on_fresh_connection
    async def mark_sent(self, user_id: int, sent_at: datetime, cursor_at: datetime, cursor_key: str) -> None:
        await self._update(
            user_id, last_sent_at=to_db_time(sent_at), cursor_at=cursor_at, cursor_key=cursor_key
        )

    @retry_on_fresh_connection
    async def advance_cursor(self, user_id: int, cursor_at: datetime, cursor_key: str) -> None:
        """Nothing new fitted: remember what was looked at, but no digest was sent."""
        await self._update(user_id, last_sent_at=None, cursor_at=cursor_at, cursor_key=cursor_key)

    async def _update(
        self, user_id: int, *, last_sent_at: datetime | None, cursor_at: datetime, cursor_key: str
    ) -> None:
        values: dict[str, object] = {
            "last_vacancy_seen_at": to_db_time(cursor_at),
            "last_vacancy_key": cursor_key,
        }
        if last_sent_at is not None:
            values["last_sent_at"] = last_sent_at
        async with self.session_factory.begin() as session:
            await session.execute(
                update(DigestSubscription).where(DigestSubscription.user_id == user_id).values(**values)
            )

    @retry_on_fresh_connection
    async def last_sent(self, user_id: int) -> datetime | None:
        async with self.session_factory() as session:
            sub = await session.get(DigestSubscription, user_id)
            return None if sub is None else from_db_time(sub.last_sent_at)
