"""source_tokens and source_status: the hh.ru application token shared by every process, and
each source's last collection (when it last succeeded, its last error, its counts)

Revision ID: 0006_source_state
Revises: 0005_sources
Create Date: 2026-12-07 18:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_source_state"
down_revision: str | None = "0005_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_tokens",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("token", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=True),
        sa.Column("client_id", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("source"),
    )
    op.create_table(
        "source_status",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("last_started_at", sa.DateTime(), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )


def downgrade() -> None:
    op.drop_table("source_status")
    op.drop_table("source_tokens")
