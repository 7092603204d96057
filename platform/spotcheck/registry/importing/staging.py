"""The staging table and fast bulk writes: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

A large import parks its validated rows in a temporary table of the unit of work's own
connection, so memory stays flat however long the file is, and duplicates, the comparison with
the directory and the final writes are set-based SQL. The table is temporary (it vanishes with
the connection, and with the transaction on a rollback) and named so that it cannot meet a real
table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.engine import Connection

STAGE_NAME = "spotcheck_import_stage"


def create_stage(connection: Connection, columns: Sequence[Column[Any]]) -> Table:
    """A fresh temporary staging table: ``row`` (the file's row number), ``key`` (what identifies
    the record, for duplicates), ``record_id`` (the existing record, once found), ``action``,
    ``changed`` and ``before`` (what a row changes), and the adapter's own ``columns``."""
    drop_stage(connection)
    table = Table(
        STAGE_NAME, MetaData(),
        Column("row", Integer, primary_key=True, autoincrement=False),
        Column("key", Text, nullable=False),
        Column("record_id", Integer),
        Column("action", String(16)),
        Column("changed", Text),
        Column("before", Text),
        *columns,
        Index(f"ix_{STAGE_NAME}_key", "key"),
        Index(f"ix_{STAGE_NAME}_record_id", "record_id"),
        prefixes=["TEMPORARY"],
    )
    table.create(connection)
    return table


def drop_stage(connection: Connection) -> None:
    """Drop the staging table of this connection, if there is one."""
    preparer = connection.dialect.identifier_preparer
    if connection.dialect.name == "postgresql":
        # pg_temp names this session's temporary schema only: a real table is never touched.
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS pg_temp.{preparer.quote(STAGE_NAME)}")
    else:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{preparer.quote(STAGE_NAME)}")


def analyse(connection: Connection, table: Table) -> None:
    """Give PostgreSQL's planner the staged table's statistics (it keeps none for a temporary
    table until asked), so the joins of the later steps use the indexes, not full scans."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {connection.dialect.identifier_preparer.format_table(table)}")


def bulk_insert(connection: Connection, table: Table, columns: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> None:
    """Insert plain tuples (values in ``columns`` order) as fast as the backend takes them.

    Beneath the ORM on purpose: callers check tenancy themselves (see ``docs/import.md``).
    """
    preparer = connection.dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in columns)
    target = preparer.format_table(table)
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    batch = list(rows)
    if batch:
        marks = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO {target} ({names}) VALUES ({marks})", batch)
