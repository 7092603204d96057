"""Ranking a stratum's frozen candidates (spec §3) where they are stored.

On PostgreSQL the database ranks: ``sha256(prefix || code)`` is the very digest Python computes
(bytea compares byte by byte, as Python's ``bytes`` do), so only the selected rows leave the
server — a test holds the two rankings together. SQLite has no SHA-256, so there Python ranks
the codes with :func:`~spotcheck.draw.verify_draw.select`, reading each stratum's codes from the
index on ``(draw_id, stratum, code)`` (``tests/bench/bench_draw.py`` measures both;
``docs/performance.md``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.types import LargeBinary

from spotcheck.draw import verify_draw
from spotcheck.draw.models import DrawCandidate


_cursors = itertools.count()


def driver_pages(db_session: Session, statement: Any, size: int) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``statement`` (literal values only, such as a draw's id) as the driver's
    tuples, ``size`` at a time, on the unit of work's connection — through a server-side cursor on
    PostgreSQL, so that memory stays flat. For the million rows of the frozen tables: SQLAlchemy's
    own rows cost a microsecond each, as much as the rest of the proof; never for tenant tables."""
    connection = db_session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    raw = connection.connection.driver_connection
    postgres = connection.dialect.name == "postgresql"
    cursor = raw.cursor(name=f"spotcheck_draw_{next(_cursors)}") if postgres else raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(size):
            yield rows
    finally:
        cursor.close()


def code_bytes(db_session: Session, column: Any = DrawCandidate.code) -> ColumnElement[Any]:
    """The ORDER BY expression of codes in byte order on this backend: SQLite's default BINARY
    collation compares bytes; on PostgreSQL the "C" collation of the UTF-8 database does (as for
    target names), and sorts faster than converting every code to ``bytea``."""
    if db_session.get_bind().dialect.name == "postgresql":
        return column.collate("C")
    return column


_READ = 50_000
"""Candidates read at a time when Python ranks them."""

_CHUNK = 10_000
"""Codes per IN list: SQLite allows 32,766 bound parameters in one statement."""


def selected(db_session: Session, draw_id: int, stratum: int, seed: str, key: str,
             quota: int) -> list[tuple[int, str]]:
    """The first ``quota`` candidates of one stratum of a draw, as ``(target_id, code)`` in rank
    order."""
    if quota == 0:
        return []
    where = (DrawCandidate.draw_id == draw_id, DrawCandidate.stratum == stratum)
    if db_session.get_bind().dialect.name == "postgresql":
        prefix = literal(verify_draw.rank_prefix(seed, key), LargeBinary)
        digest = func.sha256(prefix.op("||")(func.convert_to(DrawCandidate.code, "UTF8")))
        rows = db_session.execute(select(DrawCandidate.target_id, DrawCandidate.code).where(*where)
                                  .order_by(digest, code_bytes(db_session)).limit(quota))
        return [(target_id, code) for target_id, code in rows]
    # Only the codes are read (from the index on stratum and code, without the table), and only
    # the chosen ones are looked up again for their targets.
    codes = [code for rows in driver_pages(db_session, select(DrawCandidate.code).where(*where), _READ)
             for (code,) in rows]
    chosen = verify_draw.select(seed, key, codes, quota)
    ids: dict[str, int] = {}
    for start in range(0, len(chosen), _CHUNK):
        ids.update(db_session.execute(select(DrawCandidate.code, DrawCandidate.target_id).where(
            *where, DrawCandidate.code.in_(chosen[start:start + _CHUNK]))).all())
    return [(ids[code], code) for code in chosen]


def selected_strata(db_session: Session, draw_id: int, seed: str,
                    strata: Sequence[tuple[int, str, int]]) -> list[list[tuple[int, str]]]:
    """:func:`selected` for each ``(position, key, quota)`` of ``strata``, in that order."""
    return [selected(db_session, draw_id, position, seed, key, quota) for position, key, quota in strata]
