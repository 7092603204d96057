"""The item lists follow the plugins: a version only when what an item says changes, local
adjustments versioned too, old versions never touched, nothing ever deleted."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from spotcheck.hooks.registry import DepartmentPlugin, PluginRegistry
from spotcheck.registry.items import service
from spotcheck.registry.items.models import CheckItem, CheckItemVersion, ImmutableVersionError
from spotcheck.registry.items.testing import item_definition
from spotcheck.tenancy.scope import Scope, scoped


class FakeRegistry(PluginRegistry):
    """A registry holding hand-made plugins, as the plugin manager would after loading them."""

    def __init__(self, plugins: dict[str, DepartmentPlugin]) -> None:
        self.loaded = plugins
        self.refused = []


def plugin(code: str, *definitions, version: str = "1.0") -> DepartmentPlugin:
    from spotcheck.hooks.definitions import DepartmentDef

    return DepartmentPlugin(name=code.lower(), version=version,
                            department=DepartmentDef(code=code, name_zh=code, name_en=code,
                                                     level="district", contract_version=1),
                            items={d.code: d for d in definitions}, forms={}, rules={})


@pytest.fixture
def department(factories):
    return factories.department("ITM")


def items_of(db_session, department):
    return {i.code: i for i in db_session.scalars(
        select(CheckItem).where(CheckItem.department_id == department.id))}


def versions(db_session, item):
    return list(db_session.scalars(select(CheckItemVersion).where(
        CheckItemVersion.item_id == item.id).order_by(CheckItemVersion.number)))


def test_first_sync_creates_each_item_at_version_1(db_session, department):
    report = service.sync_items(db_session, FakeRegistry({"ITM": plugin(
        "ITM", item_definition("food_business"), item_definition("measuring", authority="metrology"))}))
    assert sorted(report.departments["ITM"].created) == ["food_business", "measuring"]
    item = items_of(db_session, department)["food_business"]
    version = service.current_version(item)
    assert (version.number, version.reason, version.plugin_version) == (1, "plugin", "1.0")
    assert version.content["legal_basis"] == [{"law": "《中华人民共和国食品安全法》", "article": "第三十五条"}]
    assert version.content["enabled"] is True and version.content["withdrawn"] is False


def test_a_sync_without_changes_writes_no_version(db_session, department):
    registry = FakeRegistry({"ITM": plugin("ITM", item_definition())})
    service.sync_items(db_session, registry)
    report = service.sync_items(db_session, registry)
    assert report.departments["ITM"].unchanged == 1
    assert report.departments["ITM"].changed == []
    assert len(versions(db_session, items_of(db_session, department)["food_business"])) == 1


def test_changed_plugin_content_makes_a_new_version_and_keeps_the_old_one(db_session, department):
    service.sync_items(db_session, FakeRegistry({"ITM": plugin("ITM", item_definition())}))
    item = items_of(db_session, department)["food_business"]
    first = service.current_version(item)
    changed = item_definition(methods=["onsite", "sampling"], version=2)
    report = service.sync_items(db_session, FakeRegistry({"ITM": plugin("ITM", changed, version="1.1")}))
    assert report.departments["ITM"].changed == ["food_business"]
    old, new = versions(db_session, item)
    assert old.id == first.id and old.content["methods"] == ["onsite", "documentary"]
    assert (new.number, new.plugin_version, new.content["methods"]) == (2, "1.1", ["onsite", "sampling"])
    assert [c.field for c in service.version_changes(old, new)] == ["methods", "item_version"]


def test_an_item_the_plugin_dropped_is_withdrawn_never_deleted(db_session, department):
    service.sync_items(db_session, FakeRegistry({"ITM": plugin("ITM", item_definition(), item_definition("gone"))}))
    report = service.sync_items(db_session, FakeRegistry({"ITM": plugin("ITM", item_definition())}))
    assert report.departments["ITM"].withdrawn == ["gone"]
    gone = items_of(db_session, department)["gone"]
    assert gone.withdrawn
    assert [v.reason for v in versions(db_session, gone)] == ["plugin", "withdrawn"]
    again = service.sync_items(db_session, FakeRegistry({"ITM": plugin("ITM", item_definition())}))
    assert again.departments["ITM"].withdrawn == []  # withdrawn once, not again and again


def test_local_disable_makes_a_version_and_keeps_old_versions_intact(db_session, department):
    service.sync_items(db_session, FakeRegistry({"ITM": plugin("ITM", item_definition())}))
    item = items_of(db_session, department)["food_business"]
    first = service.current_version(item)
    first_content = dict(first.content)
    with scoped(db_session, Scope.department(department.id)):
        disabled = service.set_enabled(db_session, item, False)
        assert service.set_enabled(db_session, item, False) is None  # already disabled
        db_session.flush()
    assert (disabled.number, disabled.reason, disabled.content["enabled"]) == (2, "local", False)
    db_session.expire_all()
    assert first.content == first_content and first.content["enabled"] is True
    # A later sync of unchanged plugin content keeps the local adjustment and writes nothing.
    report = service.sync_items(db_session, FakeRegistry({"ITM": plugin("ITM", item_definition())}))
    assert report.departments["ITM"].unchanged == 1
    assert service.current_version(item).content["enabled"] is False


def test_local_text_is_versioned_and_named_in_the_version(db_session, department):
    service.sync_items(db_session, FakeRegistry({"ITM": plugin("ITM", item_definition())}))
    item = items_of(db_session, department)["food_business"]
    with scoped(db_session, Scope.department(department.id)):
        version = service.set_local_text(db_session, item, " 餐饮食品经营检查 ", "", "城东区重点检查餐饮")
        assert service.set_local_text(db_session, item, "餐饮食品经营检查", None, "城东区重点检查餐饮") is None
    assert version.name("zh") == "餐饮食品经营检查"
    assert version.name("en") == "Inspection of food business operators"
    assert version.content["local_note"] == "城东区重点检查餐饮"


def test_a_written_version_cannot_be_changed_or_deleted(db_session, department):
    service.sync_items(db_session, FakeRegistry({"ITM": plugin("ITM", item_definition())}))
    db_session.commit()
    version = service.current_version(items_of(db_session, department)["food_business"])
    version.content = {**version.content, "name_zh": "篡改"}
    with pytest.raises(ImmutableVersionError):
        db_session.flush()
    db_session.rollback()
    db_session.delete(db_session.scalars(select(CheckItemVersion).where(
        CheckItemVersion.id == version.id)).one())
    with pytest.raises(ImmutableVersionError):
        db_session.flush()
    db_session.rollback()


def test_the_published_view_holds_usable_items_only(db_session, department):
    service.sync_items(db_session, FakeRegistry({"ITM": plugin(
        "ITM", item_definition("kept"), item_definition("disabled"), item_definition("dropped"))}))
    service.sync_items(db_session, FakeRegistry({"ITM": plugin(
        "ITM", item_definition("kept"), item_definition("disabled"))}))
    with scoped(db_session, Scope.department(department.id)):
        service.set_enabled(db_session, items_of(db_session, department)["disabled"], False)
    with scoped(db_session, Scope.public()):
        published = service.published_items(db_session, "ITM")
    assert [row.item.code for row in published] == ["kept"]


def test_plugins_sync_command_syncs_the_item_lists(app, db_session):
    from spotcheck.hooks import get_registry

    scjg = get_registry(app).loaded["SCJG"]
    report = service.sync_items(db_session, get_registry(app))
    assert dataclasses.asdict(report.departments["SCJG"])["unchanged"] + \
        len(report.departments["SCJG"].created) == len(scjg.items)
    assert "items SCJG" in report.summary()


def test_every_method_and_target_kind_has_a_label():
    from spotcheck.plugin_api import METHODS, TARGET_KINDS
    from spotcheck.registry.items.vocabulary import METHOD_LABELS, TARGET_KIND_LABELS

    assert tuple(METHOD_LABELS) == METHODS
    assert tuple(TARGET_KIND_LABELS) == TARGET_KINDS
