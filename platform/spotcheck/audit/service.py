"""The audit trail as a unit of work sees it: who acts, what to record, and the chain's state.

Records are gathered in ``session.info`` while the unit of work runs and chained into the trail
just before it commits (:func:`chain_pending`, called by the capture installed on the session
factory), so they land in the same transaction as the changes they describe, or not at all. The
chain lock is therefore held only from that moment to the commit, not for the whole transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, SessionTransaction

from spotcheck.audit import chain
from spotcheck.audit.chain import ChainHead, Entry, VerifyResult
from spotcheck.audit.masking import canonical_json
from spotcheck.audit.models import AuditRecord

_ACTOR = "spotcheck.audit.actor"
_PENDING = "spotcheck.audit.pending"
_CHAINED = "spotcheck.audit.chained"


@dataclass(frozen=True)
class Actor:
    """Who acts in a unit of work, and from where."""

    user_id: int | None
    username: str | None
    department_code: str | None
    ip: str | None
    request_id: str | None


SYSTEM = Actor(user_id=None, username="system", department_code=None, ip=None, request_id=None)
"""The actor of units of work that nobody named (jobs run without :func:`set_actor`)."""


def set_actor(db_session: Session, user_id: int | None, username: str | None,
              department_code: str | None, ip: str | None, request_id: str | None) -> None:
    """Name who acts in ``db_session`` from now on: the signed-in user per request, ``cli:…`` in commands.

    Anonymous requests pass ``user_id=None, username=None`` with their address and request id.
    """
    db_session.info[_ACTOR] = Actor(user_id, username, department_code, _clip(ip), _clip(request_id))


def _clip(value: str | None) -> str | None:
    # The address and request id may come from headers; an over-long one must not make the
    # audit insert (and with it the audited change) fail.
    return None if value is None else value[:64]


def get_actor(db_session: Session) -> Actor:
    """Who acts in ``db_session`` (:data:`SYSTEM` until :func:`set_actor` names someone)."""
    return db_session.info.get(_ACTOR, SYSTEM)


def record(db_session: Session, action: str, object_type: str | None = None,
           object_id: int | str | None = None, summary: Mapping[str, Any] | None = None) -> None:
    """Audit an event that is not a row change: ``sign_in``, ``sign_in_failed``, ``export``…

    The record is written when ``db_session`` commits, in that transaction, and is dropped if it
    rolls back: a caller recording a failure commits it even when nothing else changed. The actor
    is the one set when this is called. ``summary`` is stored as given: mask personal data in it
    with :func:`spotcheck.audit.masking.mask`.
    """
    enqueue(db_session, entry(db_session, action, object_type, object_id,
                              None if summary is None else canonical_json(summary)))


def entry(db_session: Session, action: str, object_type: str | None, object_id: int | str | None,
          summary: str | None) -> Entry:
    """A record of ``action`` by the current actor of ``db_session``."""
    actor = get_actor(db_session)
    return Entry(user_id=actor.user_id, username=actor.username, department_code=actor.department_code,
                 action=action, object_type=object_type,
                 object_id=None if object_id is None else str(object_id), summary=summary,
                 ip=actor.ip, request_id=actor.request_id)


def enqueue(db_session: Session, new: Entry) -> None:
    """Add ``new`` to what this unit of work will write; at once if it has already chained."""
    # Each entry remembers the savepoint it was made in, so rolling that savepoint back drops it.
    db_session.info.setdefault(_PENDING, []).append((db_session.get_nested_transaction(), new))
    if db_session.info.get(_CHAINED):
        _write_pending(db_session)


def chain_pending(db_session: Session) -> None:
    """Chain and insert the gathered records now, just before the unit of work commits.

    Records gathered after this (by flushes or listeners that run later in the same commit) are
    written as they come, so none is left behind.
    """
    _write_pending(db_session)
    db_session.info[_CHAINED] = True


def _write_pending(db_session: Session) -> None:
    pending = db_session.info.pop(_PENDING, None)
    if pending:
        connection = db_session.connection(bind_arguments={"mapper": AuditRecord})
        chain.append(connection, [queued for _savepoint, queued in pending])


def discard(db_session: Session, rolled_back: SessionTransaction) -> None:
    """Forget the records of changes that ``rolled_back`` undid (a savepoint, or everything)."""
    pending = db_session.info.get(_PENDING)
    if not pending:
        return
    # A failed flush rolls back its own inner transaction, which undoes the work up to the
    # nearest savepoint (or the whole transaction): that is what the records must follow.
    while not rolled_back.nested and rolled_back.parent is not None:
        rolled_back = rolled_back.parent
    if not rolled_back.nested:
        pending.clear()
        return
    pending[:] = [(savepoint, kept) for savepoint, kept in pending
                  if not _within(savepoint, rolled_back)]


def _within(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


def forget(db_session: Session) -> None:
    """Reset the unit of work's audit state when its transaction ends (the actor stays)."""
    db_session.info.pop(_PENDING, None)
    db_session.info.pop(_CHAINED, None)


def chain_head(db_session: Session) -> ChainHead | None:
    """The id and hash of the newest record (a checkpoint), or ``None`` for an empty trail."""
    return chain.read_head(db_session.connection(bind_arguments={"mapper": AuditRecord}))


def verify_chain(db_session: Session) -> VerifyResult:
    """Recompute the whole chain and name the first broken link, if any.

    Finds records altered (hash mismatch), re-linked (prev_hash mismatch) or removed from the
    middle (gap in ids), even when done by someone who first disabled the database's triggers.
    """
    return chain.verify(db_session.connection(bind_arguments={"mapper": AuditRecord}))
