"""Annual joint plans: plans, their participating departments and their items.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annual_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("plan_type", sa.String(length=16), nullable=False),
        sa.Column("target_scope", sa.JSON(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("ratio_bp", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_annual_plan_department_id_department")),
        sa.ForeignKeyConstraint(["merged_into_id"], ["annual_plan.id"],
                                name=op.f("fk_annual_plan_merged_into_id_annual_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_plan")),
    )
    op.create_index(op.f("ix_annual_plan_department_id"), "annual_plan", ["department_id"])
    op.create_index(op.f("ix_annual_plan_year"), "annual_plan", ["year"])
    op.create_index(op.f("ix_annual_plan_merged_into_id"), "annual_plan", ["merged_into_id"])
    op.create_table(
        "plan_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_by", sa.String(length=128), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["annual_plan.id"], ondelete="CASCADE",
                                name=op.f("fk_plan_participant_plan_id_annual_plan")),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_plan_participant_department_id_department")),
        sa.ForeignKeyConstraint(["answered_by_id"], ["user_account.id"],
                                name=op.f("fk_plan_participant_answered_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_participant")),
        sa.UniqueConstraint("plan_id", "department_id", name="uq_plan_participant_plan_department"),
    )
    op.create_index(op.f("ix_plan_participant_plan_id"), "plan_participant", ["plan_id"])
    op.create_index(op.f("ix_plan_participant_department_id"), "plan_participant", ["department_id"])
    op.create_table(
        "plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("item_version_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("target_kinds", sa.JSON(), nullable=False),
        sa.Column("methods", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["annual_plan.id"], ondelete="CASCADE",
                                name=op.f("fk_plan_item_plan_id_annual_plan")),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_plan_item_department_id_department")),
        sa.ForeignKeyConstraint(["item_version_id"], ["check_item_version.id"],
                                name=op.f("fk_plan_item_item_version_id_check_item_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_item")),
        sa.UniqueConstraint("plan_id", "item_version_id", name="uq_plan_item_plan_item_version"),
    )
    op.create_index(op.f("ix_plan_item_plan_id"), "plan_item", ["plan_id"])
    op.create_index(op.f("ix_plan_item_department_id"), "plan_item", ["department_id"])
    op.create_index(op.f("ix_plan_item_item_version_id"), "plan_item", ["item_version_id"])


def downgrade() -> None:
    op.drop_table("plan_item")
    op.drop_table("plan_participant")
    op.drop_table("annual_plan")
