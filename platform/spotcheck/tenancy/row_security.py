"""PostgreSQL row-level security: the second wall behind the scope layer (:mod:`.scope`).

Migration ``0018`` puts policies on every table of rows only their own department reads
(:data:`WALLED_TABLES`): a row is read when its ``department_id`` is among the transaction's
``spotcheck.readable`` setting, and written when it is among ``spotcheck.writable`` (a
comma-separated list of department ids, or ``all``; unset, nothing). This module keeps those two
settings equal to the unit of work's scope, with ``SET LOCAL`` semantics, before every statement
and flush, so a query whose application filter was forgotten or bypassed still sees only what
the scope allows, provided the app connects as a role that does not own the tables (the owner and
superusers bypass row security; see ``docs/security.md``).

Rows visible beyond their owner (joint plans, tasks, publications…) keep their tenancy in the
application layer only; their policies would have to repeat each class's joint rules in SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker as SessionMaker

from spotcheck.tenancy.scope import Scope, get_scope

READABLE = "spotcheck.readable"
WRITABLE = "spotcheck.writable"
WALLED_TABLES = ("check_item", "check_item_version", "expert", "import_run", "inspector",
                 "inspector_conflict", "target_supervision", "target_tag", "user_account")
"""The tables of :class:`~spotcheck.tenancy.scope.TenantOwned` classes whose rows only their
department reads (``tests/security/test_row_security.py`` checks the list against the models)."""

_APPLIED = "spotcheck.row_security"


def install(factory: SessionMaker[Session]) -> None:
    """Keep the row-security settings of every session ``factory`` makes equal to its scope."""
    event.listen(factory, "do_orm_execute", _before_execute)
    event.listen(factory, "before_flush", _before_flush)


def settings_for(scope: Scope | None) -> tuple[str, str]:
    """The ``(readable, writable)`` settings of ``scope``: ``all``, ids, or empty (nothing)."""
    if scope is None:
        return "", ""
    return _ids(scope.readable), _ids(scope.writable)


def _ids(departments: frozenset[int] | None) -> str:
    return "all" if departments is None else ",".join(str(d) for d in sorted(departments))


def _before_execute(state: ORMExecuteState) -> None:
    apply(state.session)


def _before_flush(db_session: Session, _context: Any, _instances: Any) -> None:
    apply(db_session)


def apply(db_session: Session) -> None:
    """Set the transaction's settings to the session's scope, unless they already are.

    ``set_config(…, true)`` lasts until the transaction or savepoint ends (a rolled-back savepoint
    takes it back), so what was applied is remembered with the (sub)transaction it was applied in.
    """
    if db_session.get_bind().dialect.name != "postgresql":
        return
    connection = db_session.connection()
    transaction = connection.get_nested_transaction() or connection.get_transaction()
    wanted = settings_for(get_scope(db_session))
    applied = connection.info.get(_APPLIED)
    if applied is not None and applied[0] is transaction and applied[1] == wanted:
        return
    connection.execute(select(func.set_config(READABLE, wanted[0], True),
                              func.set_config(WRITABLE, wanted[1], True)))
    connection.info[_APPLIED] = (transaction, wanted)
