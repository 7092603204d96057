"""The department-scoped search index: copies of the target's searched columns on its supervisions.

A department's search is driven from ``target_supervision`` (see registry/targets/search.py), so
each supervision carries the target columns the search filters and orders by, kept in step by
every writer of those columns; this migration adds them, fills them in and indexes them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NAME_TYPE = sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql")
COPIED = ("name", "kind", "area_id", "industry_code", "status", "credit_class")


def upgrade() -> None:
    op.add_column("target_supervision", sa.Column("name", NAME_TYPE, nullable=True))
    op.add_column("target_supervision", sa.Column("kind", sa.String(length=32), nullable=True))
    op.add_column("target_supervision", sa.Column("area_id", sa.Integer(), nullable=True))
    op.add_column("target_supervision", sa.Column("industry_code", sa.String(length=4),
                                                  nullable=True))
    op.add_column("target_supervision", sa.Column("status", sa.String(length=16), nullable=True))
    op.add_column("target_supervision", sa.Column("credit_class", sa.String(length=1),
                                                  nullable=True))
    # Backfill: one correlated UPDATE, which both backends accept.
    sets = ", ".join(f"{column} = (SELECT target.{column} FROM target "
                     f"WHERE target.id = target_supervision.target_id)" for column in COPIED)
    op.execute(f"UPDATE target_supervision SET {sets}")
    op.create_index("ix_target_supervision_search", "target_supervision",
                    ["department_id", "area_id", "credit_class", "industry_code", "name",
                     "target_id"])


def downgrade() -> None:
    op.drop_index("ix_target_supervision_search", table_name="target_supervision")
    with op.batch_alter_table("target_supervision") as batch:
        for column in reversed(COPIED):
            batch.drop_column(column)
