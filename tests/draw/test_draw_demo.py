"""The demo draws: an executed joint draw whose proof verifies, with teams led by the initiator
and a replacement approved by the head; another executed draw; a preparation awaiting its public
ceremony; one voided as stale, with the reason. A demo loaded before the other plugins were
installed gains their directories, plans and draws. Which targets are drawn is random by design
(the server secret): these tests hold what happened, never whom it picked."""

from __future__ import annotations

import copy
import json

from sqlalchemy import func, select

from spotcheck.demo.accounts import load_demo
from spotcheck.demo.draws import load_demo_draws
from spotcheck.demo.people import load_demo_people
from spotcheck.demo.plans import CATERING_PLAN, CHEMICALS_PLAN, DEMO_YEAR, load_demo_plans
from spotcheck.demo.targets import load_demo_targets
from spotcheck.draw.models import Draw, Replacement, Team
from spotcheck.draw.proof import proof_chunks
from spotcheck.draw.verify_draw import verify
from spotcheck.hooks import get_registry, sync_departments
from spotcheck.planning.models import AnnualPlan
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.registry.targets.models import TargetSupervision
from spotcheck.tenancy.models import Department, User


def load_directory_plans_and_draws(db_session, registry=None):
    load_demo_targets(db_session)
    load_demo_people(db_session, registry)
    load_demo_plans(db_session)
    return load_demo_draws(db_session)


def draws_of(db_session, plan_name: str) -> list[Draw]:
    return list(db_session.scalars(select(Draw).join(AnnualPlan, AnnualPlan.id == Draw.plan_id)
                                   .where(AnnualPlan.name == plan_name).order_by(Draw.id)))


def proof_of(db_session, draw: Draw) -> dict:
    return json.loads("".join(proof_chunks(db_session, draw)))


def test_the_demo_holds_executed_prepared_and_voided_draws(app, db_session):
    with app.app_context():
        load_demo(db_session)
        report = load_directory_plans_and_draws(db_session)
        again = load_directory_plans_and_draws(db_session)
    assert (report.executed, report.voided, report.replacements) == (2, 1, 1)
    assert (again.executed, again.voided, again.replacements, again.ceremony) == (0, 0, 0, None)

    voided, drawn, ceremony = draws_of(db_session, CATERING_PLAN)
    assert [d.state for d in (voided, drawn, ceremony)] == ["voided", "executed", "prepared"]
    assert report.ceremony.id == ceremony.id and ceremony.batch_id == voided.batch_id != drawn.batch_id
    assert "another batch of this plan drew" in voided.void_reason
    assert ceremony.seed is None and ceremony.commitment and ceremony.candidate_count > 0

    [chemicals] = draws_of(db_session, CHEMICALS_PLAN)
    assert chemicals.executed and chemicals.selected_count > 0
    for draw in (drawn, chemicals):
        summary = verify(proof_of(db_session, draw))
        assert summary.selected == draw.selected_count


def test_the_demo_joint_teams_are_led_by_the_initiator_with_a_replacement(app, db_session):
    with app.app_context():
        load_demo(db_session)
        load_directory_plans_and_draws(db_session)
    for plan_name, initiator, participant in ((CATERING_PLAN, "SCJG", "WSJK"), (CHEMICALS_PLAN, "YJGL", "SCJG")):
        draw = next(d for d in draws_of(db_session, plan_name) if d.executed)
        teams = db_session.scalars(select(Team).where(Team.draw_id == draw.id)).all()
        assert len(teams) == draw.selected_count
        for team in teams:
            codes = {m.department_code for m in team.current}
            assert team.leader.department_code == initiator and codes == {initiator, participant}

    drawn = next(d for d in draws_of(db_session, CATERING_PLAN) if d.executed)
    replacements = db_session.scalars(select(Replacement).where(Replacement.draw_id == drawn.id)
                                      .order_by(Replacement.id)).all()
    assert [(r.state, r.decided_by) for r in replacements] == [("approved", "demo-head"), ("requested", None)]
    [made] = proof_of(db_session, drawn)["replacements"]
    assert made["out"] == replacements[0].member.inspector_code and made["approved_by"] == "demo-head"

    account = db_session.scalars(select(User).where(User.username == "demo-inspector")).one()
    linked = db_session.scalars(select(Inspector).where(Inspector.user_id == account.id)).one()
    first = db_session.scalars(select(Team).where(Team.draw_id == drawn.id, Team.position == 0)).one()
    assert first.leader.inspector_id == linked.id


def test_a_demo_loaded_before_the_other_plugins_gains_their_part(app, db_session):
    registry = get_registry(app)
    scjg_only = copy.copy(registry)
    scjg_only.loaded = {"SCJG": registry.loaded["SCJG"]}
    with app.app_context():
        sync_departments(db_session, scjg_only)
        first = load_directory_plans_and_draws(db_session, scjg_only)
        initiators = set(db_session.scalars(select(Department.code).join(
            AnnualPlan, AnnualPlan.department_id == Department.id).where(AnnualPlan.year == DEMO_YEAR)))
        sync_departments(db_session, registry)
        then = load_directory_plans_and_draws(db_session)
    assert initiators == {"SCJG"} and first.executed == 1
    assert then.executed == 1 and draws_of(db_session, CHEMICALS_PLAN)[0].executed
    supervising = set(db_session.scalars(select(Department.code).join(
        TargetSupervision, TargetSupervision.department_id == Department.id).distinct()))
    assert supervising == set(registry.loaded)
    plans = db_session.scalar(select(func.count(func.distinct(AnnualPlan.department_id)))
                              .where(AnnualPlan.year == DEMO_YEAR))
    assert plans == len(registry.loaded)
