"""The proof of an executed draw (spec §6; ``schemas/draw-proof.schema.json``), streamed.

The proof is never held as one string: candidates are read in pages straight from the frozen
tables and written as they come, so a draw of ten million candidates downloads in flat memory.
A page is one chunk, encoded by one ``json.dumps`` (row by row, the encoding of a million ids
cost more than reading them), and the candidates of every stratum are read in one pass.
Everything in it is read from what the draw stored — nothing is recomputed here — and
``verify_draw.verify`` checks it back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.draw.models import (Draw, DrawCandidate, DrawDepartment, DrawExclusion, DrawSelection,
                                   MatchExclusion, Replacement, ReplacementState, Team, TeamMember,
                                   proof_fields)
from spotcheck.draw.selection import code_bytes, driver_pages
from spotcheck.draw.verify_draw import ALGORITHM, byte_order
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.scope import Scope, scoped

PAGE = 20_000
"""Rows fetched at a time while streaming."""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _list(items: Iterator[str]) -> Iterator[str]:
    yield "["
    for n, item in enumerate(items):
        yield ("," if n else "") + item
    yield "]"


def proof_chunks(db_session: Session, draw: Draw) -> Iterator[str]:
    """The proof of executed ``draw`` as UTF-8 text chunks; the caller has checked that it may
    be read (proofs are public once drawn)."""
    assert draw.executed, "only an executed draw has a proof"
    with scoped(db_session, Scope.system()):
        head = {"algorithm": ALGORITHM, **proof_fields(draw),
                "server_secret_commitment": draw.commitment, "server_secret": draw.server_secret,
                "public_entropy": draw.public_entropy or "", "candidates_digest": draw.candidates_digest,
                "seed": draw.seed}
        yield _json(head)[:-1] + ',"strata":'
        yield from _strata(db_session, draw)
        yield ',"excluded":'
        excluded = (select(DrawExclusion.code, DrawExclusion.reason).where(DrawExclusion.draw_id == draw.id)
                    .order_by(code_bytes(db_session, DrawExclusion.code)))
        yield from _array([{"id": code, "reason": reason} for code, reason in page]
                          for page in driver_pages(db_session, excluded, PAGE))
        yield ',"matching":' + _matching(db_session, draw)
        yield ',"assignments":'
        yield from _list(_assignments(db_session, draw))
        yield ',"replacements":'
        yield from _list(_json(r) for r in replacements(db_session, draw))
        yield "}"


def _rows(db_session: Session, statement: Any) -> Iterator[Any]:
    yield from db_session.execute(statement.execution_options(yield_per=PAGE))


def _array(pages: Iterable[list[Any]]) -> Iterator[str]:
    """A JSON array of the items of ``pages``, one chunk (and one ``json.dumps``) a page."""
    yield "["
    first = True
    for page in pages:
        if page:
            yield ("" if first else ",") + _json(page)[1:-1]
            first = False
    yield "]"


def _strata(db_session: Session, draw: Draw) -> Iterator[str]:
    """The strata by key, each with its candidates by bytes: one pass over the draw's candidates
    in (stratum, code) order, split where the stratum changes."""
    candidate = DrawCandidate.__table__.c
    runs = ((position, [code for _, code in rows]) for page in driver_pages(
        db_session, select(candidate.stratum, candidate.code).where(candidate.draw_id == draw.id)
        .order_by(candidate.stratum, code_bytes(db_session, candidate.code)), PAGE)
        for position, rows in groupby(page, key=itemgetter(0)))
    groups = groupby(runs, key=itemgetter(0))
    group = next(groups, None)
    yield "["
    for n, stratum in enumerate(draw.strata):
        head = {"key": stratum.key, "quota": stratum.rule}
        yield ("," if n else "") + _json(head)[:-1] + ',"candidates":'
        if group is not None and group[0] == stratum.position:
            yield from _array(codes for _, codes in group[1])
            group = next(groups, None)
        else:  # a stratum without candidates
            yield "[]"
        chosen = db_session.scalars(select(DrawSelection.code).where(
            DrawSelection.draw_id == draw.id, DrawSelection.stratum == stratum.position)
            .order_by(DrawSelection.rank))
        yield f',"digest":{_json(stratum.digest)},"selected":{_json(list(chosen))}}}'
    yield "]"


def _matching(db_session: Session, draw: Draw) -> str:
    departments = db_session.scalars(select(DrawDepartment).where(DrawDepartment.draw_id == draw.id)
                                     .order_by(DrawDepartment.position)).all()
    required = dict(db_session.execute(select(DrawSelection.code, DrawSelection.required)
                                       .where(DrawSelection.draw_id == draw.id)).all())
    exclusions = db_session.execute(select(MatchExclusion.target_code, MatchExclusion.inspector_code,
                                           MatchExclusion.reason).where(MatchExclusion.draw_id == draw.id)).all()
    exclusions.sort(key=lambda e: (byte_order(e[0]), byte_order(e[1])))
    return _json({
        "initiator": departments[0].code if departments else draw.initiator.code,
        "departments": [{"code": d.code, "per_target": d.per_target, "pool": d.pool} for d in departments],
        "required": {code: required[code] for code in sorted(required, key=byte_order)},
        "exclusions": [{"target": t, "inspector": i, "reason": r} for t, i, r in exclusions],
        "max_load": draw.max_load})


def _assignments(db_session: Session, draw: Draw) -> Iterator[str]:
    """The matching's picks, in pick order, grouped per target and department."""
    picks = _rows(db_session, select(TeamMember.seq, Team.target_id, TeamMember.department_code,
                                     TeamMember.inspector_code, Target.code)
                  .join(Team, Team.id == TeamMember.team_id).join(Target, Target.id == Team.target_id)
                  .where(TeamMember.draw_id == draw.id, TeamMember.replaces_id.is_(None))
                  .order_by(TeamMember.seq))
    for (_, department, target), group in groupby(picks, key=lambda p: (p[1], p[2], p[4])):
        yield _json({"target": target, "department": department, "inspectors": [p[3] for p in group]})


def replacements(db_session: Session, draw: Draw) -> list[dict[str, Any]]:
    """The approved replacements of ``draw`` in the order they were made, as the proof lists them."""
    rows = db_session.scalars(select(Replacement).where(
        Replacement.draw_id == draw.id, Replacement.state == ReplacementState.APPROVED.value)
        .order_by(Replacement.seq)).all()
    return [{"target": r.team.target.code, "department": r.member.department_code,
             "out": r.member.inspector_code, "in": r.incoming.inspector_code if r.incoming else None,
             "ground": r.ground, "reason": r.reason, "approved_by": r.decided_by,
             "approved_at": r.decided_at.isoformat() if r.decided_at else None} for r in rows]
