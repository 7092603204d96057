"""Replacing a drawn inspector (spec §5): on a change of post or a conflict with other duties,
with a reason, approved by the department's head; the incoming inspector is the spec's choice,
the team and the proof change with it, and nobody ever assigned to the target comes back."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.draw import verify_draw
from spotcheck.draw.models import Replacement, ReplacementState, Team
from spotcheck.draw.proof import proof_chunks
from spotcheck.draw.teams import approve_replacement, reject_replacement, request_replacement
from spotcheck.draw.testing import make_draw, make_setup
from spotcheck.planning.service import PlanError
from spotcheck.tenancy.scope import Scope, scoped


def proof_of(db_session, draw):
    with scoped(db_session, Scope.system()):
        return json.loads("".join(proof_chunks(db_session, draw)))


@pytest.fixture
def drawn(factories, db_session):
    """An executed joint draw of two targets: AAA and BBB send two of their four each."""
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    setup = make_setup(db_session, aaa, [bbb], targets=2, inspectors=4)
    draw = make_draw(db_session, setup.batch, entropy="lottery:20270401")
    with scoped(db_session, Scope.system()):
        team = db_session.scalars(select(Team).where(Team.draw_id == draw.id).order_by(Team.position)).first()
    return draw, team


def users(factories):
    return factories.user("staff", "BBB"), factories.user("head", "BBB")


def expected_incoming(proof, target, department):
    """Spec §5 by hand, from the proof alone."""
    pool = next(d["pool"] for d in proof["matching"]["departments"] if d["code"] == department)
    barred = [e["inspector"] for e in proof["matching"]["exclusions"] if e["target"] == target]
    ever = {i for a in proof["assignments"] if a["target"] == target for i in a["inspectors"]}
    ever |= {r["in"] for r in proof["replacements"] if r["target"] == target}
    return verify_draw.replacement(proof["seed"], target, pool, barred, ever, department)


def replace(db_session, member, staff, head, ground="post_change"):
    with scoped(db_session, Scope.department(member.department_id)):
        request = request_replacement(db_session, member, ground, "调任其他岗位", staff)
        db_session.commit()
        incoming = approve_replacement(db_session, request, head, "同意")
    db_session.commit()
    return request, incoming


def member_of(team, department):
    return next(m for m in team.current if m.department_code == department)


def test_a_replacement_is_requested_on_post_change_or_work_conflict_with_a_reason(drawn, factories, db_session):
    _, team = drawn
    staff, _ = users(factories)
    member = member_of(team, "BBB")
    with scoped(db_session, Scope.department(member.department_id)):
        with pytest.raises(PlanError) as ground:
            request_replacement(db_session, member, "illness", "请假", staff)
        with pytest.raises(PlanError) as reason:
            request_replacement(db_session, member, "work_conflict", "  ", staff)
        request = request_replacement(db_session, member, "work_conflict", "同期承担专项执法任务", staff)
        with pytest.raises(PlanError) as pending:
            request_replacement(db_session, member, "post_change", "岗位调整", staff)
    db_session.commit()

    assert (ground.value.code, reason.value.code, pending.value.code) == ("ground", "reason", "pending")
    assert request.state == ReplacementState.REQUESTED.value and member.active
    assert db_session.scalars(select(AuditRecord.action).where(
        AuditRecord.object_type == "draw_replacement", AuditRecord.object_id == str(request.id),
        AuditRecord.action.like("replacement_%"))).all() == ["replacement_request"]


def test_an_approved_replacement_brings_in_the_spec_choice_and_the_proof_still_verifies(drawn, factories, db_session):
    draw, team = drawn
    staff, head = users(factories)
    member = member_of(team, "BBB")
    expected = expected_incoming(proof_of(db_session, draw), team.target.code, "BBB")

    request, incoming = replace(db_session, member, staff, head)

    assert incoming.inspector_code == expected
    assert not member.active and incoming.active and incoming.replaces_id == member.id
    assert request.state == ReplacementState.APPROVED.value and request.decided_by == head.username
    assert member not in team.current and incoming in team.current
    assert len(team.current) == 4
    proof = proof_of(db_session, draw)
    [made] = proof["replacements"]
    assert (made["target"], made["department"], made["out"], made["in"]) == (
        team.target.code, "BBB", member.inspector_code, expected)
    assert made["ground"] == "post_change" and made["approved_by"] == head.username
    assert verify_draw.verify(proof).replacements == 1
    assert db_session.scalars(select(AuditRecord.action).where(
        AuditRecord.object_type == "draw_replacement", AuditRecord.object_id == str(request.id),
        AuditRecord.action.like("replacement_%")).order_by(AuditRecord.id)).all() == [
        "replacement_request", "replacement_approve"]


def test_the_replaced_leader_hands_the_lead_to_the_incoming_inspector(drawn, factories, db_session):
    draw, team = drawn
    leader = team.leader
    assert leader.department_code == "AAA"

    _, incoming = replace(db_session, leader, factories.user("staff", "AAA"), factories.user("head", "AAA"))

    assert team.leader == incoming and not leader.leader
    verify_draw.verify(proof_of(db_session, draw))


def test_a_rejected_replacement_keeps_the_team(drawn, factories, db_session):
    draw, team = drawn
    staff, head = users(factories)
    member = member_of(team, "BBB")
    before = [m.inspector_code for m in team.current]
    with scoped(db_session, Scope.department(member.department_id)):
        request = request_replacement(db_session, member, "work_conflict", "同期另有任务", staff)
        with pytest.raises(PlanError) as no_note:
            reject_replacement(db_session, request, head, " ")
        reject_replacement(db_session, request, head, "任务可调整，不予更换")
        with pytest.raises(PlanError) as decided:
            approve_replacement(db_session, request, head)
    db_session.rollback()

    assert (no_note.value.code, decided.value.code) == ("note", "decided")
    assert request.state == ReplacementState.REJECTED.value
    assert member.active and [m.inspector_code for m in team.current] == before
    assert proof_of(db_session, draw)["replacements"] == []


def test_a_later_replacement_never_brings_back_anyone_ever_assigned_to_the_target(drawn, factories, db_session):
    draw, team = drawn
    staff, head = users(factories)
    assigned = {m.inspector_code for m in team.members}

    _, first = replace(db_session, member_of(team, "BBB"), staff, head)
    assigned.add(first.inspector_code)
    expected = expected_incoming(proof_of(db_session, draw), team.target.code, "BBB")
    _, second = replace(db_session, first, staff, head, ground="work_conflict")

    assert second.inspector_code == expected and second.inspector_code not in assigned
    proof = proof_of(db_session, draw)
    assert [r["in"] for r in proof["replacements"]] == [first.inspector_code, second.inspector_code]
    assert verify_draw.verify(proof).replacements == 2

    # BBB's four are spent on this target: two drawn, two brought in. No one is left.
    with scoped(db_session, Scope.department(second.department_id)):
        request = request_replacement(db_session, second, "post_change", "再次调岗", staff)
        db_session.commit()
        with pytest.raises(PlanError) as none_left:
            approve_replacement(db_session, request, head)
    db_session.rollback()

    assert none_left.value.code == "no_replacement"
    assert team.target.code in none_left.value.message_en and "BBB" in none_left.value.message_en
    assert team.target.code in none_left.value.message_zh
    with scoped(db_session, Scope.system()):
        assert db_session.get(Replacement, request.id).state == ReplacementState.REQUESTED.value
    assert second.active
    assert verify_draw.verify(proof_of(db_session, draw)).replacements == 2
