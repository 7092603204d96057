"""The dry run of a batch: candidates per stratum after exclusions, each exclusion with its
reason, quotas by the formula, the workload per inspector against each department's pool, and
results that do not depend on the order rows were inserted in."""

from __future__ import annotations

from datetime import date

import pytest

from spotcheck.planning import dryrun, service
from spotcheck.planning.dryrun import DepartmentLoad, Exclusion, dry_run
from spotcheck.planning.testing import make_plan
from spotcheck.planning.workplan_testing import make_batch, make_work_plan
from spotcheck.registry.inspectors.testing import make_inspector
from spotcheck.registry.items.testing import make_item
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped


def _codes(numbers, kind="company"):
    return [credit_code(700_000 + n, kind) for n in numbers]


def _targets(db_session, department, codes, **fields):
    return [make_target(db_session, department, code=code, **fields) for code in codes]


def test_candidates_go_to_strata_after_exclusions_each_with_its_reason(factories, db_session, monkeypatch):
    aaa, other = factories.department("AAA"), factories.department("CCC")
    a_codes = _codes(range(5))
    _targets(db_session, aaa, a_codes, credit_class="A")
    [deregistered, revoked, moved] = _codes(range(10, 13))
    make_target(db_session, aaa, code=deregistered, credit_class="A", status="deregistered")
    make_target(db_session, aaa, code=revoked, credit_class="A", status="revoked")
    make_target(db_session, aaa, code=moved, credit_class="A", status="moved_out")
    [capped, drawn, unrated] = _codes(range(20, 23))
    capped_id = make_target(db_session, aaa, code=capped, credit_class="B").id
    drawn_id = make_target(db_session, aaa, code=drawn, credit_class="B").id
    make_target(db_session, aaa, code=unrated)
    make_target(db_session, other, credit_class="A")  # not supervised by the initiator: not in scope
    monkeypatch.setattr(dryrun, "random_draws_this_year",
                        lambda session, ids, year: {i: (2 if i == capped_id else 1) for i in ids})
    monkeypatch.setattr(dryrun, "drawn_in_plan", lambda session, plan_id, before, ids: {drawn_id})
    batch = make_batch(db_session, make_work_plan(db_session, aaa))

    result = dry_run(db_session, batch)

    assert [(s.key, s.candidates, s.quota) for s in result.strata] == [
        ("credit=A", tuple(sorted(a_codes, key=str.encode)), 1),
        ("credit=B", (), 0), ("credit=C", (), 0), ("credit=D", (), 0)]
    assert set(result.excluded) == {
        Exclusion(deregistered, "deregistered"), Exclusion(revoked, "revoked"),
        Exclusion(moved, "moved_out"), Exclusion(capped, "year_cap"),
        Exclusion(drawn, "drawn_in_plan"), Exclusion(unrated, "no_stratum")}
    assert [e.id for e in result.excluded] == sorted((e.id for e in result.excluded), key=str.encode)


def test_a_non_random_plan_is_not_limited_by_the_yearly_cap(factories, db_session, monkeypatch):
    aaa = factories.department("AAA")
    [code] = _codes([30])
    make_target(db_session, aaa, code=code, credit_class="C")
    monkeypatch.setattr(dryrun, "random_draws_this_year", lambda session, ids, year: dict.fromkeys(ids, 5))
    batch = make_batch(db_session, make_work_plan(db_session, aaa, plan_type="complaint"))
    result = dry_run(db_session, batch)
    assert result.excluded == ()
    assert dict((s.key, s.candidates) for s in result.strata)["credit=C"] == (code,)


def test_nothing_is_counted_before_any_draw_executes(factories, db_session):
    aaa = factories.department("AAA")
    target = make_target(db_session, aaa, credit_class="A")
    assert dryrun.random_draws_this_year(db_session, [target.id], 2027) == {target.id: 0}
    assert dryrun.drawn_in_plan(db_session, 1, 2, [target.id]) == set()


def test_a_target_matched_by_two_strata_goes_to_the_first_by_key_bytes(factories, db_session):
    aaa = factories.department("AAA")
    [code] = _codes([40])
    make_target(db_session, aaa, code=code, credit_class="B", risk_level="high")
    batch = make_batch(db_session, make_work_plan(db_session, aaa), strata=[
        {"key": "risk=high", "selector": {"risk_levels": ["high"]}, "count": 5},
        {"key": "credit=B", "selector": {"credit_classes": ["B"]}, "count": 5},
    ])
    result = dry_run(db_session, batch)
    assert [(s.key, s.candidates) for s in result.strata] == [("credit=B", (code,)), ("risk=high", ())]


def test_the_batch_scope_narrows_the_plan_scope(factories, db_session):
    aaa = factories.department("AAA")
    [company] = _codes([50])
    [shop] = _codes([51], "individual_business")
    make_target(db_session, aaa, code=company, kind="company", credit_class="A")
    make_target(db_session, aaa, code=shop, kind="individual_business", credit_class="A")
    batch = make_batch(db_session, make_work_plan(db_session, aaa), kinds=["individual_business"])
    assert dry_run(db_session, batch).strata[0].candidates == (shop,)


@pytest.mark.parametrize("order", ["forward", "reversed", "shuffled"])
def test_candidates_are_identical_whatever_the_insertion_order(factories, db_session, order):
    aaa = factories.department("AAA")
    codes = _codes(range(60, 72)) + _codes(range(72, 76), "individual_business")
    inserted = {"forward": codes, "reversed": codes[::-1],
                "shuffled": codes[5:] + codes[:5][::-1]}[order]
    for code in inserted:
        make_target(db_session, aaa, code=code, credit_class="C")
    batch = make_batch(db_session, make_work_plan(db_session, aaa))
    result = dry_run(db_session, batch)
    stratum = dict((s.key, s) for s in result.strata)["credit=C"]
    assert stratum.candidates == tuple(sorted(codes, key=lambda c: c.encode("utf-8")))
    assert stratum.quota == 2  # ceil(16 * 10%) = 2
    assert dry_run(db_session, batch) == result


def _user(department):
    return User(id=None, username=f"staff-{department.code}")


def test_workload_per_inspector_against_each_departments_pool(factories, db_session):
    """By hand: A holds 5 companies (quota max(1, ceil(5*3%)) = 1), D holds 4 individual
    businesses (quota ceil(4*30%) = 2). The initiator AAA is needed by all 3 drawn targets: 6
    assignments over its 3 eligible inspectors = 2 each. BBB's item covers individual businesses
    only: at most 2 targets, 4 assignments, and its pool of 1 cannot send 2 inspectors."""
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    _targets(db_session, aaa, _codes(range(80, 85)), credit_class="A")
    _targets(db_session, aaa, _codes(range(85, 89), "individual_business"),
             kind="individual_business", credit_class="D")
    for _ in range(3):
        make_inspector(db_session, aaa)
    make_inspector(db_session, aaa, valid_to=date(2026, 12, 31))       # expired by the window
    make_inspector(db_session, aaa, authorities=("special_equipment",))  # not qualified
    make_inspector(db_session, bbb)
    food = make_item(db_session, aaa)
    shops = make_item(db_session, bbb, "shop_hygiene", target_kinds=["individual_business"])
    plan = make_plan(db_session, aaa, [bbb])
    for department, item in ((aaa, food), (bbb, shops)):
        with scoped(db_session, Scope.department(department.id)):
            service.set_items(db_session, plan, department.id, [item.id])
    with scoped(db_session, Scope.department(bbb.id)):
        service.answer(db_session, plan, bbb.id, _user(bbb), confirmed=True)
    with scoped(db_session, Scope.department(aaa.id)):
        service.submit(db_session, plan, "Asia/Shanghai")
    db_session.commit()
    batch = make_batch(db_session, make_work_plan(db_session, aaa, plan))

    result = dry_run(db_session, batch)

    assert [s.quota for s in result.strata] == [1, 0, 0, 2]
    assert result.workload == (DepartmentLoad("AAA", 2, 3, 3), DepartmentLoad("BBB", 2, 1, 2))
    initiator, participant = result.workload
    assert (initiator.assignments, initiator.per_inspector, initiator.staffable) == (6, 2, True)
    assert (participant.assignments, participant.per_inspector, participant.staffable) == (4, 4, False)
    assert not result.staffable
