"""The hash chain: appending records in order, and proving that none was changed or removed.

Each record's ``hash`` is ``sha256(prev_hash + "\\n" + canonical JSON of its fields)`` and its
``prev_hash`` is the hash of the record before it (64 zeros for the first), so altering, removing
or reordering any record breaks every link after it. Removing records from the end leaves a valid
shorter chain: that is what :class:`ChainHead` checkpoints kept elsewhere are for.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, false, func, insert, select

from spotcheck.audit.masking import canonical_json
from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow

GENESIS = "0" * 64
"""The ``prev_hash`` of the first record."""

CHAIN_LOCK_KEY = 0x73706F7461756474  # "spotaudt": the PostgreSQL advisory lock of the chain

HASHED_FIELDS = ("id", "at", "user_id", "username", "department_code", "action", "object_type",
                 "object_id", "summary", "ip", "request_id")

_table = AuditRecord.__table__


@dataclass(frozen=True)
class Entry:
    """A record waiting for its place in the chain (everything but id, time and hashes)."""

    user_id: int | None
    username: str | None
    department_code: str | None
    action: str
    object_type: str | None
    object_id: str | None
    summary: str | None
    ip: str | None
    request_id: str | None


@dataclass(frozen=True)
class ChainHead:
    """The newest record: a checkpoint to keep outside the database."""

    id: int
    hash: str


class Problem(str, enum.Enum):
    """What is wrong with a broken link."""

    GAP = "gap in ids"
    PREV_HASH = "prev_hash mismatch"
    HASH = "hash mismatch"


@dataclass(frozen=True)
class Break:
    """The first broken link: which record, and what is wrong with it."""

    record_id: int
    problem: Problem
    detail: str

    def __str__(self) -> str:
        return f"record {self.record_id}: {self.problem.value}: {self.detail}"


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of recomputing the chain.

    ``count`` is the number of records found intact, up to the first break; ``head`` the last of
    them.
    """

    count: int
    head: ChainHead | None
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def record_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of a record with ``fields`` (the :data:`HASHED_FIELDS`) following ``prev_hash``."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["at"] = _timestamp(payload["at"])
    return hashlib.sha256(f"{prev_hash}\n{canonical_json(payload)}".encode()).hexdigest()


def _timestamp(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def read_head(connection: Connection) -> ChainHead | None:
    """The newest record, or ``None`` when the trail is empty."""
    row = connection.execute(
        select(_table.c.id, _table.c.hash).order_by(_table.c.id.desc()).limit(1)
    ).one_or_none()
    return None if row is None else ChainHead(row.id, row.hash)


def append(connection: Connection, entries: Sequence[Entry]) -> None:
    """Chain ``entries`` after the current head and insert them, in the caller's transaction.

    Two transactions must never chain from the same head, so the head is read only once this
    transaction holds the chain (see :func:`_hold_chain`), and holds it until it ends. Should
    that ever fail, the unique ``prev_hash`` makes the second insert fail instead of forking.
    """
    if not entries:
        return
    _hold_chain(connection)
    head = read_head(connection)
    last_id, last_hash = (head.id, head.hash) if head else (0, GENESIS)
    at = utcnow()
    rows = []
    for entry in entries:
        fields = {**asdict(entry), "id": last_id + 1, "at": at}
        digest = record_hash(last_hash, fields)
        rows.append({**fields, "prev_hash": last_hash, "hash": digest})
        last_id, last_hash = fields["id"], digest
    connection.execute(insert(_table), rows)


def _hold_chain(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Held until this transaction ends; a waiting transaction then reads the committed head
        # (each READ COMMITTED statement sees what was committed before it started).
        connection.execute(select(func.pg_advisory_xact_lock(CHAIN_LOCK_KEY)))
    else:
        begin_write(connection)  # SQLite has one writer at a time: being it is holding the chain


def begin_write(connection: Connection) -> None:
    """On SQLite, make sure this transaction holds the database's write lock before it reads on.

    SQLite has one writer at a time, but a transaction's reads before its first write may be
    stale by the time it writes: after a deferred ``BEGIN`` (as :mod:`spotcheck.db` issues) its
    WAL snapshot may predate another connection's commit, and under Python's own sqlite3
    handling (no ``BEGIN`` before the first write) each SELECT stands alone. An INSERT that adds
    no row takes the write lock now: it fails (SQLITE_BUSY) rather than go on from a stale
    snapshot, and once it holds the lock no other connection can commit until this transaction
    ends, so what is read next stays true. Where the unit of work has already written, the lock
    is held and this changes nothing. PostgreSQL needs no such step (its locks are taken per row,
    or on the chain's advisory lock).
    """
    if connection.dialect.name == "sqlite":
        connection.execute(insert(_table).from_select(list(_table.c), select(_table).where(false())))
    elif connection.dialect.name != "postgresql":
        raise RuntimeError(f"the audit trail supports SQLite and PostgreSQL, not {connection.dialect.name}")


def verify(connection: Connection, after: ChainHead | None = None) -> VerifyResult:
    """Recompute the chain, oldest first, and stop at the first broken link.

    With ``after`` (a record already known good, e.g. the last checkpoint), only the records after
    it are checked, against its hash; ``count`` then counts those records alone.
    """
    statement = select(_table).order_by(_table.c.id).execution_options(yield_per=1000)
    count, head = 0, after
    expected_id, expected_prev = 1, GENESIS
    if after is not None:
        statement = statement.where(_table.c.id > after.id)
        expected_id, expected_prev = after.id + 1, after.hash
    rows = connection.execute(statement)
    for row in rows:
        broken = _check(row._mapping, expected_id, expected_prev)
        if broken is not None:
            rows.close()
            return VerifyResult(count, head, broken)
        count, head = count + 1, ChainHead(row.id, row.hash)
        expected_id, expected_prev = row.id + 1, row.hash
    return VerifyResult(count, head, None)


def _check(record: Mapping[str, Any], expected_id: int, expected_prev: str) -> Break | None:
    record_id = record["id"]
    if record_id != expected_id:
        missing = str(expected_id) if record_id == expected_id + 1 else f"{expected_id}–{record_id - 1}"
        return Break(record_id, Problem.GAP, f"expected record {expected_id}; missing {missing}")
    if record["prev_hash"] != expected_prev:
        before = f"record {expected_id - 1}" if expected_id > 1 else "the start of the chain"
        return Break(record_id, Problem.PREV_HASH,
                     f"prev_hash {record['prev_hash']} does not match {before} ({expected_prev})")
    recomputed = record_hash(record["prev_hash"], record)
    if record["hash"] != recomputed:
        return Break(record_id, Problem.HASH,
                     f"stored {record['hash']}, recomputed {recomputed}: the record was altered")
    return None
