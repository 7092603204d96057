"""A dry run matches exactly what the draw then does: the same candidates per stratum, the same
exclusions with their reasons — year cap and drawn-in-plan ones made by real earlier draws —
the same quotas, and the pools the workload was measured against."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from spotcheck.draw import verify_draw
from spotcheck.draw.proof import proof_chunks
from spotcheck.draw.testing import make_draw, make_joint_plan, make_setup
from spotcheck.planning.dryrun import DISTRICT_TIMEZONE, dry_run
from spotcheck.planning.workplan_testing import make_batch, make_work_plan
from spotcheck.planning.workplans import approve
from spotcheck.registry.inspectors.testing import make_inspector
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped


def proof_of(db_session, draw):
    with scoped(db_session, Scope.system()):
        return json.loads("".join(proof_chunks(db_session, draw)))


def every(credit_class):
    return [{"key": f"credit={credit_class}", "selector": {"credit_classes": [credit_class]},
             "ratio_bp": 10000, "min": 0}]


def assert_draw_did_what_the_dry_run_said(run, proof):
    assert [(s["key"], s["quota"], s["candidates"]) for s in proof["strata"]] == [
        (s.key, s.rule, list(s.candidates)) for s in run.strata]
    assert [len(s["selected"]) for s in proof["strata"]] == [s.quota for s in run.strata]
    assert proof["excluded"] == [{"id": e.id, "reason": e.reason} for e in run.excluded]
    departments = proof["matching"]["departments"]
    assert [(d["code"], d["per_target"], len(d["pool"])) for d in departments] == [
        (d.code, d.per_target, d.pool) for d in run.workload]
    needed = {d.code: sum(d.code in codes for codes in proof["matching"]["required"].values())
              for d in run.workload}
    assert {d.code: d.targets for d in run.workload} == needed
    verify_draw.verify(proof)


def test_a_dry_run_and_the_draw_that_follows_agree_on_candidates_exclusions_and_quotas(factories, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    made = {cls: [make_target(db_session, aaa, code=credit_code(10 * n + i), credit_class=cls).code
                  for i in range(count)]
            for n, (cls, count) in enumerate((("A", 4), ("B", 3), ("C", 2), ("D", 2)))}
    deregistered = make_target(db_session, aaa, code=credit_code(90), credit_class="B", status="deregistered").code
    unrated = make_target(db_session, aaa, code=credit_code(91)).code
    for department in (aaa, bbb):
        for n in range(8):
            make_inspector(db_session, department, code=f"{department.code}-{n:04d}",
                           authorities=(f"{department.code.lower()}_auth",))
    # Two other random plans draw the C targets: they reach the yearly cap.
    for _ in range(2):
        make_draw(db_session, make_setup(db_session, aaa, [bbb], targets=0, inspectors=0, strata=every("C")).batch)
    # The plan's first batch draws the D targets; its second batch is the one dry-run and drawn.
    plan = make_joint_plan(db_session, aaa, [bbb])
    work_plan = make_work_plan(db_session, aaa, plan)
    first = make_batch(db_session, work_plan, strata=every("D"))
    second = make_batch(db_session, work_plan, name="第二批次")  # the credit-risk default strata
    with scoped(db_session, Scope.department(aaa.id)):
        approve(db_session, work_plan, User(id=None, username="head"))
    db_session.commit()
    make_draw(db_session, first)

    run = dry_run(db_session, second)
    draw = make_draw(db_session, second, entropy="dice:2-5-6")

    assert {e.id: e.reason for e in run.excluded} == {
        **{code: "year_cap" for code in made["C"]}, **{code: "drawn_in_plan" for code in made["D"]},
        deregistered: "deregistered", unrated: "no_stratum"}
    assert [(s.key, len(s.candidates), s.quota) for s in run.strata] == [
        ("credit=A", 4, 1), ("credit=B", 3, 1), ("credit=C", 0, 0), ("credit=D", 0, 0)]
    assert_draw_did_what_the_dry_run_said(run, proof_of(db_session, draw))


def test_a_dry_run_in_an_open_window_measures_the_pools_the_draw_matches_from(factories, db_session):
    today = datetime.now(DISTRICT_TIMEZONE).date()
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=2, inspectors=2, year=today.year,
                       window_start=date(today.year, 1, 1), window_end=date(today.year, 12, 31))
    # On duty when the window opened, no longer by the day of the draw.
    make_inspector(db_session, aaa, code="AAA-0099", authorities=("aaa_auth",),
                   valid_from=date(today.year - 1, 1, 1), valid_to=max(date(today.year, 1, 1), today - timedelta(days=2)))

    run = dry_run(db_session, setup.batch)
    draw = make_draw(db_session, setup.batch)

    assert_draw_did_what_the_dry_run_said(run, proof_of(db_session, draw))
