"""The demo work plans: drafts and approved ones, with batches on the credit-risk default strata
and on custom strata, inside their plans' windows; their dry runs compute."""

from __future__ import annotations

from sqlalchemy import select

from spotcheck.demo.people import load_demo_people
from spotcheck.demo.plans import load_demo_plans
from spotcheck.planning.dryrun import dry_run
from spotcheck.planning.models import WorkPlan
from spotcheck.planning.workplans import CREDIT_RISK_DEFAULT


def test_demo_work_plans_in_every_state_with_default_and_custom_strata(app, db_session):
    with app.app_context():
        load_demo_people(db_session)
        load_demo_plans(db_session)
    work_plans = db_session.scalars(select(WorkPlan).order_by(WorkPlan.id)).all()
    assert {w.state for w in work_plans} == {"approved", "draft"}
    assert len({w.plan.department_id for w in work_plans if w.state == "approved"}) >= 3
    assert all(w.approved_by for w in work_plans if w.state == "approved")
    default = {f"credit={cls}" for cls, _ in CREDIT_RISK_DEFAULT}
    keys = [{s.key for s in b.strata} for w in work_plans for b in w.batches]
    assert default in keys and any(k.isdisjoint(default) for k in keys)
    for work_plan in work_plans:
        for batch in work_plan.batches:
            plan = work_plan.plan
            assert plan.window_start <= batch.window_start <= batch.window_end <= plan.window_end
            with app.app_context():
                result = dry_run(db_session, batch)
            assert [s.key for s in result.strata] == sorted(s.key for s in batch.strata)
