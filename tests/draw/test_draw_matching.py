"""Inspector matching (spec §4): per target, every department whose items apply sends
``per_target`` inspectors from its pool (active, valid credential, authority); conflicts of
interest, the target's last team and areas exclude; ``max_load`` holds; a batch that cannot be
staffed is refused naming the target and department, and nothing is saved."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from spotcheck.draw import service, verify_draw
from spotcheck.draw.models import (DrawDepartment, DrawSelection, DrawState, DrawTally, MatchExclusion,
                                   Team)
from spotcheck.draw.proof import proof_chunks
from spotcheck.draw.testing import DRAWER, make_draw, make_setup
from spotcheck.planning import service as plans
from spotcheck.planning.testing import make_plan
from spotcheck.planning.workplan_testing import make_batch, make_work_plan
from spotcheck.planning.workplans import approve
from spotcheck.registry.areas import Area, load_areas
from spotcheck.registry.inspectors.service import withdraw_conflict
from spotcheck.registry.inspectors.testing import make_conflict, make_inspector
from spotcheck.registry.items.testing import make_item
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped

EVERY_B = [{"key": "credit=B", "selector": {"credit_classes": ["B"]}, "ratio_bp": 10000, "min": 0}]


def proof_of(db_session, draw):
    with scoped(db_session, Scope.system()):
        return json.loads("".join(proof_chunks(db_session, draw)))


def exclusions(proof):
    return {(e["target"], e["inspector"]): e["reason"] for e in proof["matching"]["exclusions"]}


def team_of(proof, target):
    return [i for a in proof["assignments"] if a["target"] == target for i in a["inspectors"]]


def inspectors(db_session, department, count, first=0, **fields):
    return [make_inspector(db_session, department, code=f"{department.code}-{first + n:04d}",
                           authorities=(f"{department.code.lower()}_auth",), **fields).code
            for n in range(count)]


def plan_with_kinds(db_session, initiator, kinds):
    """An approved one-batch work plan of a submitted joint plan; ``kinds`` maps each department
    (the initiator first) to the target kinds its one item covers."""
    participants = [d for d in kinds if d is not initiator]
    plan = make_plan(db_session, initiator, participants)
    for department, covered in kinds.items():
        item = make_item(db_session, department, f"{department.code.lower()}_item",
                         authority=f"{department.code.lower()}_auth", target_kinds=covered)
        with scoped(db_session, Scope.department(department.id)):
            assert plans.set_items(db_session, plan, department.id, [item.id]) == []
            if department is not initiator:
                plans.answer(db_session, plan, department.id, User(id=None, username="staff"), confirmed=True)
        db_session.commit()
    with scoped(db_session, Scope.department(initiator.id)):
        plans.submit(db_session, plan, "Asia/Shanghai")
    db_session.commit()
    work_plan = make_work_plan(db_session, initiator, plan)
    batch = make_batch(db_session, work_plan, strata=EVERY_B)
    with scoped(db_session, Scope.department(initiator.id)):
        approve(db_session, work_plan, User(id=None, username="head"))
    db_session.commit()
    return batch


def test_every_department_whose_items_apply_sends_per_target_inspectors_from_its_pool(factories, db_session):
    aaa, bbb, ccc = (factories.department(code) for code in ("AAA", "BBB", "CCC"))
    batch = plan_with_kinds(db_session, aaa, {aaa: ["company", "individual_business"], bbb: ["company"],
                                              ccc: ["individual_business"]})
    companies = [make_target(db_session, aaa, code=credit_code(n), credit_class="B").code for n in range(2)]
    shops = [make_target(db_session, aaa, kind="individual_business", credit_class="B",
                         code=credit_code(10 + n, "individual_business")).code for n in range(2)]
    pools = {d.code: inspectors(db_session, d, 6) for d in (aaa, bbb, ccc)}
    # Not in any pool: off duty, credential expired or not yet valid, no authority for the items.
    inspectors(db_session, aaa, 1, first=10, status="on_leave")
    inspectors(db_session, bbb, 1, first=10, valid_to=date(2027, 3, 31))
    inspectors(db_session, bbb, 1, first=11, valid_from=date(2027, 4, 2))
    make_inspector(db_session, ccc, code="CCC-0010", authorities=("other_auth",))

    draw = make_draw(db_session, batch, per_target=3)

    proof = proof_of(db_session, draw)
    assert verify_draw.verify(proof).selected == 4
    matching = proof["matching"]
    assert [(d["code"], d["per_target"], sorted(d["pool"])) for d in matching["departments"]] == [
        (code, 3, pools[code]) for code in ("AAA", "BBB", "CCC")]
    assert matching["required"] == {**{c: ["AAA", "BBB"] for c in companies},
                                    **{s: ["AAA", "CCC"] for s in shops}}
    for target, required in matching["required"].items():
        sent = [(a["department"], a["inspectors"]) for a in proof["assignments"] if a["target"] == target]
        assert [code for code, _ in sent] == required
        for code, picked in sent:
            assert len(picked) == 3 and set(picked) <= set(pools[code])
    with scoped(db_session, Scope.system()):
        for team in db_session.scalars(select(Team).where(Team.draw_id == draw.id)):
            assert team.leader.inspector_code == team_of(proof, team.target.code)[0]
            assert [m.inspector_code for m in team.current] == team_of(proof, team.target.code)


def test_an_inspector_who_declared_a_conflict_is_not_matched_to_that_target(factories, db_session):
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=2, inspectors=3)
    conflicted, withdrawn = setup.inspectors["AAA"][:2]
    target, other = setup.targets
    make_conflict(db_session, conflicted, target)
    old = make_conflict(db_session, withdrawn, target)
    with scoped(db_session, Scope.department(aaa.id)):
        withdraw_conflict(old, "已调离该单位")
    db_session.commit()

    proof = proof_of(db_session, make_draw(db_session, setup.batch))

    assert exclusions(proof) == {(target.code, conflicted.code): "recusal"}
    assert conflicted.code not in team_of(proof, target.code)
    assert sorted(team_of(proof, target.code)) == sorted(i.code for i in setup.inspectors["AAA"][1:])
    verify_draw.verify(proof)


def test_the_team_of_a_targets_last_check_is_not_sent_again(factories, db_session):
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=1, inspectors=4)
    [target] = setup.targets
    first = team_of(proof_of(db_session, make_draw(db_session, setup.batch)), target.code)

    second_proof = proof_of(db_session, make_draw(
        db_session, make_setup(db_session, aaa, targets=0, inspectors=0).batch))
    second = team_of(second_proof, target.code)
    assert exclusions(second_proof) == {(target.code, i): "consecutive" for i in first}
    assert set(second).isdisjoint(first)

    # Only the last check counts: the first team may go again (a key-item plan, beyond the cap).
    third_proof = proof_of(db_session, make_draw(
        db_session, make_setup(db_session, aaa, targets=0, inspectors=0, plan_type="key_item").batch))
    assert exclusions(third_proof) == {(target.code, i): "consecutive" for i in second}
    assert sorted(team_of(third_proof, target.code)) == sorted(first)
    for proof in (second_proof, third_proof):
        verify_draw.verify(proof)


def test_an_inspector_whose_areas_do_not_cover_the_targets_area_is_excluded(factories, db_session):
    load_areas(db_session, {"district": {"division_code": "630102"}, "areas": [
        {"name": "测试甲街道", "kind": "街道", "communities": ["甲一社区", "甲二社区"]},
        {"name": "测试乙街道", "kind": "街道", "communities": ["乙一社区"]}]})
    db_session.commit()
    code = dict(db_session.execute(select(Area.path, Area.code)).all())
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=0, inspectors=0)
    placed = make_target(db_session, aaa, code=credit_code(1), credit_class="B", area="测试甲街道/甲一社区")
    nowhere = make_target(db_session, aaa, code=credit_code(2), credit_class="B")
    covering = {"AAA-0000": (code["测试乙街道"],), "AAA-0001": (code["测试甲街道"],), "AAA-0002": (),
                "AAA-0003": (code["测试甲街道/甲一社区"],), "AAA-0004": (code["测试甲街道/甲二社区"],)}
    for inspector, areas in covering.items():
        make_inspector(db_session, aaa, code=inspector, authorities=("aaa_auth",), areas=areas)

    proof = proof_of(db_session, make_draw(db_session, setup.batch))

    assert exclusions(proof) == {(placed.code, "AAA-0000"): "area", (placed.code, "AAA-0004"): "area"}
    assert set(team_of(proof, placed.code)) <= {"AAA-0001", "AAA-0002", "AAA-0003"}
    assert len(team_of(proof, nowhere.code)) == 2  # a target without an area: everyone covers it
    verify_draw.verify(proof)


def test_no_inspector_gets_more_targets_than_max_load(factories, db_session):
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=4, inspectors=4)

    proof = proof_of(db_session, make_draw(db_session, setup.batch, max_load=2))

    assert proof["matching"]["max_load"] == 2
    load = Counter(i for a in proof["assignments"] for i in a["inspectors"])
    assert load == {i.code: 2 for i in setup.inspectors["AAA"]}
    verify_draw.verify(proof)


def nothing_saved(db_session, draw, targets):
    counts = [db_session.scalar(select(func.count()).select_from(model).where(model.draw_id == draw.id))
              for model in (DrawSelection, Team, DrawDepartment, MatchExclusion)]
    tallied = db_session.scalar(select(func.count()).select_from(DrawTally).where(
        DrawTally.target_id.in_([t.id for t in targets])))
    return counts == [0, 0, 0, 0] and tallied == 0


def test_a_batch_that_cannot_be_staffed_is_refused_naming_target_and_department(factories, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    setup = make_setup(db_session, aaa, [bbb], targets=3, inspectors=2)
    target = setup.targets[1]
    conflict = make_conflict(db_session, setup.inspectors["BBB"][0], target)
    draw = make_draw(db_session, setup.batch, entropy=None)

    with pytest.raises(service.DrawRefused) as refused, scoped(db_session, Scope.system()):
        service.run(db_session, draw.id, "dice:1-2-3", DRAWER)

    assert refused.value.code == "unstaffable"
    for message in (refused.value.message_zh, refused.value.message_en):
        assert target.code in message and "BBB" in message
    assert draw.state == DrawState.PREPARED.value and draw.seed is None
    assert nothing_saved(db_session, draw, setup.targets)

    # Still prepared: once the pool can staff it, the same preparation draws.
    with scoped(db_session, Scope.department(bbb.id)):
        withdraw_conflict(conflict, "声明有误")
    db_session.commit()
    with scoped(db_session, Scope.system()):
        service.run(db_session, draw.id, "dice:1-2-3", DRAWER)
    assert draw.executed and verify_draw.verify(proof_of(db_session, draw)).selected == 3


def test_max_load_too_small_for_the_batch_is_refused_before_anything_is_saved(factories, db_session):
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=3, inspectors=4)
    draw = make_draw(db_session, setup.batch, entropy=None, max_load=1)

    with pytest.raises(service.DrawRefused) as refused, scoped(db_session, Scope.system()):
        service.run(db_session, draw.id, "", DRAWER)

    # Two targets take all four inspectors once; the third in matching order finds none.
    seed = verify_draw.draw_seed(draw.server_secret, "", draw.candidates_digest)
    third = verify_draw.select(seed, "credit=B", [t.code for t in setup.targets], 3)[2]
    assert refused.value.code == "unstaffable"
    assert third in refused.value.message_en and "AAA" in refused.value.message_en
    assert draw.state == DrawState.PREPARED.value
    assert nothing_saved(db_session, draw, setup.targets)
