"""Tenancy of shared targets: a department reads and changes only the targets it supervises, the
office reads them all, the public none; each department's own view stays its own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from spotcheck.registry.areas import AreaIndex
from spotcheck.registry.targets import service
from spotcheck.registry.targets.history import event_stamp, record_events
from spotcheck.registry.targets.models import (
    Target,
    TargetEvent,
    TargetSupervision,
    TargetTag,
)
from spotcheck.registry.targets.rows import validate_target_row
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.context import scope_for
from spotcheck.tenancy.scope import Scope, TenancyError, get_visible, scoped


@pytest.fixture
def world(factories, db_session):
    """Two departments; A supervises one target alone, B another, and both a shared one."""
    a, b = factories.department("AAA"), factories.department("BBB")
    only_a = make_target(db_session, a, tags="甲的标签", risk_level="高")
    only_b = make_target(db_session, b)
    shared = make_target(db_session, a, risk_level="低")
    with scoped(db_session, Scope.department(b.id)):
        service.supervise(db_session, shared.id, risk_level="high")
        service.tag(db_session, shared, "乙的标签")
    db_session.commit()
    return a, b, only_a, only_b, shared


def codes(db_session) -> set[str]:
    return set(db_session.scalars(select(Target.code)))


def test_a_department_reads_only_the_targets_it_supervises(db_session, world):
    a, b, only_a, only_b, shared = world
    with scoped(db_session, Scope.department(a.id)):
        assert codes(db_session) == {only_a.code, shared.code}
        assert get_visible(db_session, Target, only_b.id) is None
    with scoped(db_session, Scope.department(b.id)):
        assert codes(db_session) == {only_b.code, shared.code}


def test_the_office_reads_every_target(db_session, world, factories):
    office_user = factories.user("office", "OFFICE")
    with scoped(db_session, scope_for(office_user)):
        assert {t.code for t in world[2:]} <= codes(db_session)


def test_the_office_viewing_one_department_reads_its_targets_only(db_session, world, factories):
    a, _b, only_a, only_b, shared = world
    office_user = factories.user("office", "OFFICE")
    with scoped(db_session, scope_for(office_user, acting_department_id=a.id)):
        assert codes(db_session) == {only_a.code, shared.code}


def test_the_public_reads_no_target(db_session, world):
    with scoped(db_session, Scope.public()):
        assert codes(db_session) == set()
        assert db_session.scalar(select(func.count()).select_from(TargetEvent)) == 0


def test_counts_and_subqueries_are_filtered_too(db_session, world):
    a, *_ = world
    with scoped(db_session, Scope.department(a.id)):
        inner = select(Target.id).subquery()
        assert db_session.scalar(select(func.count()).select_from(inner)) == 2


def test_risk_levels_and_tags_are_each_departments_own(db_session, world):
    a, b, _only_a, _only_b, shared = world
    with scoped(db_session, Scope.department(a.id)):
        assert db_session.scalars(select(TargetSupervision.risk_level).where(
            TargetSupervision.target_id == shared.id)).all() == ["low"]
        assert "乙的标签" not in db_session.scalars(select(TargetTag.tag)).all()
    with scoped(db_session, Scope.department(b.id)):
        assert db_session.scalars(select(TargetTag.tag)).all() == ["乙的标签"]


def test_other_supervisors_are_named_but_their_views_stay_theirs(db_session, world):
    a, b, _only_a, _only_b, shared = world
    with scoped(db_session, Scope.department(a.id)):
        assert [d.code for d in service.supervisors(db_session, shared)] == ["AAA", "BBB"]


def test_history_of_a_shared_target_hides_another_departments_own_view(db_session, world):
    a, b, _only_a, _only_b, shared = world
    with scoped(db_session, Scope.department(a.id)):
        seen = db_session.scalars(select(TargetEvent).where(TargetEvent.target_id == shared.id)).all()
    assert {e.action for e in seen if not e.private} == {"create"}
    assert all(e.department_id == a.id for e in seen if e.private)
    with scoped(db_session, Scope.department(b.id)):
        seen_b = db_session.scalars(select(TargetEvent).where(TargetEvent.target_id == shared.id)).all()
    assert {(e.action, e.department_id) for e in seen_b if e.private} == {("supervise", b.id),
                                                                          ("tag", b.id)}


def test_a_department_may_change_a_shared_target_it_supervises(db_session, world):
    _a, b, _only_a, _only_b, shared = world
    with scoped(db_session, Scope.department(b.id)):
        mine = get_visible(db_session, Target, shared.id)
        service.update_target(db_session, mine, {"address": "乙部门核实的地址"}, expected_version=1)
        db_session.flush()
    assert shared.address == "乙部门核实的地址"


def test_changing_a_target_one_does_not_supervise_is_refused_at_flush(db_session, world):
    a, _b, _only_a, only_b, _shared = world
    with scoped(db_session, Scope.system()):
        theirs = db_session.get(Target, only_b.id)
    with scoped(db_session, Scope.department(a.id)):
        theirs.name = "改名"
        with pytest.raises(TenancyError, match="not supervised"):
            db_session.flush()
    db_session.rollback()


def test_an_update_statement_on_another_departments_target_touches_nothing(db_session, world):
    a, _b, _only_a, only_b, _shared = world
    with scoped(db_session, Scope.department(a.id)):
        db_session.execute(update(Target).where(Target.id == only_b.id).values(name="改名"))
    with scoped(db_session, Scope.system()):
        db_session.expire_all()
        assert db_session.get(Target, only_b.id).name == only_b.name


def test_a_new_target_without_the_creators_supervision_is_refused(db_session, world):
    a, *_ = world
    with scoped(db_session, Scope.department(a.id)):
        db_session.add(Target(code=credit_code(999), name="无人监管的对象", kind="company",
                              status="active"))
        with pytest.raises(TenancyError, match="supervision"):
            db_session.flush()
    db_session.rollback()


def test_a_new_target_supervised_in_another_departments_name_is_refused(db_session, world):
    a, b, *_ = world
    with scoped(db_session, Scope.department(a.id)):
        target = Target(code=credit_code(998), name="冒名的对象", kind="company", status="active")
        db_session.add_all([target, TargetSupervision(target=target, department_id=b.id)])
        with pytest.raises(TenancyError):
            db_session.flush()
    db_session.rollback()


def test_the_public_scope_can_never_write(db_session, world):
    *_, shared = world
    with scoped(db_session, Scope.system()):
        target = db_session.get(Target, shared.id)
    with scoped(db_session, Scope.public()):
        target.name = "匿名修改"
        with pytest.raises(TenancyError, match="writes nothing"):
            db_session.flush()
    db_session.rollback()


def test_a_department_cannot_remove_a_target(db_session, world):
    a, _b, only_a, *_ = world
    with scoped(db_session, Scope.department(a.id)):
        db_session.delete(get_visible(db_session, Target, only_a.id))
        with pytest.raises(TenancyError, match="platform's own jobs"):
            db_session.flush()
    db_session.rollback()


def test_history_cannot_be_written_in_another_departments_name(db_session, world):
    a, b, only_a, *_ = world
    with scoped(db_session, Scope.department(a.id)):
        stamp = event_stamp(db_session, "import")
        row = {**stamp.event(only_a.id, "update", {}), "department_id": b.id}
        with pytest.raises(TenancyError):
            record_events(db_session, [row])


def test_history_is_never_changed_by_a_department(db_session, world):
    a, _b, only_a, *_ = world
    with scoped(db_session, Scope.department(a.id)):
        event = db_session.scalars(select(TargetEvent).where(TargetEvent.target_id == only_a.id)).first()
        event.action = "tampered"
        with pytest.raises(TenancyError, match="written once"):
            db_session.flush()
    db_session.rollback()


def test_a_scope_less_query_on_targets_is_refused(app, world):
    from spotcheck.db import get_database

    bare = get_database(app).sessionmaker()
    try:
        with pytest.raises(TenancyError, match="without a scope"):
            bare.scalars(select(Target)).all()
    finally:
        bare.close()


def test_plain_owned_rows_keep_their_rules(db_session, world):
    a, b, *_ = world
    with scoped(db_session, Scope.department(a.id)):
        assert set(db_session.scalars(select(TargetSupervision.department_id))) == {a.id}


def test_a_raw_row_for_another_department_is_created_in_the_acting_ones_name(db_session, world):
    a, *_ = world
    row, _errors = validate_target_row({"code": credit_code(997), "name": "新对象", "kind": "公司"},
                                       AreaIndex({}, {}))
    with scoped(db_session, Scope.department(a.id)):
        target = service.create_target(db_session, row)
        assert service.own_supervision(db_session, target).department_id == a.id
