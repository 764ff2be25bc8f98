"""job_runs (start, finish, outcome of every scheduled job run) and the quality gate's decision,
status and serving time of every model version (rollback serves an older row again)

Revision ID: 0007_job_runs
Revises: 0006_source_state
Create Date: 2026-12-07 18:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_job_runs"
down_revision: str | None = "0006_source_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False, server_default=""),
        sa.Column("host", sa.String(length=255), nullable=False, server_default=""),
        sa.Column("pid", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index("ix_job_runs_job_id", ["job", "id"], unique=False)
    with op.batch_alter_table("model_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="promoted")
        )
        batch_op.add_column(sa.Column("gate", sa.Text(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("served_at", sa.DateTime(), nullable=True))
    # Every row so far was promoted when it was written: it was served from then on.
    op.execute("UPDATE model_versions SET served_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("model_versions", schema=None) as batch_op:
        batch_op.drop_column("served_at")
        batch_op.drop_column("gate")
        batch_op.drop_column("status")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_job_runs_job_id")
    op.drop_table("job_runs")
