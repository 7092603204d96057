"""The audit record: one row per state change, append-only, hash-chained.

Rows are written only by :mod:`spotcheck.audit.chain` (through the session events of
:mod:`spotcheck.audit.capture` and :func:`spotcheck.audit.service.record`), never through the ORM.
The database itself refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) through the triggers
below, so even code that bypasses the application cannot quietly rewrite history; a database
administrator who drops the triggers first is caught by :func:`spotcheck.audit.chain.verify`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DDL, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from spotcheck.db import Base, UTCDateTime

APPEND_ONLY_DDL: dict[str, tuple[str, ...]] = {
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
        # Row triggers do not fire for TRUNCATE; a statement trigger does.
        "CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only()",
    ),
}
"""The statements that make ``audit_record`` append-only, per dialect (also run by migration 0002)."""

DROP_APPEND_ONLY_DDL: dict[str, tuple[str, ...]] = {
    # Dropping the table drops its triggers; only PostgreSQL's function outlives it.
    "postgresql": ("DROP FUNCTION IF EXISTS audit_record_append_only()",),
}


class AuditRecord(Base):
    """One audited event: who did what to which object, when and from where.

    Not tenant-owned: the trail is the platform's, read whole by the audit administrator. Who and
    which department are copied in (not foreign keys), so a record outlives the user it names.
    ``id`` is the position in the chain, assigned under the chain lock rather than by a sequence:
    a sequence skips numbers when a transaction rolls back, and the chain must have no gaps for a
    gap to prove that a record was removed. ``at`` is when the record joined the chain, just
    before its transaction committed, so it grows with ``id``.
    """

    __tablename__ = "audit_record"
    __table_args__ = (Index("ix_audit_record_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(128))
    department_code: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(128))
    summary: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # Unique: two transactions chaining from the same head (a fork) fail instead of both landing.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


def _create_triggers_with_table() -> None:
    # create_all and drop_all (tests, fresh development databases) handle the same triggers as
    # the migration does.
    for when, ddl in (("after_create", APPEND_ONLY_DDL), ("after_drop", DROP_APPEND_ONLY_DDL)):
        for dialect, statements in ddl.items():
            for statement in statements:
                event.listen(AuditRecord.__table__, when, DDL(statement).execute_if(dialect=dialect))


_create_triggers_with_table()


class AuditCheckpoint(Base):
    """The chain's head as it stood when a checkpoint was made, to be published outside the database.

    Anyone holding a copy (the public portal's list, an e-mail, a file on another host) can later
    show that the chain was cut back or rewritten: the record a checkpoint names must still be
    there with the same hash (``spotcheck audit verify --against``). Not tenant-owned: the trail
    is the platform's. Written through the ORM, so making one is itself audited.
    """

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    record_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), index=True)
    record_hash: Mapped[str] = mapped_column(String(64))
