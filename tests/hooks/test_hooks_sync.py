"""sync_departments: a department per loaded plugin, the rest kept but inactive, the office."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.hooks import PluginRegistry, SyncReport, build_plugin_manager, sync_departments
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, get_scope, set_scope


def departments(db_session: Session) -> dict[str, Department]:
    return {d.code: d for d in db_session.scalars(select(Department))}


def with_fake(make_plugin: Callable[..., Any], **changes: Any) -> PluginRegistry:
    """SCJG and the fake WJW plugin, with ``changes`` made to WJW's department."""
    plugin = make_plugin(edit=lambda department, **_: department.update(changes))
    registry = build_plugin_manager(["scjg"], [("fake", plugin)])
    assert set(registry.loaded) == {"SCJG", "WJW"}
    return registry


def test_sync_creates_updates_deactivates_and_revives(db_session: Session,
                                                      make_plugin: Callable[..., Any]) -> None:
    sync_departments(db_session, build_plugin_manager(["scjg"]))  # whatever was there before

    assert sync_departments(db_session, with_fake(make_plugin)) == SyncReport(created=["WJW"])
    fake = departments(db_session)["WJW"]
    assert (fake.name_zh, fake.name_en, fake.level) == (
        "城东区卫生健康局", "Chengdong District Health Commission", "district")
    assert (fake.plugin, fake.plugin_version, fake.active, fake.is_office) == (
        "fake", "2.3.4", True, False)
    scjg = departments(db_session)["SCJG"]
    assert (scjg.plugin, scjg.plugin_version, scjg.active) == ("scjg", "0.1.0", True)

    assert sync_departments(db_session, with_fake(make_plugin)) == SyncReport()

    renamed = with_fake(make_plugin, name_zh="城东区卫生健康委员会", level="city")
    assert sync_departments(db_session, renamed) == SyncReport(updated=["WJW"])
    assert (departments(db_session)["WJW"].name_zh, departments(db_session)["WJW"].level) == (
        "城东区卫生健康委员会", "city")

    gone = sync_departments(db_session, build_plugin_manager(["scjg"]))
    assert gone == SyncReport(deactivated=["WJW"])
    assert departments(db_session)["WJW"].active is False  # kept, never deleted

    assert sync_departments(db_session, with_fake(make_plugin)) == SyncReport(updated=["WJW"])
    assert departments(db_session)["WJW"].active is True


def test_refused_plugin_leaves_its_department_inactive(db_session: Session,
                                                       make_plugin: Callable[..., Any]) -> None:
    sync_departments(db_session, with_fake(make_plugin))
    broken = build_plugin_manager(["scjg"], [("fake", make_plugin(
        edit=lambda items, **_: items[0].update(form="missing")))])
    assert [r.name for r in broken.refused] == ["fake"]

    assert sync_departments(db_session, broken).deactivated == ["WJW"]


def test_departments_without_plugin_are_left_alone(db_session: Session) -> None:
    sync_departments(db_session, build_plugin_manager(["scjg"]))
    db_session.add(Department(code="LEGACY", name_zh="旧部门", name_en="Legacy", level="district",
                              plugin=None, active=True))
    db_session.flush()

    report = sync_departments(db_session, build_plugin_manager([]))

    assert report == SyncReport(deactivated=["SCJG"])
    assert departments(db_session)["LEGACY"].active is True


def test_office_is_created_when_missing(db_session: Session) -> None:
    office = departments(db_session).get("OFFICE")
    if office is not None:
        db_session.delete(office)
        db_session.flush()

    report = sync_departments(db_session, build_plugin_manager(["scjg"]))

    assert "OFFICE" in report.created
    office = departments(db_session)["OFFICE"]
    assert (office.name_zh, office.name_en, office.level, office.is_office, office.active,
            office.plugin) == ("联席办", "Joint Meeting Office", "district", True, True, None)


def test_office_is_restored_but_keeps_its_name(db_session: Session) -> None:
    sync_departments(db_session, build_plugin_manager(["scjg"]))
    office = departments(db_session)["OFFICE"]
    office.name_zh, office.active, office.is_office = "城东区双随机联席办", False, False
    db_session.flush()

    assert sync_departments(db_session, build_plugin_manager(["scjg"])) == SyncReport(
        updated=["OFFICE"])
    office = departments(db_session)["OFFICE"]
    assert (office.name_zh, office.active, office.is_office) == ("城东区双随机联席办", True, True)


def test_sync_runs_in_the_system_scope_and_restores_the_callers(db_session: Session) -> None:
    department_scope = Scope.department(department_id=10**6)
    set_scope(db_session, department_scope)

    sync_departments(db_session, build_plugin_manager(["scjg"]))

    assert get_scope(db_session) == department_scope
