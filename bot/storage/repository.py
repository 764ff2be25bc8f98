"""Everything the bot stores about its users, behind plain methods and plain records.

Each method runs in its own short transaction, so no session stays open while a
recommendation is computed in a thread.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Row, Table, delete, func, insert, literal, select, text, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.db import retry_on_fresh_connection, upsert_into
from bot.storage.models import DigestSubscription, Feedback, QueryRow, User, UserSkill, VacancyAction

ACTIVE_WINDOW = timedelta(days=7)
VACANCY_ACTIONS = ("hide", "save", "reject")
MAX_SAVED = 50


def utcnow() -> datetime:
    # Naive UTC: SQLite has no time zones, and every stored time is UTC.
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class UserProfile:
    id: int
    language: str
    city_id: str | None = None
    city_name: str | None = None
    experience: str | None = None
    schedule: str | None = None
    skills_text: str | None = None
    skills: tuple[str, ...] = ()
    active: bool = True
    digest_frequency: str | None = None
    hidden: frozenset[str] = frozenset()  # vacancy keys the user hid, as of this read
    field_choice: str | None = None  # the field chosen last among an answer's (its key)
    # False for a user the bot could not store (a full disk at their first message): nothing
    # that refers to the user (a query, skills) can be stored either.
    stored: bool = True


@dataclass(frozen=True, slots=True)
class QueryRecord:
    id: int
    user_id: int
    kind: str
    text: str
    recognized_skills: list[str]
    model_version: str | None
    vacancy_keys: list[str]
    created_at: datetime
    state: dict = field(default_factory=dict)  # filters, sort, page of the answer message


@dataclass(frozen=True, slots=True)
class SavedVacancy:
    vacancy_key: str  # Vacancy.key, "source:id"
    title: str
    employer: str
    url: str
    saved_at: datetime


@dataclass(slots=True)
class Stats:
    users: int = 0
    active_users: int = 0
    blocked_users: int = 0
    queries_per_day: list[tuple[date, int]] = field(default_factory=list)
    subscriptions: dict[str, int] = field(default_factory=dict)
    feedback: dict[int, int] = field(default_factory=dict)


def _json_object(text: str | None) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


USERS = cast(Table, User.__table__)
USER_COLUMNS = (
    User.id, User.language, User.city_id, User.city_name, User.experience, User.schedule,
    User.skills_text, User.active, User.field_choice,
)  # fmt: skip


async def _profile_of(session: AsyncSession, user: Row[*tuple[Any, ...]]) -> UserProfile:
    """The profile of a ``USER_COLUMNS`` row: its skills, digest and hidden vacancies in one
    more statement (one round trip: each row says what it is, the skills come in order)."""
    hidden = select(literal("hidden"), VacancyAction.vacancy_key, literal(-2)).where(
        VacancyAction.user_id == user.id, VacancyAction.action == "hide"
    )
    digest = select(literal("digest"), DigestSubscription.frequency, literal(-1)).where(
        DigestSubscription.user_id == user.id
    )
    skills = select(literal("skill"), UserSkill.skill, UserSkill.position).where(UserSkill.user_id == user.id)
    rows = (await session.execute(union_all(hidden, digest, skills).order_by(text("3")))).all()
    frequency = next((value for kind, value, _ in rows if kind == "digest"), None)
    return UserProfile(
        id=user.id,
        language=user.language,
        city_id=user.city_id,
        city_name=user.city_name,
        experience=user.experience,
        schedule=user.schedule,
        skills_text=user.skills_text,
        skills=tuple(value for kind, value, _ in rows if kind == "skill"),
        active=user.active,
        digest_frequency=frequency,
        hidden=frozenset(value for kind, value, _ in rows if kind == "hidden"),
        field_choice=user.field_choice,
    )


async def _save_skills(session: AsyncSession, user_id: int, text: str, skills: Sequence[str]) -> bool:
    """The user's skills (their text as typed and the list in order); nothing for a user
    with no row (False)."""
    found = await session.execute(update(User).where(User.id == user_id).values(skills_text=text))
    if not getattr(found, "rowcount", 0):
        return False
    await session.execute(delete(UserSkill).where(UserSkill.user_id == user_id))
    unique = list(dict.fromkeys(s[:100] for s in skills))
    if unique:
        rows = [{"user_id": user_id, "skill": s, "position": i} for i, s in enumerate(unique)]
        await session.execute(insert(UserSkill), rows)
    return True


class Repository:
    def __init__(self, sessionmaker: async_sessionmaker) -> None:
        self._sessions = sessionmaker

    @contextlib.asynccontextmanager
    async def _autocommit(self) -> AsyncIterator[AsyncSession]:
        """A session whose every statement commits by itself: no BEGIN, COMMIT or ROLLBACK
        round trips, for reads and single-statement writes on the path of every update."""
        async with self._sessions() as session:
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            yield session

    # users -----------------------------------------------------------------

    @retry_on_fresh_connection
    async def touch_user(self, user_id: int, default_language: str) -> UserProfile:
        """Create the user on first contact, refresh last-seen and re-activate otherwise.

        One upsert (two first updates at once, from two chats, cannot collide on the key),
        then the profile: two statements, each its own transaction."""
        now = utcnow()
        async with self._autocommit() as session:
            insert = upsert_into(USERS, session.get_bind().dialect.name)
            values = insert.values(
                id=user_id, language=default_language, created_at=now, last_seen_at=now, active=True
            )
            statement = values.on_conflict_do_update(
                index_elements=[User.id], set_={"last_seen_at": now, "active": True}
            ).returning(*USER_COLUMNS)
            user = (await session.execute(statement)).one()
            return await _profile_of(session, user)

    @retry_on_fresh_connection
    async def get_profile(self, user_id: int) -> UserProfile | None:
        async with self._autocommit() as session:
            user = (await session.execute(select(*USER_COLUMNS).where(User.id == user_id))).one_or_none()
            return None if user is None else await _profile_of(session, user)

    @retry_on_fresh_connection
    async def save_skills(self, user_id: int, text: str, skills: Sequence[str]) -> bool:
        """Whether they were stored: False for a user with no row (one the bot could not store)."""
        async with self._sessions.begin() as session:
            return await _save_skills(session, user_id, text, skills)

    @retry_on_fresh_connection
    async def update_settings(
        self,
        user_id: int,
        *,
        language: str | None = None,
        city: tuple[str | None, str | None] | None = None,
        experience: tuple[str | None] | None = None,
        schedule: tuple[str | None] | None = None,
    ) -> None:
        """Change only what is given. City, experience and schedule come wrapped in a tuple so
        that "set to none (any)" differs from "leave unchanged"."""
        async with self._sessions.begin() as session:
            user = await session.get(User, user_id)
            if user is None:
                return
            if language is not None:
                user.language = language
            if city is not None:
                user.city_id, user.city_name = city
            if experience is not None:
                user.experience = experience[0]
            if schedule is not None:
                user.schedule = schedule[0]

    @retry_on_fresh_connection
    async def mark_inactive(self, user_id: int) -> None:
        """The user blocked the bot: stop writing to them, digests included."""
        async with self._sessions.begin() as session:
            user = await session.get(User, user_id)
            if user is not None:
                user.active = False
            await session.execute(delete(DigestSubscription).where(DigestSubscription.user_id == user_id))

    @retry_on_fresh_connection
    async def forget_user(self, user_id: int) -> bool:
        """Delete everything stored about the user. Explicit deletes rather than relying on
        ON DELETE CASCADE, which another database might not enforce."""
        async with self._sessions.begin() as session:
            await session.execute(delete(Feedback).where(Feedback.user_id == user_id))
            await session.execute(delete(VacancyAction).where(VacancyAction.user_id == user_id))
            await session.execute(delete(QueryRow).where(QueryRow.user_id == user_id))
            await session.execute(delete(UserSkill).where(UserSkill.user_id == user_id))
            await session.execute(delete(DigestSubscription).where(DigestSubscription.user_id == user_id))
            result = await session.execute(delete(User).where(User.id == user_id))
            return bool(getattr(result, "rowcount", 0))

    # queries and feedback --------------------------------------------------

    @retry_on_fresh_connection
    async def log_query(
        self,
        user_id: int,
        *,
        text: str,
        recognized: Sequence[str],
        model_version: str | None,
        vacancy_keys: Sequence[str],
        kind: str = "recommend",
        state: dict | None = None,
        skills: Sequence[str] | None = None,
    ) -> int:
        """Store a query (and, given ``skills``, make them the user's skills, in the same
        transaction: an answer writes once). Returns the query's id."""
        async with self._sessions.begin() as session:
            if skills is not None:
                await _save_skills(session, user_id, ", ".join(skills), skills)
            statement = (
                insert(QueryRow)
                .values(
                    user_id=user_id,
                    kind=kind,
                    text=text,
                    recognized_skills=json.dumps(list(recognized), ensure_ascii=False),
                    model_version=model_version,
                    vacancy_keys=json.dumps(list(vacancy_keys)),
                    created_at=utcnow(),
                    state=json.dumps(state, ensure_ascii=False) if state else None,
                )
                .returning(QueryRow.id)
            )
            return int((await session.execute(statement)).scalar_one())

    @retry_on_fresh_connection
    async def get_query(self, query_id: int) -> QueryRecord | None:
        async with self._sessions() as session:
            query = await session.get(QueryRow, query_id)
            if query is None:
                return None
            return QueryRecord(
                id=query.id,
                user_id=query.user_id,
                kind=query.kind,
                text=query.text,
                recognized_skills=json.loads(query.recognized_skills),
                model_version=query.model_version,
                vacancy_keys=json.loads(query.vacancy_keys),
                created_at=query.created_at,
                state=_json_object(query.state),
            )

    @retry_on_fresh_connection
    async def add_shown_vacancies(
        self, query_id: int, vacancy_keys: Sequence[str], state: dict | None = None
    ) -> None:
        """Record a page shown (and, given, the answer's new state: its filters, sort, page)."""
        async with self._sessions.begin() as session:
            query = await session.get(QueryRow, query_id)
            if query is None:
                return
            shown = json.loads(query.vacancy_keys)
            shown.extend(v for v in vacancy_keys if v not in shown)
            query.vacancy_keys = json.dumps(shown)
            if state is not None:
                query.state = json.dumps(state, ensure_ascii=False)

    # per-vacancy actions ---------------------------------------------------

    @retry_on_fresh_connection
    async def add_vacancy_action(
        self,
        user_id: int,
        vacancy_key: str,
        action: str,
        *,
        query_id: int | None = None,
        title: str = "",
        employer: str = "",
        url: str = "",
    ) -> bool:
        """Hide, save or reject a vacancy; False when it was already recorded."""
        if action not in VACANCY_ACTIONS:
            raise ValueError(f"unknown vacancy action {action!r}")
        async with self._sessions.begin() as session:
            existing = await session.scalar(
                select(VacancyAction.id).where(
                    VacancyAction.user_id == user_id,
                    VacancyAction.vacancy_key == vacancy_key,
                    VacancyAction.action == action,
                )
            )
            if existing is not None:
                return False
            session.add(
                VacancyAction(
                    user_id=user_id, vacancy_key=vacancy_key[:80], action=action, query_id=query_id,
                    title=title[:300], employer=employer[:200], url=url[:300], created_at=utcnow(),
                )
            )  # fmt: skip
            return True

    @retry_on_fresh_connection
    async def remove_vacancy_action(self, user_id: int, vacancy_key: str, action: str) -> bool:
        """Undo a save (or hide, or reject); False when there was none."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(VacancyAction).where(
                    VacancyAction.user_id == user_id,
                    VacancyAction.vacancy_key == vacancy_key,
                    VacancyAction.action == action,
                )
            )
            return bool(getattr(result, "rowcount", 0))

    @retry_on_fresh_connection
    async def hidden_vacancies(self, user_id: int) -> set[str]:
        async with self._autocommit() as session:
            rows = await session.scalars(
                select(VacancyAction.vacancy_key).where(
                    VacancyAction.user_id == user_id, VacancyAction.action == "hide"
                )
            )
            return set(rows.all())

    @retry_on_fresh_connection
    async def hidden_by_user(self, user_ids: Sequence[int]) -> dict[int, set[str]]:
        """Hidden vacancy keys of many users at once (a digest run)."""
        if not user_ids:
            return {}
        async with self._sessions() as session:
            rows = await session.execute(
                select(VacancyAction.user_id, VacancyAction.vacancy_key).where(
                    VacancyAction.user_id.in_(list(user_ids)), VacancyAction.action == "hide"
                )
            )
            hidden: dict[int, set[str]] = {}
            for user_id, vacancy_key in rows.all():
                hidden.setdefault(int(user_id), set()).add(vacancy_key)
            return hidden

    @retry_on_fresh_connection
    async def saved_vacancies(self, user_id: int, limit: int = MAX_SAVED) -> list[SavedVacancy]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(VacancyAction)
                .where(VacancyAction.user_id == user_id, VacancyAction.action == "save")
                .order_by(VacancyAction.created_at.desc(), VacancyAction.id.desc())
                .limit(limit)
            )
            return [SavedVacancy(r.vacancy_key, r.title, r.employer, r.url, r.created_at) for r in rows.all()]

    @retry_on_fresh_connection
    async def save_feedback(self, user_id: int, query_id: int, value: int) -> bool:
        """Store 👍 (+1) or 👎 (-1) for a query; a second press replaces the first.
        Returns False when the query is not the user's (an old or foreign button)."""
        async with self._sessions.begin() as session:
            query = await session.get(QueryRow, query_id)
            if query is None or query.user_id != user_id:
                return False
            existing = await session.scalar(
                select(Feedback).where(Feedback.user_id == user_id, Feedback.query_id == query_id)
            )
            if existing is None:
                session.add(Feedback(user_id=user_id, query_id=query_id, value=value, created_at=utcnow()))
            else:
                existing.value = value
                existing.created_at = utcnow()
            return True

    # digests ---------------------------------------------------------------

    @retry_on_fresh_connection
    async def set_field_choice(self, user_id: int, key: str | None) -> None:
        """Remember the field the user chose (None forgets it); nothing for a user with no row."""
        async with self._sessions.begin() as session:
            await session.execute(update(User).where(User.id == user_id).values(field_choice=key))

    async def set_digest(self, user_id: int, frequency: str | None) -> None:
        """Subscribe with a frequency ("daily", "weekly") or unsubscribe (None)."""
        async with self._sessions.begin() as session:
            existing = await session.get(DigestSubscription, user_id)
            if frequency is None:
                if existing is not None:
                    await session.delete(existing)
                return
            if existing is None:
                # Start from "now" so the first digest has only vacancies collected after subscribing.
                now = utcnow()
                session.add(
                    DigestSubscription(
                        user_id=user_id, frequency=frequency, created_at=now, last_vacancy_seen_at=now
                    )
                )
            else:
                existing.frequency = frequency

    # admin -----------------------------------------------------------------

    @retry_on_fresh_connection
    async def stats(self, days: int = 7) -> Stats:
        now = utcnow()
        stats = Stats()
        async with self._sessions() as session:
            stats.users = await session.scalar(select(func.count()).select_from(User)) or 0
            stats.active_users = (
                await session.scalar(
                    select(func.count()).where(
                        User.active.is_(True), User.last_seen_at >= now - ACTIVE_WINDOW
                    )
                )
                or 0
            )
            stats.blocked_users = (
                await session.scalar(select(func.count()).where(User.active.is_(False))) or 0
            )
            day = func.date(QueryRow.created_at)
            rows = await session.execute(
                select(day, func.count())
                .where(QueryRow.created_at >= now - timedelta(days=days))
                .group_by(day)
                .order_by(day)
            )
            stats.queries_per_day = [(date.fromisoformat(str(d)), int(n)) for d, n in rows.all()]
            rows = await session.execute(
                select(DigestSubscription.frequency, func.count()).group_by(DigestSubscription.frequency)
            )
            stats.subscriptions = {str(f): int(n) for f, n in rows.all()}
            rows = await session.execute(select(Feedback.value, func.count()).group_by(Feedback.value))
            stats.feedback = {int(v): int(n) for v, n in rows.all()}
        return stats
