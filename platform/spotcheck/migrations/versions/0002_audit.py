"""The audit trail: append-only, hash-chained records.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

The triggers are written out here rather than imported, so this revision keeps doing exactly what
it did when it shipped; ``tests/audit/test_audit_migration.py`` holds it to the model's DDL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spotcheck.db import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = {
    "sqlite": (
        "CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record "
        "BEGIN SELECT RAISE(ABORT, 'audit_record is append-only: UPDATE refused'); END",
        "CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record "
        "BEGIN SELECT RAISE(ABORT, 'audit_record is append-only: DELETE refused'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION USING ERRCODE = 'restrict_violation', "
        "MESSAGE = 'audit_record is append-only: ' || TG_OP || ' refused'; END $$",
        "CREATE TRIGGER audit_record_no_update_delete BEFORE UPDATE OR DELETE ON audit_record "
        "FOR EACH ROW EXECUTE FUNCTION audit_record_append_only()",
        "CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only()",
    ),
}

DROP_APPEND_ONLY = {
    "sqlite": (
        "DROP TRIGGER audit_record_no_update",
        "DROP TRIGGER audit_record_no_delete",
    ),
    "postgresql": (
        "DROP TRIGGER audit_record_no_truncate ON audit_record",
        "DROP TRIGGER audit_record_no_update_delete ON audit_record",
        "DROP FUNCTION audit_record_append_only()",
    ),
}


def upgrade() -> None:
    op.create_table(
        "audit_record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False,
                  nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=128), nullable=True),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=True),
        sa.Column("object_id", sa.String(length=128), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_record")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_record_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_record_prev_hash")),
    )
    op.create_index(op.f("ix_audit_record_at"), "audit_record", ["at"])
    op.create_index("ix_audit_record_object", "audit_record", ["object_type", "object_id"])
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_index("ix_audit_record_object", table_name="audit_record")
    op.drop_index(op.f("ix_audit_record_at"), table_name="audit_record")
    op.drop_table("audit_record")
