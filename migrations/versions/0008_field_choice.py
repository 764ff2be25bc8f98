"""users.field_choice: the field the user chose among an answer's (issue 19 item 2)

Revision ID: 0008_field_choice
Revises: 0008_vacancy_duplicates
Create Date: 2026-12-07 18:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_field_choice"
# 0008_vacancy_duplicates reached main first: this follows it (one head)
down_revision: str | None = "0008_vacancy_duplicates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("field_choice", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("field_choice")
