"""Prepare → commit → draw: the proof recomputes, one draw serves the whole joint plan, and a
draw is never repeated."""

from __future__ import annotations

import json

import pytest

from spotcheck.draw import service, verify_draw
from spotcheck.draw.models import DrawState, Team
from spotcheck.draw.proof import proof_chunks
from spotcheck.draw.testing import DRAWER, make_draw, make_setup
from spotcheck.tenancy.scope import Scope, scoped


def proof_of(db_session, draw):
    with scoped(db_session, Scope.system()):
        return json.loads("".join(proof_chunks(db_session, draw)))


def test_an_executed_draw_has_a_proof_anyone_can_recompute(factories, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    setup = make_setup(db_session, aaa, [bbb], targets=6, inspectors=4)

    draw = make_draw(db_session, setup.batch, entropy="dice:3-1-4")

    assert draw.state == DrawState.EXECUTED.value
    proof = proof_of(db_session, draw)
    summary = verify_draw.verify(proof)
    assert summary.selected == 6 and summary.assignments == 12
    assert proof["matching"]["initiator"] == "AAA"
    assert [d["code"] for d in proof["matching"]["departments"]] == ["AAA", "BBB"]


def test_one_draw_forms_one_team_per_target_led_by_the_initiator(factories, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    setup = make_setup(db_session, aaa, [bbb], targets=3, inspectors=4)
    draw = make_draw(db_session, setup.batch)
    with scoped(db_session, Scope.system()):
        teams = db_session.query(Team).filter_by(draw_id=draw.id).order_by(Team.position).all()
        assert len(teams) == 3
        for team in teams:
            assert team.leader.department_code == "AAA"
            assert sorted(m.department_code for m in team.current) == ["AAA", "AAA", "BBB", "BBB"]


def test_a_draw_is_never_repeated(factories, db_session):
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=3)
    draw = make_draw(db_session, setup.batch)
    with pytest.raises(service.DrawRefused) as refused, scoped(db_session, Scope.system()):
        service.run(db_session, draw.id, "again", DRAWER)
    assert refused.value.code == "not_prepared"
    with pytest.raises(service.DrawRefused) as again, scoped(db_session, Scope.system()):
        service.prepare(db_session, setup.batch, DRAWER)
    assert again.value.code == "batch_drawn"
