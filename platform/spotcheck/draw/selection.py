"""Ranking a stratum's frozen candidates (spec §3) where they are stored.

On PostgreSQL the database ranks: ``sha256(prefix || code)`` is the very digest Python computes
(bytea compares byte by byte, as Python's ``bytes`` do), so only the selected rows leave the
server — a test holds the two rankings together. SQLite has no SHA-256, so there Python ranks
the stratum's codes with :func:`~spotcheck.draw.verify_draw.select`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.types import LargeBinary

from spotcheck.draw import verify_draw
from spotcheck.draw.models import DrawCandidate


def code_bytes(db_session: Session) -> ColumnElement[Any]:
    """The ORDER BY expression of codes in byte order on this backend (SQLite's default BINARY
    collation already compares bytes; PostgreSQL's collation would not)."""
    if db_session.get_bind().dialect.name == "postgresql":
        return func.convert_to(DrawCandidate.code, "UTF8")
    return DrawCandidate.code


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
                                  .order_by(digest, func.convert_to(DrawCandidate.code, "UTF8"))
                                  .limit(quota))
        return [(target_id, code) for target_id, code in rows]
    ids = dict(db_session.execute(select(DrawCandidate.code, DrawCandidate.target_id).where(*where)).all())
    return [(ids[code], code) for code in verify_draw.select(seed, key, ids, quota)]
