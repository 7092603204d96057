"""The district's areas and the target directory: targets, supervision, tags and history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Byte-wise names on PostgreSQL, so a name prefix is a range on the name index (see the model).
NAME_TYPE = sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("path", sa.String(length=201), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["area.id"], name=op.f("fk_area_parent_id_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area")),
        sa.UniqueConstraint("code", name=op.f("uq_area_code")),
        sa.UniqueConstraint("path", name=op.f("uq_area_path")),
    )
    op.create_index(op.f("ix_area_parent_id"), "area", ["parent_id"])
    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", NAME_TYPE, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("legal_representative", sa.String(length=100), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("industry_code", sa.String(length=4), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("credit_class", sa.String(length=1), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_target_area_id_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("code", name=op.f("uq_target_code")),
    )
    op.create_index("ix_target_name", "target", ["name", "id"])
    op.create_index("ix_target_area_credit_industry", "target",
                    ["area_id", "credit_class", "industry_code", "name", "id"])
    op.create_index("ix_target_industry_code", "target", ["industry_code"])
    op.create_index("ix_target_kind", "target", ["kind"])
    op.create_table(
        "target_supervision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("risk_level", sa.String(length=8), nullable=True),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_target_supervision_department_id_department")),
        sa.ForeignKeyConstraint(["target_id"], ["target.id"], ondelete="CASCADE",
                                name=op.f("fk_target_supervision_target_id_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_supervision")),
        sa.UniqueConstraint("target_id", "department_id",
                            name="uq_target_supervision_target_department"),
    )
    op.create_index(op.f("ix_target_supervision_department_id"), "target_supervision",
                    ["department_id"])
    op.create_index("ix_target_supervision_department_risk", "target_supervision",
                    ["department_id", "risk_level"])
    op.create_table(
        "target_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_target_tag_department_id_department")),
        sa.ForeignKeyConstraint(["target_id"], ["target.id"], ondelete="CASCADE",
                                name=op.f("fk_target_tag_target_id_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_tag")),
        sa.UniqueConstraint("department_id", "tag", "target_id",
                            name="uq_target_tag_department_tag_target"),
    )
    op.create_index(op.f("ix_target_tag_department_id"), "target_tag", ["department_id"])
    op.create_index("ix_target_tag_target_id", "target_tag", ["target_id"])
    op.create_table(
        "target_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=128), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_target_event_department_id_department")),
        sa.ForeignKeyConstraint(["target_id"], ["target.id"], ondelete="CASCADE",
                                name=op.f("fk_target_event_target_id_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_event")),
    )
    op.create_index("ix_target_event_target_id", "target_event", ["target_id", "id"])
    op.create_index("ix_target_event_import_id", "target_event", ["import_id"])


def downgrade() -> None:
    op.drop_table("target_event")
    op.drop_table("target_tag")
    op.drop_table("target_supervision")
    op.drop_table("target")
    op.drop_index(op.f("ix_area_parent_id"), table_name="area")
    op.drop_table("area")
