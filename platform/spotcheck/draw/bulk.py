"""Writing a draw's many rows (teams, members, tasks and their items) in one go.

A draw of 10,000 targets writes some 100,000 rows in its unit of work. Row by row, or even as
SQLAlchemy's multi-row ``INSERT … RETURNING``, that took seconds; :func:`insert_rows` sends them
as one ``COPY`` on PostgreSQL and one ``executemany`` on SQLite, each value converted first by
its column's own type (so JSON, booleans and UTC timestamps are stored exactly as the ORM stores
them). Rows written this way have no ids in hand: callers read them back by their draw
(:func:`ids_by`).

Beneath the ORM on purpose: the callers write in the system scope and check tenancy themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Column, Connection, Table, select

from spotcheck.registry.importing.staging import bulk_insert


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` into ``table``, in that order: mappings with the same keys, giving every
    column the table needs (the columns' Python-side defaults are not applied; ``None`` is
    SQL NULL)."""
    if not rows:
        return
    columns = list(rows[0])
    processors = [(name, _processor(connection, table.c[name])) for name in columns]
    bulk_insert(connection, table, columns,
                (tuple(row[name] if process is None or row[name] is None else process(row[name])
                       for name, process in processors) for row in rows))


def _processor(connection: Connection, column: Column[Any]) -> Callable[[Any], Any] | None:
    """How ``column``'s type turns a value into what the driver takes. JSON is text for both
    backends, written by ``json.dumps`` as SQLAlchemy writes it (psycopg's own JSON adapter, the
    type's way there, costs ten times more a value)."""
    if isinstance(column.type, JSON):
        return json.dumps
    dialect = connection.dialect
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def ids_by(connection: Connection, key: Column[Any], id_column: Column[Any], draw_column: Column[Any],
           draw_id: int) -> dict[Any, int]:
    """``key → id`` of the rows of draw ``draw_id`` just written by :func:`insert_rows`, in the
    order they were written (ids ascend with it)."""
    return dict(connection.execute(select(key, id_column).where(draw_column == draw_id).order_by(id_column)).all())
