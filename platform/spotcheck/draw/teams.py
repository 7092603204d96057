"""Joint teams (联合抽查组, seed article 15) and replacements of drawn inspectors (spec §5).

One team per drawn target visits once for every department's items: its leader is the first
inspector the initiating department sent, its members everyone else the matching picked. Teams
are written in bulk when the draw executes (the ``draw_execute`` event records them) and are
dispatched at once to the work queues of their departments and inspectors.

A replacement — on a change of post or a conflict with other duties only — is requested with a
reason, decided by the head of the inspector's department, computed by spec §5 from the draw's
frozen pool, appended to the proof and audited; the team changes with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.draw import verify_draw
from spotcheck.draw.bulk import ids_by, insert_rows
from spotcheck.draw.matching import DrawnTarget, MatchingInputs
from spotcheck.draw.models import (REPLACEMENT_GROUNDS, Draw, DrawDepartment, MatchExclusion,
                                   Replacement, ReplacementState, Team, TeamMember, TeamState)
from spotcheck.planning.service import PlanError
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped


def form(db_session: Session, draw: Draw, inputs: MatchingInputs, order: Sequence[int],
         targets: Mapping[int, DrawnTarget], assignments: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """Write the matching block and one dispatched team per target; the teams' ids by target id."""
    connection = db_session.connection()
    if inputs.departments:
        connection.execute(insert(DrawDepartment.__table__), [
            {"draw_id": draw.id, "department_id": d.id, "code": d.code, "position": n,
             "per_target": d.per_target, "pool": list(d.pool)} for n, d in enumerate(inputs.departments)])
    insert_rows(connection, MatchExclusion.__table__, [
        {"draw_id": draw.id, "target_code": t, "inspector_code": i, "reason": r} for t, i, r in inputs.exclusions])
    if not order:
        return {}
    now = utcnow()
    table = Team.__table__
    insert_rows(connection, table, [
        {"department_id": draw.department_id, "plan_id": draw.plan_id, "draw_id": draw.id,
         "target_id": target_id, "position": n, "state": TeamState.DISPATCHED.value, "created_at": now}
        for n, target_id in enumerate(order)])
    created = ids_by(connection, table.c.target_id, table.c.id, table.c.draw_id, draw.id)
    team_of = {targets[target_id].code: team_id for target_id, team_id in created.items()}
    ids = {code: (d.id, inspector_id) for d in inputs.departments for code, inspector_id in d.pool.items()}
    members: list[dict[str, Any]] = []
    for assignment in assignments:
        # The initiator is first in every target's assignments: its first pick leads the team.
        leads = assignment["department"] == inputs.initiator
        for n, code in enumerate(assignment["inspectors"]):
            department_id, inspector_id = ids[code]
            leader = leads and n == 0
            seq = len(members)
            members.append({"team_id": team_of[assignment["target"]], "draw_id": draw.id,
                            "department_id": department_id, "department_code": assignment["department"],
                            "inspector_id": inspector_id, "inspector_code": code, "seq": seq,
                            "leader": leader, "active": True, "replaces_id": None})
    insert_rows(connection, TeamMember.__table__, members)
    return created


def request_replacement(db_session: Session, member: TeamMember, ground: str, reason: str,
                        user: User) -> Replacement:
    """Ask to replace ``member`` on the grounds of :data:`REPLACEMENT_GROUNDS`, with a reason.
    The caller checks that ``user`` works in the member's department."""
    if ground not in REPLACEMENT_GROUNDS:
        raise PlanError("ground", "更换检查人员只限岗位变动或工作冲突。",
                        "An inspector is replaced only on a change of post or a conflict with other duties.")
    if not reason.strip():
        raise PlanError("reason", "请填写更换理由。", "Give the reason for the replacement.")
    if not member.active:
        raise PlanError("not_active", "该检查人员已被更换。", "This inspector has already been replaced.")
    pending = db_session.scalar(select(Replacement.id).where(
        Replacement.member_id == member.id, Replacement.state == ReplacementState.REQUESTED.value))
    if pending is not None:
        raise PlanError("pending", "该检查人员已有待审批的更换申请。",
                        "A replacement of this inspector is already awaiting approval.")
    team = member.team
    replacement = Replacement(department_id=member.department_id, plan_id=team.plan_id,
                              draw_id=member.draw_id, team_id=team.id, member_id=member.id,
                              ground=ground, reason=reason.strip(), requested_by_id=user.id,
                              requested_by=user.username, requested_at=utcnow())
    db_session.add(replacement)
    db_session.flush()
    audit.record(db_session, "replacement_request", "draw_replacement", replacement.id,
                 {"draw_id": member.draw_id, "team_id": team.id, "out": member.inspector_code,
                  "ground": ground})
    return replacement


def _decide(replacement: Replacement, user: User, note: str | None, state: ReplacementState) -> None:
    if replacement.state != ReplacementState.REQUESTED.value:
        raise PlanError("decided", "该申请已处理。", "This request has already been decided.")
    replacement.state = state.value
    replacement.decided_by_id = user.id
    replacement.decided_by = user.username
    replacement.decided_at = utcnow()
    replacement.decision_note = (note or "").strip() or None


def approve_replacement(db_session: Session, replacement: Replacement, user: User,
                        note: str | None = None) -> TeamMember:
    """The department head approves: the incoming inspector is computed by spec §5 from the
    draw's frozen pool and exclusions; the team changes and the proof gains the replacement.
    The caller checks that ``user`` is the head of the replacement's department."""
    _decide(replacement, user, note, ReplacementState.APPROVED)
    with scoped(db_session, Scope.system()):
        member = replacement.member
        team = member.team
        draw = team.draw
        department = db_session.scalar(select(DrawDepartment).where(
            DrawDepartment.draw_id == draw.id, DrawDepartment.department_id == member.department_id))
        # Queried, not team.target: a team loaded in the head's scope would lazy-load its target
        # under that scope's criteria, and a participant does not read the targets it does not supervise.
        target = db_session.scalar(select(Target.code).where(Target.id == team.target_id))
        barred = db_session.scalars(select(MatchExclusion.inspector_code).where(
            MatchExclusion.draw_id == draw.id, MatchExclusion.target_code == target))
        # Read, not taken from ``team.members``: a collection loaded earlier in this unit of work
        # (sessions keep objects across commits) would miss an inspector brought in since.
        ever = list(db_session.scalars(select(TeamMember.inspector_code).where(TeamMember.team_id == team.id)))
        pool = department.pool if department is not None else []
        try:
            incoming_code = verify_draw.replacement(draw.seed or "", target, pool, barred, ever,
                                                    member.department_code)
        except verify_draw.StaffingError:
            raise PlanError("no_replacement", f"{member.department_code} 没有可替换 {target} 检查人员的合格人员。",
                            f"{member.department_code} has no eligible inspector left for {target}.") from None
        incoming_id = db_session.scalar(select(Inspector.id).where(Inspector.code == incoming_code))
        seq = 1 + db_session.scalar(select(func.max(TeamMember.seq)).where(TeamMember.team_id == team.id))
        previous = db_session.scalar(select(Replacement.seq).where(
            Replacement.draw_id == draw.id, Replacement.seq.is_not(None)).order_by(Replacement.seq.desc()).limit(1))
        incoming = TeamMember(team_id=team.id, draw_id=draw.id, department_id=member.department_id,
                              department_code=member.department_code, inspector_id=incoming_id,
                              inspector_code=incoming_code, seq=seq, leader=member.leader,
                              active=True, replaces_id=member.id)
        member.active = False
        member.leader = False
        team.members.append(incoming)
        db_session.flush()
        replacement.incoming_id = incoming.id
        replacement.seq = (previous or 0) + 1
        db_session.flush()
    audit.record(db_session, "replacement_approve", "draw_replacement", replacement.id,
                 {"draw_id": draw.id, "target": target, "out": member.inspector_code, "in": incoming_code})
    return incoming


def reject_replacement(db_session: Session, replacement: Replacement, user: User, note: str) -> None:
    """The department head turns the request down, with a note; the team stays as drawn."""
    if not (note or "").strip():
        raise PlanError("note", "驳回时请说明理由。", "Say why the request is rejected.")
    _decide(replacement, user, note, ReplacementState.REJECTED)
    db_session.flush()
    audit.record(db_session, "replacement_reject", "draw_replacement", replacement.id,
                 {"draw_id": replacement.draw_id, "note": replacement.decision_note})
