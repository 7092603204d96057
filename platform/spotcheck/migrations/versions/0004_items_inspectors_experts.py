"""The item lists, the inspector directory and the expert pool.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

Items (``check_item``) and their immutable versions (``check_item_version``); inspectors with their
authorities, areas and declared conflicts; the expert pool with its specialities.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("local_name_zh", sa.String(length=200), nullable=True),
        sa.Column("local_name_en", sa.String(length=200), nullable=True),
        sa.Column("local_note", sa.Text(), nullable=True),
        sa.Column("current_number", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"], name=op.f("fk_check_item_department_id_department")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_item")),
        sa.UniqueConstraint("department_id", "code", name="uq_check_item_department_code"),
    )
    op.create_index(op.f("ix_check_item_department_id"), "check_item", ["department_id"])
    op.create_table(
        "expert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("qualification", sa.String(length=100), nullable=True),
        sa.Column("contact", sa.String(length=32), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"], name=op.f("fk_expert_department_id_department")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert")),
    )
    op.create_index(op.f("ix_expert_department_id"), "expert", ["department_id"])
    op.create_index(op.f("ix_expert_name"), "expert", ["name"])
    op.create_table(
        "check_item_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("plugin_version", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"], name=op.f("fk_check_item_version_department_id_department")),
        sa.ForeignKeyConstraint(["item_id"], ["check_item.id"], name=op.f("fk_check_item_version_item_id_check_item")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_item_version")),
        sa.UniqueConstraint("item_id", "number", name="uq_check_item_version_item_number"),
    )
    op.create_index(op.f("ix_check_item_version_department_id"), "check_item_version", ["department_id"])
    op.create_index(op.f("ix_check_item_version_item_id"), "check_item_version", ["item_id"])
    op.create_table(
        "expert_speciality",
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("speciality", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(["expert_id"], ["expert.id"], name=op.f("fk_expert_speciality_expert_id_expert"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("expert_id", "speciality", name=op.f("pk_expert_speciality")),
    )
    op.create_index("ix_expert_speciality_speciality", "expert_speciality", ["speciality"])
    op.create_table(
        "inspector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("expertise", sa.JSON(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"], name=op.f("fk_inspector_department_id_department")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_inspector_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspector")),
        sa.UniqueConstraint("code", name=op.f("uq_inspector_code")),
        sa.UniqueConstraint("user_id", name=op.f("uq_inspector_user_id")),
    )
    op.create_index(op.f("ix_inspector_department_id"), "inspector", ["department_id"])
    op.create_index(op.f("ix_inspector_name"), "inspector", ["name"])
    op.create_index(op.f("ix_inspector_valid_to"), "inspector", ["valid_to"])
    op.create_table(
        "inspector_area",
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_inspector_area_area_code_area")),
        sa.ForeignKeyConstraint(["inspector_id"], ["inspector.id"], name=op.f("fk_inspector_area_inspector_id_inspector"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("inspector_id", "area_code", name=op.f("pk_inspector_area")),
    )
    op.create_index("ix_inspector_area_area_code", "inspector_area", ["area_code"])
    op.create_table(
        "inspector_authority",
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("authority", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["inspector_id"], ["inspector.id"], name=op.f("fk_inspector_authority_inspector_id_inspector"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("inspector_id", "authority", name=op.f("pk_inspector_authority")),
    )
    op.create_index("ix_inspector_authority_authority", "inspector_authority", ["authority"])
    op.create_table(
        "inspector_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("declared_at", UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"], name=op.f("fk_inspector_conflict_department_id_department")),
        sa.ForeignKeyConstraint(["inspector_id"], ["inspector.id"], name=op.f("fk_inspector_conflict_inspector_id_inspector")),
        sa.ForeignKeyConstraint(["target_id"], ["target.id"], name=op.f("fk_inspector_conflict_target_id_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspector_conflict")),
    )
    op.create_index(op.f("ix_inspector_conflict_department_id"), "inspector_conflict", ["department_id"])
    op.create_index(op.f("ix_inspector_conflict_inspector_id"), "inspector_conflict", ["inspector_id"])
    op.create_index(op.f("ix_inspector_conflict_target_id"), "inspector_conflict", ["target_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_inspector_conflict_target_id"), table_name="inspector_conflict")
    op.drop_index(op.f("ix_inspector_conflict_inspector_id"), table_name="inspector_conflict")
    op.drop_index(op.f("ix_inspector_conflict_department_id"), table_name="inspector_conflict")
    op.drop_table("inspector_conflict")
    op.drop_index("ix_inspector_authority_authority", table_name="inspector_authority")
    op.drop_table("inspector_authority")
    op.drop_index("ix_inspector_area_area_code", table_name="inspector_area")
    op.drop_table("inspector_area")
    op.drop_index(op.f("ix_inspector_valid_to"), table_name="inspector")
    op.drop_index(op.f("ix_inspector_name"), table_name="inspector")
    op.drop_index(op.f("ix_inspector_department_id"), table_name="inspector")
    op.drop_table("inspector")
    op.drop_index("ix_expert_speciality_speciality", table_name="expert_speciality")
    op.drop_table("expert_speciality")
    op.drop_index(op.f("ix_check_item_version_item_id"), table_name="check_item_version")
    op.drop_index(op.f("ix_check_item_version_department_id"), table_name="check_item_version")
    op.drop_table("check_item_version")
    op.drop_index(op.f("ix_expert_name"), table_name="expert")
    op.drop_index(op.f("ix_expert_department_id"), table_name="expert")
    op.drop_table("expert")
    op.drop_index(op.f("ix_check_item_department_id"), table_name="check_item")
    op.drop_table("check_item")
