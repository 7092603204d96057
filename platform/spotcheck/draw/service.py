"""Prepare → commit → draw (seed articles 14–15; ``docs/draw.md``).

:func:`prepare` freezes a batch's dry run — candidates per stratum and exclusions, the very
:func:`~spotcheck.planning.dryrun.dry_run` the department saw — computes the digests, generates
the server secret and records the commitment. :func:`execute` takes the public entropy and draws:
seed, selection per stratum, the yearly tally, matching, teams. :func:`run` is the unit of work
around :func:`execute` that the pages, the API and the CLI call: it commits a draw that succeeds,
and voids (and commits the voiding of) a preparation that another draw made stale since.

The yearly cap is the database's: :class:`~spotcheck.draw.models.DrawTally` refuses a third
random draw of a target in a year by its CHECK constraint, whichever process races for it. Each
step checks, and a draw that cannot be staffed is refused before anything is saved.

Services other than :func:`run` never commit; the caller does.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, any_, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.draw import selection, teams, verify_draw
from spotcheck.draw.matching import matching_inputs
from spotcheck.inspection import tasks
from spotcheck.draw.models import (YEAR_CAP, Draw, DrawCandidate, DrawExclusion, DrawSelection,
                                   DrawState, DrawStratum, DrawTally)
from spotcheck.planning.dryrun import PER_TARGET, DryRun, draw_day, dry_run
from spotcheck.planning.models import AnnualPlan, Batch, PlanState, WorkPlanState
from spotcheck.planning.service import PlanError
from spotcheck.registry.importing.staging import analyse, bulk_insert
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped

ENTROPY_MAX = 200
"""Longest public entropy accepted (dice rolls, a lottery number, a witness's words)."""


class DrawRefused(PlanError):
    """A draw the rules or the directories do not allow, said in Chinese and English."""


class StaleDraw(DrawRefused):
    """Another draw changed what this preparation froze; it has been voided."""


def live_draw(db_session: Session, batch: Batch) -> Draw | None:
    """The batch's prepared or executed draw, if it has one."""
    return db_session.scalar(select(Draw).where(Draw.batch_id == batch.id,
                                                Draw.state != DrawState.VOIDED.value))


def _check_batch(db_session: Session, batch: Batch) -> AnnualPlan:
    plan = batch.work_plan.plan
    if batch.work_plan.state != WorkPlanState.APPROVED.value:
        raise DrawRefused("work_plan_not_approved", "工作方案经负责人批准后方可抽取。",
                          "Draws are made once the work plan is approved by the head.")
    if plan.state not in (PlanState.SUBMITTED.value, PlanState.PUBLISHED.value):
        raise DrawRefused("plan_not_live", "该年度计划已合并或撤回，不能抽取。",
                          "The annual plan was merged or withdrawn: it cannot be drawn.")
    if live_draw(db_session, batch) is not None:
        raise DrawRefused("batch_drawn", "该批次已有抽取；如需更正，请新建批次。",
                          "This batch already has a draw; to correct a mistake, make a new batch.")
    return plan


def _check_options(per_target: int, max_load: int | None) -> None:
    if not 1 <= per_target <= 10:
        raise DrawRefused("per_target", "每个部门派出的检查人员数应为1至10人（执法检查至少2人）。",
                          "Inspectors per department must be from 1 to 10 (enforcement takes two).")
    if max_load is not None and max_load < 1:
        raise DrawRefused("max_load", "每人最多检查对象数应不少于1。",
                          "The most targets per inspector must be at least 1.")


def prepare(db_session: Session, batch: Batch, user: User, per_target: int = PER_TARGET,
            max_load: int | None = None) -> Draw:
    """Freeze the batch's candidates and exclusions and commit to a fresh server secret.

    The caller checks that ``user`` may prepare draws of the plan. Audited as ``draw_prepare``
    with the commitment and the candidates' digest."""
    _check_options(per_target, max_load)
    with scoped(db_session, Scope.system()):
        plan = _check_batch(db_session, batch)
        run = dry_run(db_session, batch, per_target)
        digests = [(s.key, verify_draw.stratum_digest(s.candidates)) for s in run.strata]
        secret = secrets.token_hex(32)
        draw = Draw(department_id=plan.department_id, plan_id=plan.id, batch_id=batch.id,
                    year=plan.year, counts_towards_cap=plan.counts_towards_cap,
                    state=DrawState.PREPARED.value, per_target=per_target, max_load=max_load,
                    server_secret=secret, commitment=verify_draw.commitment(secret),
                    candidates_digest=verify_draw.candidates_digest(digests),
                    candidate_count=sum(len(s.candidates) for s in run.strata),
                    excluded_count=len(run.excluded), prepared_by_id=user.id,
                    prepared_by=user.username, prepared_at=utcnow())
        db_session.add(draw)
        db_session.flush()
        for position, (stratum, (_, digest)) in enumerate(zip(run.strata, digests, strict=True)):
            db_session.add(DrawStratum(department_id=draw.department_id, plan_id=plan.id, draw_id=draw.id,
                                       position=position, key=stratum.key, rule=dict(stratum.rule),
                                       digest=digest, candidate_count=len(stratum.candidates),
                                       quota=stratum.quota))
        db_session.flush()
        _freeze(db_session, draw, run)
    audit.record(db_session, "draw_prepare", "draw", draw.id, {
        "plan_id": plan.id, "batch_id": batch.id, "commitment": draw.commitment,
        "candidates_digest": draw.candidates_digest, "candidates": draw.candidate_count,
        "excluded": draw.excluded_count})
    return draw


def _freeze(db_session: Session, draw: Draw, run: DryRun) -> None:
    """Write the candidates and exclusions beneath the ORM (a million rows are one COPY); the
    draw event records them by count and digest."""
    connection = db_session.connection()
    bulk_insert(connection, DrawCandidate.__table__, ("draw_id", "target_id", "stratum", "code"),
                ((draw.id, target_id, position, code) for position, s in enumerate(run.strata)
                 for target_id, code in zip(s.target_ids, s.candidates, strict=True)))
    bulk_insert(connection, DrawExclusion.__table__, ("draw_id", "code", "reason"),
                ((draw.id, e.id, e.reason) for e in run.excluded))
    # PostgreSQL's planner would otherwise rank a million fresh candidates on the statistics of
    # before (a few rows: one process, no parallel workers) until autovacuum came by.
    analyse(connection, DrawCandidate.__table__)


def _check_entropy(entropy: str) -> str:
    if "\n" in entropy or "\r" in entropy:
        raise DrawRefused("entropy_line_feed", "公开随机数不能包含换行符。",
                          "The public entropy must not contain a line feed.")
    if len(entropy) > ENTROPY_MAX:
        raise DrawRefused("entropy_too_long", f"公开随机数不能超过{ENTROPY_MAX}个字。",
                          f"The public entropy must be at most {ENTROPY_MAX} characters.")
    return entropy


def _stale_reason(db_session: Session, draw: Draw) -> str | None:
    """Why the frozen candidates no longer hold, or ``None``: a candidate reached the yearly cap,
    or another batch of the plan drew one, since the preparation. Both look the (few) capped or
    drawn targets up among the candidates, never the (million) candidates up among them."""
    candidate = DrawCandidate.__table__
    if draw.counts_towards_cap:
        capped = db_session.scalar(select(candidate.c.code).where(
            candidate.c.draw_id == draw.id,
            _among(db_session, candidate.c.target_id, select(DrawTally.target_id).where(
                DrawTally.year == draw.year, DrawTally.draws >= YEAR_CAP))).limit(1))
        if capped is not None:
            return f"year_cap:{capped}"
    other = db_session.scalar(select(candidate.c.code).where(
        candidate.c.draw_id == draw.id,
        _among(db_session, candidate.c.target_id, select(DrawSelection.target_id).join(
            Draw, Draw.id == DrawSelection.draw_id).where(
            Draw.plan_id == draw.plan_id, Draw.batch_id != draw.batch_id,
            Draw.state == DrawState.EXECUTED.value))).limit(1))
    return f"drawn_in_plan:{other}" if other is not None else None


def _among(db_session: Session, column: Any, ids: Select[Any]) -> ColumnElement[bool]:
    """``column IN (ids)``; on PostgreSQL ``= ANY(ARRAY(ids))``, which probes the index with the
    ids whatever the planner's statistics say (they are stale right after the candidates are
    frozen, and then it would rather read every candidate)."""
    if db_session.get_bind().dialect.name == "postgresql":
        return column == any_(func.array(ids.scalar_subquery()))
    return column.in_(ids)


def _stale(reason: str) -> StaleDraw:
    kind, code = reason.split(":", 1)
    if kind == "year_cap":
        return StaleDraw("stale_year_cap", f"准备抽取后，候选对象 {code} 已被其他抽取达到年度上限；本次准备已作废，请重新准备。",
                         f"Since the preparation, another draw took candidate {code} to the yearly cap; "
                         "this preparation is void: prepare the draw again.")
    return StaleDraw("stale_drawn_in_plan", f"准备抽取后，本计划的其他批次已抽中候选对象 {code}；本次准备已作废，请重新准备。",
                     f"Since the preparation, another batch of this plan drew candidate {code}; "
                     "this preparation is void: prepare the draw again.")


def _lock(db_session: Session, draw: Draw) -> None:
    """Serialise draws of one plan (and a second click on the same draw) on PostgreSQL; SQLite
    admits one writer at a time already."""
    if db_session.get_bind().dialect.name == "postgresql":
        db_session.execute(select(AnnualPlan.id).where(AnnualPlan.id == draw.plan_id).with_for_update())
        db_session.refresh(draw, with_for_update=True)


def _count_towards_cap(db_session: Session, draw: Draw, target_ids: list[int]) -> None:
    """Add this draw to each drawn target's tally; the CHECK refuses a third draw in the year.
    Rows in id order, so that racing draws lock them in one order and never deadlock; on
    PostgreSQL one statement over an array of the ids (row by row, the round trips cost more
    than the upsert)."""
    if not target_ids:
        return
    table = DrawTally.__table__
    key, set_ = ["target_id", "year"], {"draws": table.c.draws + 1}
    if db_session.get_bind().dialect.name == "postgresql":
        ids = (func.unnest(literal(sorted(target_ids), postgresql.ARRAY(Integer)))
               .table_valued("target_id").render_derived())
        rows = select(ids.c.target_id, literal(draw.year), literal(1)).order_by(ids.c.target_id)
        db_session.connection().execute(postgresql.insert(table).from_select(
            ["target_id", "year", "draws"], rows).on_conflict_do_update(index_elements=key, set_=set_))
        return
    db_session.connection().execute(
        sqlite.insert(table).on_conflict_do_update(index_elements=key, set_=set_),
        [{"target_id": target_id, "year": draw.year, "draws": 1} for target_id in sorted(target_ids)])


def execute(db_session: Session, draw: Draw, entropy: str, user: User) -> Draw:
    """Draw: seed from the committed secret, ``entropy`` and the candidates' digest; select per
    stratum; count towards the yearly cap; match inspectors; form and dispatch the teams.

    Raises :class:`StaleDraw` when another draw changed what the preparation froze (the caller
    rolls back and voids: see :func:`run`), and :class:`DrawRefused` when the draw is not
    prepared or cannot be staffed — nothing is saved then. The caller checks that ``user`` may
    execute draws of the plan. Audited as ``draw_execute``."""
    entropy = _check_entropy(entropy)
    with scoped(db_session, Scope.system()):
        _lock(db_session, draw)
        if draw.state != DrawState.PREPARED.value:
            raise DrawRefused("not_prepared", "该抽取不处于待抽取状态，不能再次抽取。",
                              "This draw is not awaiting execution: a draw is never repeated.")
        reason = _stale_reason(db_session, draw)
        if reason is not None:
            raise _stale(reason)
        seed = verify_draw.draw_seed(draw.server_secret, entropy, draw.candidates_digest)
        strata = [(stratum.position, stratum.key, stratum.quota) for stratum in draw.strata]
        chosen = selection.selected_strata(db_session, draw.id, seed, strata)
        picked = [(position, rows) for (position, _, _), rows in zip(strata, chosen, strict=True)]
        order = [target_id for _, rows in picked for target_id, _ in rows]
        if draw.counts_towards_cap:
            try:
                with db_session.begin_nested():
                    _count_towards_cap(db_session, draw, order)
            except IntegrityError as error:
                raise _stale("year_cap:" + _capped_code(db_session, draw, order)) from error
        plan = draw.plan
        on = draw_day(draw.batch)
        inputs, targets = matching_inputs(db_session, draw, plan, order, on)
        try:
            assignments = inputs.matching().assign(seed, [targets[i].code for i in order])
        except verify_draw.StaffingError as error:
            raise DrawRefused(
                "unstaffable",
                f"无法为检查对象 {error.target} 从 {error.department} 抽取 {error.needed} 名检查人员"
                f"（符合条件的只有 {error.eligible} 名）；未保存任何结果。",
                f"Target {error.target}: {error.department} cannot send {error.needed} inspector(s) "
                f"({error.eligible} eligible); nothing was saved.") from None
        _record_selection(db_session, draw, picked, inputs.required)
        team_of = teams.form(db_session, draw, inputs, order, targets, assignments)
        task_items = tasks.dispatch(db_session, draw, team_of, {i: targets[i].kind for i in order},
                                    {i: inputs.required[targets[i].code] for i in order})
        draw.public_entropy = entropy
        draw.seed = seed
        draw.selected_count = len(order)
        draw.state = DrawState.EXECUTED.value
        draw.drawn_by_id = user.id
        draw.drawn_by = user.username
        draw.drawn_at = utcnow()
        db_session.flush()
    audit.record(db_session, "draw_execute", "draw", draw.id, {
        "plan_id": draw.plan_id, "batch_id": draw.batch_id, "seed": seed, "public_entropy": entropy,
        "selected": len(order), "teams": len(team_of), "assignments": len(assignments),
        "task_items": task_items})
    return draw


def _capped_code(db_session: Session, draw: Draw, target_ids: list[int]) -> str:
    """The first drawn target another draw took to the cap while this one was drawing."""
    code = db_session.scalar(
        select(DrawCandidate.code).join(DrawTally, and_(DrawTally.target_id == DrawCandidate.target_id,
                                                        DrawTally.year == draw.year))
        .where(DrawCandidate.draw_id == draw.id, DrawTally.draws >= YEAR_CAP,
               DrawCandidate.target_id.in_(target_ids)).order_by(DrawCandidate.code).limit(1))
    return code or "?"


def _record_selection(db_session: Session, draw: Draw, picked: list[tuple[int, list[tuple[int, str]]]],
                      required: dict[str, list[str]]) -> None:
    # Beneath the ORM, the JSON written as the column type writes it: COPY on PostgreSQL.
    bulk_insert(db_session.connection(), DrawSelection.__table__,
                ("draw_id", "target_id", "code", "stratum", "rank", "required"),
                ((draw.id, target_id, code, position, rank, json.dumps(required[code]))
                 for position, chosen in picked for rank, (target_id, code) in enumerate(chosen)))


def void(db_session: Session, draw: Draw, reason: str, user: User | None) -> None:
    """Void a prepared draw (stale, or withdrawn by whoever prepared it): it stays on record
    with why; the batch can be prepared again. Audited as ``draw_void``."""
    if draw.state != DrawState.PREPARED.value:
        raise DrawRefused("not_prepared", "只有待抽取的准备可以作废；已完成的抽取不能撤销。",
                          "Only a prepared draw can be voided; an executed draw is never undone.")
    with scoped(db_session, Scope.system()):
        draw.state = DrawState.VOIDED.value
        draw.voided_at = utcnow()
        draw.void_reason = reason
        db_session.flush()
    audit.record(db_session, "draw_void", "draw", draw.id,
                 {"reason": reason, "by": user.username if user else None})


def run(db_session: Session, draw_id: int, entropy: str, user: User) -> Draw:
    """Execute draw ``draw_id`` and commit; when the preparation went stale, roll back, void it
    (committed, with the reason) and raise :class:`StaleDraw`; any other refusal rolls back."""
    draw = db_session.get(Draw, draw_id)
    assert draw is not None
    try:
        execute(db_session, draw, entropy, user)
        db_session.commit()
        return draw
    except StaleDraw as error:
        db_session.rollback()
        draw = db_session.get(Draw, draw_id)
        assert draw is not None
        # Stored in both languages: the reason is read on pages of either locale for years.
        void(db_session, draw, f"{error.message_zh}\n{error.message_en}", user)
        db_session.commit()
        raise
    except BaseException:
        db_session.rollback()
        raise
