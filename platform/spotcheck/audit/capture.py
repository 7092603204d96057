"""Automatic capture: every ORM create, update and delete is recorded in its own transaction.

Installed on a session factory, the listeners below

- gather, after each flush, one record per inserted, updated and deleted row (the ids of new rows
  are known only then, and attribute history still shows the pre-flush values);
- gather one record per row touched by an ORM ``update()``/``delete()`` statement, by reading the
  rows it will touch first; bulk INSERTs and executemany updates through the ORM are refused,
  since no record could name their rows;
- flush once more and chain the gathered records just before the transaction commits (the commit
  would otherwise flush the last changes after any listener of ours had run);
- forget the records of whatever a rollback, or a savepoint's rollback, undid;
- refuse audit records added through the ORM, which would stand outside the chain.

Raw SQL (``text()``, or a bare connection) is not captured: like the tenancy layer, the trail
covers what goes through the ORM session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, event, inspect, select, tuple_
from sqlalchemy.engine import Result
from sqlalchemy.orm import InstanceState, Mapper, ORMExecuteState, Session, SessionTransaction
from sqlalchemy.orm import sessionmaker as SessionMaker
from sqlalchemy.sql import ClauseElement

from spotcheck.audit import changes, chain, service
from spotcheck.audit.masking import canonical_json
from spotcheck.audit.models import AuditRecord

_PREPARED = "spotcheck.audit.prepared"


class AuditError(RuntimeError):
    """A write the audit trail cannot record was attempted."""


_CHAINED_ONLY = ("audit records are written by the trail itself, in its chain: "
                 "call spotcheck.audit.record() instead")


def install(factory: SessionMaker[Session]) -> None:
    """Audit every unit of work that ``factory`` makes (see the module's docstring)."""
    event.listen(factory, "before_flush", _refuse_unchained_records)
    event.listen(factory, "before_flush", _prepare_before_flush)
    event.listen(factory, "after_flush", _gather_flushed_rows)
    event.listen(factory, "do_orm_execute", _gather_bulk_statement)
    event.listen(factory, "before_commit", _chain_before_commit)
    event.listen(factory, "after_soft_rollback", _drop_rolled_back)
    event.listen(factory, "after_transaction_end", _reset_at_end)


def _audited(mapper: Mapper[Any]) -> bool:
    return mapper.class_ is not AuditRecord


def _object_id(values: Sequence[Any]) -> str:
    return ",".join(str(value) for value in values)


def _enqueue(db_session: Session, action: str, mapper: Mapper[Any], pk: Sequence[Any],
             summary: dict[str, Any]) -> None:
    service.enqueue(db_session, service.entry(db_session, action, changes.object_type(mapper),
                                              _object_id(pk), canonical_json(summary)))


# -- the unit of work ---------------------------------------------------------------------------

def _refuse_unchained_records(db_session: Session, _context: Any, _instances: Any) -> None:
    if any(isinstance(obj, AuditRecord) for obj in db_session.new):
        raise AuditError(_CHAINED_ONLY)


@dataclass
class _Prepared:
    """What a row's update record needs from before the flush."""

    old: dict[str, Any] = field(default_factory=dict)
    computed: list[tuple[str, Any]] = field(default_factory=list)


def _prepare_before_flush(db_session: Session, _context: Any, _instances: Any) -> None:
    """Keep what the flush will erase: old values the session does not hold (a column set while
    unloaded, as after a rollback expired the object; columns not loaded on an object being
    deleted) and which columns were set to SQL expressions (the flush expires them)."""
    prepared: dict[InstanceState[Any], _Prepared] = db_session.info.setdefault(_PREPARED, {})
    for obj in db_session.dirty:
        state = inspect(obj)
        if _audited(state.mapper):
            prepared[state] = _prepare_update(db_session, state)
    for obj in db_session.deleted:
        state = inspect(obj)
        unknown = [(key, column) for key, column in changes.columns_of(state.mapper)
                   if key not in state.dict]
        if unknown and _audited(state.mapper):
            prepared[state] = _Prepared(old=_read_columns(db_session, state, unknown))


def _prepare_update(db_session: Session, state: InstanceState[Any]) -> _Prepared:
    prepared = _Prepared()
    unknown = []
    for key, column in changes.columns_of(state.mapper):
        history = state.attrs[key].history
        if not history.added:
            continue
        if isinstance(history.added[0], ClauseElement):
            prepared.computed.append((key, column))
        if history.deleted:
            prepared.old[key] = history.deleted[0]
        else:
            unknown.append((key, column))
    if unknown:
        prepared.old.update(_read_columns(db_session, state, unknown))
    return prepared


def _read_columns(db_session: Session, state: InstanceState[Any],
                  wanted: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    mapper = state.mapper
    # The session is about to write this row anyway: read it as stored, beneath the ORM's events.
    row = db_session.connection(bind_arguments={"mapper": mapper}).execute(
        select(*(column for _key, column in wanted)).select_from(mapper.persist_selectable)
        .where(*(column == value for column, value in zip(mapper.primary_key, state.identity)))
    ).one_or_none()
    return {} if row is None else dict(zip((key for key, _column in wanted), row))


def _gather_flushed_rows(db_session: Session, _context: Any) -> None:
    prepared: dict[InstanceState[Any], _Prepared] = db_session.info.pop(_PREPARED, {})
    for obj in db_session.new:
        state = inspect(obj)
        if _audited(state.mapper):
            _enqueue(db_session, "create", state.mapper, state.mapper.primary_key_from_instance(obj),
                     changes.created(changes.policy_of(state.mapper), _held_values(state)))
    for obj in db_session.dirty:
        state = inspect(obj)
        if _audited(state.mapper):
            _gather_update(db_session, state, prepared.get(state, _Prepared()))
    for obj in db_session.deleted:
        state = inspect(obj)
        if _audited(state.mapper):
            before = {**_held_values(state), **prepared.get(state, _Prepared()).old}
            _enqueue(db_session, "delete", state.mapper, state.identity,
                     changes.deleted(changes.policy_of(state.mapper), before))


def _held_values(state: InstanceState[Any]) -> dict[str, Any]:
    return {key: state.dict[key] for key, _column in changes.columns_of(state.mapper) if key in state.dict}


def _gather_update(db_session: Session, state: InstanceState[Any], prepared: _Prepared) -> None:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, _column in changes.columns_of(state.mapper):
        history = state.attrs[key].history
        if history.added or history.deleted:
            before[key] = history.deleted[0] if history.deleted else prepared.old.get(key)
            after[key] = history.added[0] if history.added else None
    if prepared.computed:  # their values exist only in the database now
        before.update({key: prepared.old.get(key) for key, _column in prepared.computed})
        after.update(_read_columns(db_session, state, prepared.computed))
    summary = changes.updated(changes.policy_of(state.mapper), before, after)
    if summary is not None:
        _enqueue(db_session, "update", state.mapper, state.identity, summary)


# -- ORM update() and delete() statements -------------------------------------------------------

def _gather_bulk_statement(orm_state: ORMExecuteState) -> Result[Any] | None:
    if not (orm_state.is_insert or orm_state.is_update or orm_state.is_delete):
        return None
    mapper = orm_state.bind_mapper
    if mapper is None:
        return None
    if not _audited(mapper):
        if orm_state.is_insert:
            raise AuditError(_CHAINED_ONLY)
        return None  # UPDATE and DELETE of records: the database's triggers refuse them
    table = changes.object_type(mapper)
    if orm_state.is_insert:
        raise AuditError(f"an INSERT statement into {table} would bypass the audit trail: "
                         "add the objects to the session instead (the ORM batches the INSERTs)")
    if isinstance(orm_state.parameters, (list, tuple)):
        raise AuditError(f"an UPDATE or DELETE of {table} with a list of parameter sets would bypass "
                         "the audit trail: change the loaded objects, or use one WHERE clause")
    return _run_recorded(orm_state, mapper)


def _run_recorded(orm_state: ORMExecuteState, mapper: Mapper[Any]) -> Result[Any]:
    """Run an ORM UPDATE/DELETE on exactly the rows read (and locked) first, recording each."""
    db_session = orm_state.session
    keys = [key for key, _column in changes.columns_of(mapper)]
    pk_keys = [mapper.get_property_by_column(column).key for column in mapper.primary_key]
    # SQLite: take the write lock before reading, so no one changes the rows in between;
    # PostgreSQL: FOR UPDATE locks just the rows read.
    chain.begin_write(db_session.connection(bind_arguments={"mapper": mapper}))
    statement = orm_state.statement
    query = _select_rows(mapper, keys, pk_keys).with_for_update()
    if statement.whereclause is not None:  # type: ignore[attr-defined]
        query = query.where(statement.whereclause)  # type: ignore[attr-defined]
    # Through the session, so the tenancy criteria narrow the read exactly as they narrow the write.
    before_rows = {_pk(values, pk_keys): values for values in
                   _as_dicts(db_session.execute(query, orm_state.parameters or {}), keys)}
    # The statement then touches exactly those rows, even if others came to match meanwhile.
    result = orm_state.invoke_statement(
        statement=statement.where(_pk_in(mapper, pk_keys, before_rows))  # type: ignore[attr-defined]
    )
    policy = changes.policy_of(mapper)
    if orm_state.is_delete:
        for pk, before in before_rows.items():
            _enqueue(db_session, "delete", mapper, pk, changes.deleted(policy, before))
        return result
    after_rows = db_session.execute(
        _select_rows(mapper, keys, pk_keys).where(_pk_in(mapper, pk_keys, before_rows)))
    for after in _as_dicts(after_rows, keys):
        pk = _pk(after, pk_keys)
        changed = [key for key in keys if after[key] != before_rows[pk][key]]
        summary = changes.updated(policy, {k: before_rows[pk][k] for k in changed},
                                  {k: after[k] for k in changed})
        if summary is not None:
            _enqueue(db_session, "update", mapper, pk, summary)
    return result


def _select_rows(mapper: Mapper[Any], keys: list[str], pk_keys: list[str]) -> Select[Any]:
    return select(*(getattr(mapper.class_, key) for key in keys)).order_by(
        *(getattr(mapper.class_, key) for key in pk_keys))


def _as_dicts(rows: Result[Any], keys: list[str]) -> list[dict[str, Any]]:
    return [dict(zip(keys, row)) for row in rows]


def _pk(values: dict[str, Any], pk_keys: list[str]) -> tuple[Any, ...]:
    return tuple(values[key] for key in pk_keys)


def _pk_in(mapper: Mapper[Any], pk_keys: list[str], pks: Iterable[tuple[Any, ...]]) -> Any:
    columns = [getattr(mapper.class_, key) for key in pk_keys]
    if len(columns) == 1:
        return columns[0].in_([pk[0] for pk in pks])
    return tuple_(*columns).in_(list(pks))


# -- transaction boundaries ---------------------------------------------------------------------

def _chain_before_commit(db_session: Session) -> None:
    if db_session.in_nested_transaction():
        return  # a savepoint is being released: the enclosing transaction still decides
    db_session.flush()
    service.chain_pending(db_session)


def _drop_rolled_back(db_session: Session, previous_transaction: SessionTransaction) -> None:
    service.discard(db_session, previous_transaction)


def _reset_at_end(db_session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        db_session.info.pop(_PREPARED, None)
        service.forget(db_session)
