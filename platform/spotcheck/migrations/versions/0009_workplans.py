"""Work plans (工作方案) of annual plans, their batches (批次) and the batches' strata.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _owner_columns(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f(f"fk_{table}_department_id_department")),
        sa.ForeignKeyConstraint(["plan_id"], ["annual_plan.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{table}_plan_id_annual_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "work_plan",
        *_owner_columns("work_plan"),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.String(length=128), nullable=True),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["approved_by_id"], ["user_account.id"],
                                name=op.f("fk_work_plan_approved_by_id_user_account")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_work_plan_plan_id")),
    )
    op.create_index(op.f("ix_work_plan_department_id"), "work_plan", ["department_id"])
    op.create_table(
        "work_plan_batch",
        *_owner_columns("work_plan_batch"),
        sa.Column("work_plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("target_scope", sa.JSON(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("coordination", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["work_plan_id"], ["work_plan.id"], ondelete="CASCADE",
                                name=op.f("fk_work_plan_batch_work_plan_id_work_plan")),
        sa.UniqueConstraint("work_plan_id", "number", name="uq_work_plan_batch_work_plan_number"),
    )
    for column in ("department_id", "plan_id", "work_plan_id"):
        op.create_index(op.f(f"ix_work_plan_batch_{column}"), "work_plan_batch", [column])
    op.create_table(
        "work_plan_stratum",
        *_owner_columns("work_plan_stratum"),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("selector", sa.JSON(), nullable=False),
        sa.Column("ratio_bp", sa.Integer(), nullable=True),
        sa.Column("min_count", sa.Integer(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["work_plan_batch.id"], ondelete="CASCADE",
                                name=op.f("fk_work_plan_stratum_batch_id_work_plan_batch")),
        sa.UniqueConstraint("batch_id", "key", name="uq_work_plan_stratum_batch_key"),
    )
    for column in ("department_id", "plan_id", "batch_id"):
        op.create_index(op.f(f"ix_work_plan_stratum_{column}"), "work_plan_stratum", [column])


def downgrade() -> None:
    op.drop_table("work_plan_stratum")
    op.drop_table("work_plan_batch")
    op.drop_table("work_plan")
