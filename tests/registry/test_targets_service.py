"""The target service: creating, changing, supervising and tagging targets, each with its history."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.registry.areas import AreaIndex
from spotcheck.registry.targets import service
from spotcheck.registry.targets.codes import KINDS
from spotcheck.registry.targets.history import event_stamp, record_events
from spotcheck.registry.targets.models import (
    Target,
    TargetEvent,
    TargetSupervision,
    TargetTag,
)
from spotcheck.registry.targets.rows import validate_target_row
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.scope import Scope, scoped

NO_AREAS = AreaIndex({}, {})


@pytest.fixture
def aaa(factories):
    return factories.department("AAA")


@pytest.fixture
def bbb(factories):
    return factories.department("BBB")


def row(**raw):
    checked, errors = validate_target_row({"kind": "公司", "name": "西宁某某商贸有限公司", **raw}, NO_AREAS)
    assert checked is not None, errors
    return checked


def events(db_session, target) -> list[TargetEvent]:
    with scoped(db_session, Scope.system()):
        return list(db_session.scalars(select(TargetEvent).where(TargetEvent.target_id == target.id)
                                       .order_by(TargetEvent.id)))


def as_department(db_session, department):
    return scoped(db_session, Scope.department(department.id))


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_can_be_created_and_is_supervised_by_its_creator(db_session, aaa, kind):
    code = None if kind in ("product", "project", "behaviour") else credit_code(42, kind)
    with as_department(db_session, aaa):
        target = service.create_target(db_session, row(kind=kind, code=code))
        supervision = service.own_supervision(db_session, target)
    assert target.kind == kind and target.status == "active" and target.version == 1
    assert supervision is not None and supervision.department_id == aaa.id


def test_non_market_targets_get_consecutive_platform_codes_per_kind(db_session, aaa):
    with as_department(db_session, aaa):
        first = service.create_target(db_session, row(kind="产品", name="某牌牦牛肉干"))
        second = service.create_target(db_session, row(kind="产品", name="某牌青稞酒"))
        project = service.create_target(db_session, row(kind="项目", name="某小区改造工程"))
        behaviour = service.create_target(db_session, row(kind="行为", name="某市场明码标价行为"))
    assert (first.code, second.code) == ("NM-PROD-000001", "NM-PROD-000002")
    assert project.code == "NM-PROJ-000001" and behaviour.code == "NM-ACT-000001"


def test_platform_codes_continue_after_the_highest_in_use_even_unseen(db_session, aaa, bbb):
    with as_department(db_session, bbb):
        service.create_target(db_session, row(kind="产品", code="NM-PROD-000041", name="乙部门的产品"))
    with as_department(db_session, aaa):
        mine = service.create_target(db_session, row(kind="产品", name="甲部门的产品"))
    assert mine.code == "NM-PROD-000042"


def test_a_code_already_in_the_directory_is_refused_even_if_another_department_has_it(
        db_session, aaa, bbb):
    theirs = make_target(db_session, bbb)
    with as_department(db_session, aaa), pytest.raises(service.CodeTaken) as refused:
        service.create_target(db_session, row(code=theirs.code))
    error = refused.value.errors[0]
    assert (error.field, error.code) == ("code", "duplicate_code")
    assert refused.value.target_id == theirs.id


def test_creating_writes_the_history_with_the_personal_field_masked(db_session, aaa):
    with as_department(db_session, aaa):
        target = service.create_target(db_session, row(code=credit_code(7), legal_representative="张三明",
                                                       risk_level="高", tags="重点；食品"))
    found = events(db_session, target)
    assert [(e.action, e.private) for e in found] == [("create", False), ("supervise", True),
                                                      ("tag", True)]
    create = found[0]
    assert create.changes["legal_representative"] == [None, "张*明"]
    assert create.changes["code"] == [None, target.code]
    assert create.department_id == aaa.id and create.source == "web"
    assert found[1].changes == {"risk_level": [None, "high"]}
    assert found[2].changes == {"tags": [[], ["重点", "食品"]]}
    assert "张三明" not in json.dumps([e.changes for e in found], ensure_ascii=False)


def test_the_audit_trail_never_holds_the_legal_representative_in_clear(db_session, aaa):
    target = make_target(db_session, aaa, legal_representative="张三明")
    with as_department(db_session, aaa):
        service.update_target(db_session, target, {"legal_representative": "李四光"},
                              expected_version=target.version)
    db_session.commit()
    summaries = " ".join(s or "" for s in db_session.scalars(
        select(AuditRecord.summary).where(AuditRecord.object_type == "target")))
    assert "legal_representative" in summaries
    assert "张三明" not in summaries and "李四光" not in summaries


def test_an_update_records_before_and_after_and_bumps_the_version(db_session, aaa):
    target = make_target(db_session, aaa, address="八一路1号", legal_representative="王五")
    with as_department(db_session, aaa):
        changes = service.update_target(
            db_session, target, {"address": "八一路2号", "legal_representative": "赵六",
                                 "status": "deregistered", "credit_class": None},
            expected_version=1, source="api")
    assert target.version == 2
    assert changes == {"address": ["八一路1号", "八一路2号"], "legal_representative": ["王五", "赵六"],
                       "status": ["active", "deregistered"]}
    update = events(db_session, target)[-1]
    assert update.action == "update" and update.source == "api"
    assert update.changes["legal_representative"] == ["王*", "赵*"]
    assert update.changes["address"] == ["八一路1号", "八一路2号"]


def test_an_update_that_changes_nothing_writes_nothing(db_session, aaa):
    target = make_target(db_session, aaa, address="八一路1号")
    count = len(events(db_session, target))
    with as_department(db_session, aaa):
        assert service.update_target(db_session, target, {"address": "八一路1号"},
                                     expected_version=1) == {}
    assert target.version == 1 and len(events(db_session, target)) == count


def test_an_editor_with_an_old_version_gets_a_conflict_and_nothing_changes(db_session, aaa):
    target = make_target(db_session, aaa, address="旧地址")
    with as_department(db_session, aaa):
        service.update_target(db_session, target, {"address": "第一位编辑的地址"}, expected_version=1)
        with pytest.raises(service.VersionConflict):
            service.update_target(db_session, target, {"address": "第二位编辑的地址"},
                                  expected_version=1)
    assert target.address == "第一位编辑的地址" and target.version == 2


def test_a_concurrent_change_between_reading_and_writing_is_a_conflict(app, db_session, aaa):
    target = make_target(db_session, aaa, address="旧地址")
    from spotcheck.db import get_database

    other = get_database(app).sessionmaker()
    try:
        with scoped(other, Scope.department(aaa.id)):
            theirs = other.get(Target, target.id)
            theirs.address = "另一位编辑的地址"
            other.commit()
    finally:
        other.close()
    with as_department(db_session, aaa), pytest.raises(service.VersionConflict):
        # This unit of work still holds version 1: the row's version check refuses the write.
        service.update_target(db_session, target, {"address": "我的地址"}, expected_version=1)
    db_session.rollback()
    with scoped(db_session, Scope.system()):
        assert db_session.get(Target, target.id).address == "另一位编辑的地址"


def test_supervising_an_existing_target_and_ending_it_are_each_recorded(db_session, aaa, bbb):
    target = make_target(db_session, aaa)
    with as_department(db_session, bbb):
        service.supervise(db_session, target.id, risk_level="low", note="辖区重点")
        service.tag(db_session, target, "乙标签")
        service.end_supervision(db_session, target)
    actions = [(e.action, e.department_id) for e in events(db_session, target)]
    assert actions[-3:] == [("supervise", bbb.id), ("tag", bbb.id), ("end_supervision", bbb.id)]
    end = events(db_session, target)[-1]
    assert end.changes == {"risk_level": ["low", None], "tags": [["乙标签"], []]}
    with scoped(db_session, Scope.system()):
        assert db_session.scalars(select(TargetSupervision.department_id).where(
            TargetSupervision.target_id == target.id)).all() == [aaa.id]
        assert db_session.scalars(select(TargetTag).where(TargetTag.department_id == bbb.id)).all() == []


def test_supervising_twice_is_refused(db_session, aaa):
    target = make_target(db_session, aaa)
    with as_department(db_session, aaa), pytest.raises(service.TargetError) as refused:
        service.supervise(db_session, target.id)
    assert refused.value.errors[0].code == "already_supervised"


def test_risk_note_tag_and_untag_are_each_recorded(db_session, aaa):
    target = make_target(db_session, aaa)
    with as_department(db_session, aaa):
        assert service.set_risk(db_session, target, "high")
        assert not service.set_risk(db_session, target, "high")
        assert service.set_note(db_session, target, "曾有投诉")
        assert service.tag(db_session, target, "重点")
        assert not service.tag(db_session, target, "重点")
        assert service.untag(db_session, target, "重点")
        assert not service.untag(db_session, target, "重点")
    recorded = [(e.action, e.changes) for e in events(db_session, target)][2:]
    assert recorded == [("risk", {"risk_level": [None, "high"]}), ("note", {"note": [None, "曾有投诉"]}),
                        ("tag", {"tags": [[], ["重点"]]}), ("untag", {"tags": [["重点"], []]})]


def test_bulk_tagging_tags_only_supervised_targets_once_each(db_session, aaa, bbb):
    mine = [make_target(db_session, aaa) for _ in range(3)]
    theirs = make_target(db_session, bbb)
    with as_department(db_session, aaa):
        service.tag(db_session, mine[0], "专项检查")
        tagged = service.bulk_tag(db_session, [t.id for t in mine] + [theirs.id], "专项检查")
    assert tagged == sorted(t.id for t in mine[1:])
    with scoped(db_session, Scope.system()):
        holders = db_session.scalars(select(TargetTag.target_id).where(TargetTag.tag == "专项检查")).all()
    assert sorted(holders) == sorted(t.id for t in mine)
    assert "tag" not in [e.action for e in events(db_session, theirs)]
    assert all(events(db_session, t)[-1].action == "tag" for t in mine)


@pytest.mark.parametrize("bad", ["", "甲；乙", "长" * 51])
def test_a_bad_tag_is_refused(db_session, aaa, bad):
    target = make_target(db_session, aaa)
    with as_department(db_session, aaa), pytest.raises(service.TargetError):
        service.tag(db_session, target, bad)


def test_record_events_writes_many_at_once_for_the_importer(db_session, aaa):
    targets = [make_target(db_session, aaa) for _ in range(3)]
    with as_department(db_session, aaa):
        stamp = event_stamp(db_session, "import", import_id=77)
        record_events(db_session, [stamp.event(t.id, "update", {"legal_representative": ["张三", "李四"]})
                                   for t in targets])
    written = [events(db_session, t)[-1] for t in targets]
    assert {(e.source, e.import_id, e.department_id) for e in written} == {("import", 77, aaa.id)}
    assert {json.dumps(e.changes, ensure_ascii=False) for e in written} == {
        '{"legal_representative": ["张*", "李*"]}'}


def test_find_by_code_sees_only_what_the_department_supervises(db_session, aaa, bbb):
    target = make_target(db_session, aaa)
    with as_department(db_session, aaa):
        assert service.find_by_code(db_session, target.code.lower()) is target
    with as_department(db_session, bbb):
        assert service.find_by_code(db_session, target.code) is None
        entry = service.directory_entry(db_session, target.code)
    assert entry is not None and entry.id == target.id and not entry.supervised_here
