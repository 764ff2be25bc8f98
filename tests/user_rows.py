"""What the database holds about a user, read straight from the tables (the bot never needs it:
the tests check /forget, feedback and "не подходит" with it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.storage.models import DigestSubscription, Feedback, QueryRow, User, UserSkill, VacancyAction

USER_TABLES = (UserSkill, QueryRow, Feedback, DigestSubscription, VacancyAction)


async def count_rows_about(sessions: Any, user_id: int) -> int:
    """How many rows in all tables refer to the user (0 after forget_user)."""
    async with sessions() as session:
        total = await session.scalar(select(func.count()).where(User.id == user_id)) or 0
        for model in USER_TABLES:
            where = model.user_id == user_id  # type: ignore[attr-defined]
            total += await session.scalar(select(func.count()).select_from(model).where(where)) or 0
    return int(total)


async def rejections(sessions: Any, user_id: int) -> list[tuple[int | None, str]]:
    """(query id, vacancy key) of every "не подходит" the user pressed."""
    statement = select(VacancyAction.query_id, VacancyAction.vacancy_key).where(
        VacancyAction.action == "reject", VacancyAction.user_id == user_id
    )
    async with sessions() as session:
        return [(query_id, key) for query_id, key in (await session.execute(statement)).all()]


async def feedback_for(sessions: Any, user_id: int) -> list[tuple[int, int]]:
    """(query id, +1 or -1) of the user's 👍 / 👎."""
    statement = select(Feedback.query_id, Feedback.value).where(Feedback.user_id == user_id)
    async with sessions() as session:
        return [(int(query_id), int(value)) for query_id, value in (await session.execute(statement)).all()]
