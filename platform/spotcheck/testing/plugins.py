"""The test kit of a department plugin: the checks every plugin's tests make, written once.

A plugin's test module subclasses :class:`DepartmentPluginChecks`, says what the plugin is, and
gets every check below as its own tests. What is particular to the department it states as data: its
item list, the laws its items cite, and the action each finding leads to (as :func:`rule_outcomes`
says it); anything else it asserts in tests of its own::

    from spotcheck.testing.plugins import DepartmentPluginChecks

    class TestYjglPlugin(DepartmentPluginChecks):
        entry_point = "yjgl"
        department = "YJGL"
        transfers_to = frozenset({"SCJG", "RSJ", "STHJ"})
        sync_rows = 6
        items = frozenset({"safety_responsibility", "hazard_management", ...})
        laws = frozenset({"《中华人民共和国安全生产法》", "《危险化学品安全管理条例》"})
        outcomes = {("hazard_management", "major_hazard"): "order 3 -> refer_judicial", ...}

The shared fixtures of :mod:`spotcheck.testing` (``app``, ``db_session``, ``factories``…) are
available to plugin tests as to the core's.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any, ClassVar

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from spotcheck.demo.targets import demo_area_document
from spotcheck.hooks import DepartmentPlugin, build_plugin_manager
from spotcheck.hooks.manager import ENTRY_POINT_GROUP
from spotcheck.hooks.specs import CONTRACT_VERSION
from spotcheck.registry.areas import load_areas
from spotcheck.registry.sync import sync_targets

__all__ = ["DepartmentPluginChecks", "load_plugin", "rule_outcomes"]


def load_plugin(entry_point: str) -> DepartmentPlugin:
    """Load the installed plugin ``entry_point`` as the app does; fail with every error if refused."""
    registry = build_plugin_manager([entry_point])
    assert registry.refused == [], "\n".join(str(e) for r in registry.refused for e in r.errors)
    [plugin] = registry.loaded.values()
    return plugin


def rule_outcomes(plugin: DepartmentPlugin) -> dict[tuple[str | None, str], str]:
    """Each rule's action and next step in one line, by (item, finding): ``order 10 -> file_case``,
    ``transfer RSJ``, ``file_case``."""
    return {(rule.item, rule.finding): _outcome(rule) for rule in plugin.rules.values()}


def _outcome(rule: Any) -> str:
    action = rule.action
    if action.kind == "order_correction":
        return f"order {action.working_days} -> {_outcome_of(rule.on_overdue)}"
    return _outcome_of(action)


def _outcome_of(action: Any) -> str:
    return f"transfer {action.department}" if action.kind == "transfer" else str(action.kind)


class DepartmentPluginChecks:
    """What every department plugin must hold, as tests; subclass it as ``Test<Dept>Plugin``.

    Set on the subclass: ``entry_point`` (its name in ``spotcheck.departments``) and
    ``department`` (its code); ``items``, the codes of its item list; ``laws``, the laws its items
    cite; ``outcomes``, each rule's outcome by (item, finding) as :func:`rule_outcomes` gives it;
    ``transfers_to``, the departments its rules may transfer to; ``unhandled_findings``, the
    (item, finding) pairs no rule acts on, on purpose; ``sync_rows``, how many targets its sync
    source yields in all (``None``: it has no sync source).
    """

    entry_point: ClassVar[str]
    department: ClassVar[str]
    items: ClassVar[frozenset[str]]
    laws: ClassVar[frozenset[str]]
    outcomes: ClassVar[dict[tuple[str | None, str], str]]
    transfers_to: ClassVar[frozenset[str]] = frozenset()
    unhandled_findings: ClassVar[frozenset[tuple[str, str]]] = frozenset()
    sync_rows: ClassVar[int | None] = None

    @pytest.fixture(scope="class")
    @classmethod
    def plugin(cls) -> DepartmentPlugin:
        """The plugin, loaded as the app loads it."""
        return load_plugin(cls.entry_point)

    def test_installed_under_the_departments_entry_point(self) -> None:
        names = [ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)]
        assert names.count(self.entry_point) == 1

    def test_loads_as_its_department(self, plugin: DepartmentPlugin) -> None:
        assert (plugin.name, plugin.department.code) == (self.entry_point, self.department)

    def test_targets_the_contract_this_core_speaks(self, plugin: DepartmentPlugin) -> None:
        # Fails when the core moves to a new contract: update the plugin, then its files.
        assert plugin.department.contract_version == CONTRACT_VERSION
        assert plugin.warnings == ()

    def test_item_list_and_the_laws_it_cites(self, plugin: DepartmentPlugin) -> None:
        assert set(plugin.items) == self.items
        assert {basis.law for item in plugin.items.values() for basis in item.legal_basis} == self.laws

    def test_rules_give_the_actions_the_law_provides(self, plugin: DepartmentPlugin) -> None:
        assert rule_outcomes(plugin) == self.outcomes

    def test_every_item_has_its_own_form(self, plugin: DepartmentPlugin) -> None:
        assert sorted(item.form for item in plugin.items.values()) == sorted(plugin.forms)

    def test_forms_are_bilingual_and_ask_something_required(self, plugin: DepartmentPlugin) -> None:
        for form in plugin.forms.values():
            assert any(field.required for field in form.fields), form.code
            for field in form.fields:
                assert field.label_zh and field.label_en, (form.code, field.name)
                assert all(choice.label_zh and choice.label_en for choice in field.choices), field.name

    def test_every_finding_has_a_followup_rule(self, plugin: DepartmentPlugin) -> None:
        declared = {(code, f.code) for code, item in plugin.items.items() for f in item.findings}
        handled = {(rule.item, rule.finding) for rule in plugin.rules.values()}
        for_any_item = {finding for item, finding in handled if item is None}
        missing = {(item, finding) for item, finding in declared - handled if finding not in for_any_item}
        assert missing == set(self.unhandled_findings)

    def test_transfers_go_to_other_departments(self, plugin: DepartmentPlugin) -> None:
        steps = [step for rule in plugin.rules.values() for step in (rule.action, rule.on_overdue)
                 if step is not None and step.kind == "transfer"]
        assert {step.department for step in steps} <= self.transfers_to - {self.department}

    def test_the_sync_source_syncs_into_the_directory_without_a_problem(
            self, app: Flask, db_session: Session, factories: Any) -> None:
        registry = build_plugin_manager([self.entry_point])
        source = registry.call(self.department, "spotcheck_target_sync_source")
        if self.sync_rows is None:
            assert source is None
            return
        rows = list(source.fetch(None))
        assert len(rows) == self.sync_rows
        assert all("changed_at" not in row and all(row.values()) for row in rows)
        with app.app_context():
            load_areas(db_session, demo_area_document())
            department = factories.department(self.department)
            first = sync_targets(db_session, department, registry, full=True)
            db_session.commit()
            again = sync_targets(db_session, department, registry, full=True)
        assert first.status == "applied" and first.report.problems == []
        assert first.report.counts["create"] == self.sync_rows
        assert again.report.problems == [] and again.report.counts["unchanged"] == self.sync_rows
