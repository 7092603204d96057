"""Contract versions and deprecations: an incompatible major is refused naming the plugin, and what
the contract deprecates loads with a warning naming the plugin and what to use instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from spotcheck.hooks import build_plugin_manager, deprecations, validation
from spotcheck.hooks.deprecations import Deprecation
from spotcheck.plugin_api import hookimpl


@pytest.fixture
def contract_3_accepting_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """A core speaking contract 3 that still accepts plugins written for contract 2."""
    for module in (validation, deprecations):
        monkeypatch.setattr(module, "CONTRACT_VERSION", 3)
    monkeypatch.setattr(validation, "OLDEST_CONTRACT_VERSION", 2)


def fake_of_contract(make_plugin: Callable[..., Any], version: int) -> Any:
    return make_plugin(edit=lambda department, **_: department.update(contract_version=version))


def test_the_bundled_plugins_target_the_current_contract_without_warnings() -> None:
    registry = build_plugin_manager(None)
    assert registry.refused == []
    assert {p.department.contract_version for p in registry.loaded.values()} == {1}
    assert all(p.warnings == () for p in registry.loaded.values())


def test_an_older_contract_still_accepted_loads_with_a_warning(
        make_plugin: Callable[..., Any], contract_3_accepting_2: None) -> None:
    registry = build_plugin_manager([], [("fake", fake_of_contract(make_plugin, 2))])

    assert registry.refused == []
    assert [str(w) for w in registry.loaded["WJW"].warnings] == [
        "plugin 'fake': department: $.contract_version: targets plugin contract version 2, "
        "deprecated: this spotcheck speaks version 3; update the plugin before the version is no "
        "longer accepted"]


@pytest.mark.parametrize("version", [1, 4])
def test_a_contract_no_longer_or_not_yet_accepted_is_refused(
        make_plugin: Callable[..., Any], contract_3_accepting_2: None, version: int) -> None:
    registry = build_plugin_manager([], [("fake", fake_of_contract(make_plugin, version))])

    assert registry.loaded == {}
    assert [str(e) for r in registry.refused for e in r.errors] == [
        f"plugin 'fake': department: $.contract_version: declares plugin contract version "
        f"{version}; this spotcheck speaks version 3 and still accepts 2: update the plugin "
        "or spotcheck"]


def test_a_deprecated_hook_loads_with_a_warning_naming_plugin_and_hook(
        make_plugin: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(deprecations.DEPRECATED_HOOKS, "spotcheck_online_precheck",
                        Deprecation(since=1, removed_in=2, instead="use spotcheck_online_checks()"))

    class WithPrecheck(type(make_plugin())):  # type: ignore[misc]
        @hookimpl
        def spotcheck_online_precheck(self, item_code: str, target: Any) -> None:
            return None

    registry = build_plugin_manager(["scjg"], [("fake", make_plugin(WithPrecheck))])

    assert registry.refused == []
    assert [str(w) for w in registry.loaded["WJW"].warnings] == [
        "plugin 'fake': implements spotcheck_online_precheck(), deprecated since contract version 1 "
        "and refused from version 2: use spotcheck_online_checks()"]
    # SCJG implements it too, through DataPlugin: the warning is its own.
    assert [w.plugin for w in registry.loaded["SCJG"].warnings] == ["scjg"]


def test_a_deprecated_field_loads_with_a_warning_naming_plugin_definition_and_field(
        make_plugin: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(deprecations.DEPRECATED_FIELDS, ("item", "key_item"),
                        Deprecation(since=1, removed_in=2, instead="say it in the work plan"))
    plugin = make_plugin(edit=lambda items, **_: items[0].update(key_item=True))

    registry = build_plugin_manager([], [("fake", plugin)])

    assert [str(w) for w in registry.loaded["WJW"].warnings] == [
        "plugin 'fake': item 'public_place_hygiene': $.key_item: key_item is deprecated since "
        "contract version 1 and refused from version 2: say it in the work plan"]
