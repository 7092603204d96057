"""Bulk imports and syncs: one row per run, with its report.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=128), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("file_format", sa.String(length=8), nullable=True),
        sa.Column("encoding", sa.String(length=16), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("supervised", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("invalid", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("confirms_id", sa.Integer(), nullable=True),
        sa.Column("upload", sa.LargeBinary(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["confirms_id"], ["import_run.id"],
                                name=op.f("fk_import_run_confirms_id_import_run")),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_import_run_department_id_department")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_run")),
    )
    op.create_index(op.f("ix_import_run_department_id"), "import_run", ["department_id"])
    op.create_index(op.f("ix_import_run_sha256"), "import_run", ["sha256"])


def downgrade() -> None:
    op.drop_index(op.f("ix_import_run_sha256"), table_name="import_run")
    op.drop_index(op.f("ix_import_run_department_id"), table_name="import_run")
    op.drop_table("import_run")
