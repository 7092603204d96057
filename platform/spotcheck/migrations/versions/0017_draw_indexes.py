"""The draw's candidates by stratum and code, in byte order: an index the ranking and the proof
read without sorting, over codes collated "C" on PostgreSQL (SQLite compares bytes already).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # Same type, another collation: PostgreSQL rebuilds the indexes, not the table.
        op.alter_column("draw_candidate", "code", existing_type=sa.String(length=32),
                        type_=sa.String(length=32, collation="C"), existing_nullable=False)
    op.create_index("ix_draw_candidate_stratum_code", "draw_candidate", ["draw_id", "stratum", "code"])


def downgrade() -> None:
    op.drop_index("ix_draw_candidate_stratum_code", table_name="draw_candidate")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("draw_candidate", "code", existing_type=sa.String(length=32, collation="C"),
                        type_=sa.String(length=32), existing_nullable=False)
