"""Loading department plugins: a good one loads, each fault refuses only the plugin that has it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from spotcheck import hooks
from spotcheck.hooks import PluginRegistry, build_plugin_manager
from spotcheck.hooks.definitions import (
    CheckItemDef,
    ChecklistFormDef,
    FollowUpActionDef,
    FormFieldDef,
    LegalBasisDef,
)
from spotcheck.plugin_api import OnlinePrecheckResult, TargetRef, hookimpl


def load(*extra: tuple[str, object]) -> PluginRegistry:
    """SCJG (installed) plus the given fakes: SCJG loading proves a fault stays with its plugin."""
    registry = build_plugin_manager(["scjg"], extra)
    assert "SCJG" in registry.loaded, [str(e) for r in registry.refused for e in r.errors]
    return registry


def only_refusal(registry: PluginRegistry, name: str = "fake") -> list[str]:
    """The messages of the one refused plugin, which must be ``name``."""
    assert [r.name for r in registry.refused] == [name]
    assert registry.manager.get_plugin(name) is None, "a refused plugin stays registered"
    return [str(e) for e in registry.refused[0].errors]


def test_valid_plugin_loads_beside_scjg(make_plugin: Callable[..., Any]) -> None:
    registry = load(("fake", make_plugin()))

    assert registry.refused == []
    fake = registry.loaded["WJW"]
    assert (fake.name, fake.version) == ("fake", "2.3.4")
    assert fake.department.name_en == "Chengdong District Health Commission"
    item = fake.items["public_place_hygiene"]
    assert isinstance(item, CheckItemDef)
    assert item.legal_basis == (LegalBasisDef("《公共场所卫生管理条例》", "第三条"),)
    assert item.target_kinds == ("company", "individual_business")
    form = fake.forms["hygiene_record"]
    assert isinstance(form, ChecklistFormDef)
    assert form.fields[1] == FormFieldDef(name="staff_checked", label_zh="抽查从业人员人数",
                                          label_en="Staff checked", type="integer", min=0, max=500)
    rule = fake.rules["hygiene_licence"]
    assert rule.action == FollowUpActionDef(kind="order_correction", working_days=10)
    assert rule.on_overdue == FollowUpActionDef(kind="file_case")
    # Namespaced by department: SCJG's definitions are kept apart from the fake's.
    assert "public_place_hygiene" not in registry.loaded["SCJG"].items


def test_plugin_may_return_dataclasses(make_plugin: Callable[..., Any]) -> None:
    first = load(("fake", make_plugin())).loaded["WJW"]
    again = make_plugin(department=first.department, items=list(first.items.values()),
                        forms=list(first.forms.values()), rules=list(first.rules.values()))

    assert load(("fake", again)).loaded["WJW"] == first


def test_hook_that_raises_refuses_the_plugin(make_plugin: Callable[..., Any]) -> None:
    class Raising(type(make_plugin())):  # type: ignore[misc]
        @hookimpl
        def spotcheck_check_items(self) -> Any:
            raise RuntimeError("item database unreachable")

    messages = only_refusal(load(("fake", make_plugin(Raising))))

    assert messages == ["plugin 'fake': spotcheck_check_items() raised RuntimeError: "
                        "item database unreachable"]


def test_missing_department_hook_refuses_the_plugin() -> None:
    class NoDepartment:
        @hookimpl
        def spotcheck_check_items(self) -> list[Any]:
            return []

    messages = only_refusal(load(("fake", NoDepartment())))

    assert messages == ["plugin 'fake': does not implement the required hook "
                        "spotcheck_department()"]


def test_misspelled_hook_fails_check_pending(make_plugin: Callable[..., Any]) -> None:
    class Misspelled(type(make_plugin())):  # type: ignore[misc]
        @hookimpl
        def spotcheck_check_itmes(self) -> list[Any]:
            return []

    [message] = only_refusal(load(("fake", make_plugin(Misspelled))))

    assert message.startswith("plugin 'fake': ")
    assert "unknown hook 'spotcheck_check_itmes'" in message


def test_hook_with_wrong_arguments_cannot_register(make_plugin: Callable[..., Any]) -> None:
    class WrongArguments(type(make_plugin())):  # type: ignore[misc]
        @hookimpl
        def spotcheck_online_precheck(self, item: str, target: TargetRef) -> None:
            return None

    [message] = only_refusal(load(("fake", make_plugin(WrongArguments))))

    assert "cannot be registered" in message and "item" in message


def test_wrong_contract_version(make_plugin: Callable[..., Any]) -> None:
    plugin = make_plugin(edit=lambda department, **_: department.update(contract_version=2))

    messages = only_refusal(load(("fake", plugin)))

    assert messages == [
        "plugin 'fake': department: $.contract_version: declares plugin contract version 2; "
        "this spotcheck speaks version 1: update the plugin or spotcheck"]


def _set(path: tuple[Any, ...], value: Any) -> Callable[..., None]:
    """An ``edit`` that sets one value deep inside the documents, e.g. ``("items", 0, "form")``."""

    def edit(**documents: Any) -> None:
        target = documents
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _drop(path: tuple[Any, ...]) -> Callable[..., None]:
    def edit(**documents: Any) -> None:
        target = documents
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


@pytest.mark.parametrize(("edit", "definition", "path", "message"), [
    pytest.param(_set(("department", "code"), "wjw"), "department", "$.code",
                 "'wjw' does not match", id="department-code"),
    pytest.param(_set(("department", "level"), "province"), "department", "$.level",
                 "'province' is not one of", id="department-level"),
    pytest.param(_set(("items", 0, "legal_basis", 0, "article"), "Art. 3"),
                 "item 'public_place_hygiene'", "$.legal_basis[0].article",
                 "'Art. 3' does not match",
                 id="item-article"),
    pytest.param(_set(("items", 0, "target_kinds"), ["company", "shop"]),
                 "item 'public_place_hygiene'", "$.target_kinds[1]", "'shop' is not one of",
                 id="item-target-kind"),
    pytest.param(_drop(("items", 0, "notice_forbidden")), "item 'public_place_hygiene'", "$",
                 "'notice_forbidden' is a required property", id="item-notice-missing"),
    pytest.param(_set(("items", 0, "authority"), None), "item 'public_place_hygiene'",
                 "$.authority", "None is not of type 'string'", id="item-yaml-null"),
    pytest.param(_set(("items", 0, "colour"), "red"), "item 'public_place_hygiene'", "$",
                 "Additional properties are not allowed ('colour'", id="item-unknown-field"),
    pytest.param(_drop(("forms", 0, "fields", 2, "choices")), "form 'hygiene_record'",
                 "$.fields[2]", "'choices' is a required property",
                 id="form-choice-without-choices"),
    pytest.param(_set(("forms", 0, "fields", 0, "pattern"), "[0-9]+"), "form 'hygiene_record'",
                 "$.fields[0].pattern", "pattern applies to text fields only",
                 id="form-pattern-on-boolean"),
    pytest.param(_set(("forms", 0, "fields", 0, "type"), "number"), "form 'hygiene_record'",
                 "$.fields[0].type", "'number' is not one of", id="form-field-type"),
    pytest.param(_drop(("rules", 0, "on_overdue")), "rule 'hygiene_licence'", "$",
                 "'on_overdue' is a required property", id="rule-order-without-next-step"),
    pytest.param(_set(("rules", 0, "on_overdue"), {"kind": "transfer"}), "rule 'hygiene_licence'",
                 "$.on_overdue", "'department' is a required property", id="rule-transfer-nowhere"),
    pytest.param(_set(("rules", 0, "on_overdue"), {"kind": "order_correction", "working_days": 5}),
                 "rule 'hygiene_licence'", "$.on_overdue.kind", "'order_correction' is not one of",
                 id="rule-overdue-order-again"),
    pytest.param(_set(("rules", 0, "action", "department"), "ZJJ"), "rule 'hygiene_licence'",
                 "$.action.department", "department applies to a transfer only",
                 id="rule-order-with-department"),
    pytest.param(_set(("rules", 0), "hygiene_licence"), "rule #1", "$",
                 "'hygiene_licence' is not of type 'object'", id="rule-not-a-mapping"),
])
def test_invalid_definition_names_plugin_definition_and_field(
        make_plugin: Callable[..., Any], edit: Callable[..., None], definition: str, path: str,
        message: str) -> None:
    messages = only_refusal(load(("fake", make_plugin(edit=edit))))

    # One fault, one message: nothing that refers to the broken definition is blamed as well.
    [only] = messages
    assert only.startswith(f"plugin 'fake': {definition}: {path}: ") and message in only, only


def test_hook_returning_no_list_is_refused(make_plugin: Callable[..., Any]) -> None:
    messages = only_refusal(load(("fake", make_plugin(forms=None))))

    assert "plugin 'fake': spotcheck_checklist_forms() must return a list, not NoneType" in messages


def test_item_pointing_at_unknown_form(make_plugin: Callable[..., Any]) -> None:
    plugin = make_plugin(edit=_set(("items", 0, "form"), "hygiene_recrod"))

    messages = only_refusal(load(("fake", plugin)))

    assert messages == ["plugin 'fake': item 'public_place_hygiene': $.form: unknown form "
                        "'hygiene_recrod'; forms of this plugin: hygiene_record"]


def test_duplicate_item_codes(make_plugin: Callable[..., Any]) -> None:
    def duplicate(items: list[Any], **_: Any) -> None:
        items.append(dict(items[0], name_zh="重复的事项"))

    messages = only_refusal(load(("fake", make_plugin(edit=duplicate))))

    assert messages == ["plugin 'fake': item 'public_place_hygiene': $.code: code used 2 times; "
                        "codes must be unique within the department"]


@pytest.mark.parametrize(("edit", "expected"), [
    pytest.param(_set(("rules", 0, "finding"), "dirty_towels"),
                 "rule 'hygiene_licence': $.finding: finding 'dirty_towels' is not declared by "
                 "item 'public_place_hygiene' nor a non-cooperation finding",
                 id="undeclared-finding"),
    pytest.param(_set(("rules", 0, "item"), "swimming_pools"),
                 "rule 'hygiene_licence': $.item: unknown item 'swimming_pools'",
                 id="unknown-item"),
    pytest.param(_set(("rules", 0, "on_overdue"), {"kind": "transfer", "department": "WJW"}),
                 "rule 'hygiene_licence': $.on_overdue.department: a transfer must go to another "
                 "department", id="transfer-to-itself"),
    pytest.param(_set(("forms", 0, "fields", 1, "name"), "licence_held"),
                 "form 'hygiene_record': $.fields[0].name: field name 'licence_held' is used "
                 "2 times",
                 id="duplicate-field"),
    pytest.param(_set(("forms", 0, "fields", 1, "min"), 600),
                 "form 'hygiene_record': $.fields[1].min: min 600 is greater than max 500",
                 id="min-above-max"),
    pytest.param(_set(("forms", 0, "fields", 2, "choices", 1, "value"), "good"),
                 "form 'hygiene_record': $.fields[2].choices: choice value 'good' is offered more "
                 "than once", id="duplicate-choice"),
    pytest.param(_set(("department", "code"), "OFFICE"),
                 "department: $.code: 'OFFICE' is reserved for the joint meeting office",
                 id="office-code"),
])
def test_cross_checks(make_plugin: Callable[..., Any], edit: Callable[..., None],
                      expected: str) -> None:
    messages = only_refusal(load(("fake", make_plugin(edit=edit))))

    assert messages == [f"plugin 'fake': {expected}"]


def test_non_cooperation_finding_needs_no_declaration(make_plugin: Callable[..., Any]) -> None:
    plugin = make_plugin(edit=_set(("rules", 0), {
        "code": "refused_entry", "name_zh": "拒绝检查的，立案查处", "name_en": "File a case",
        "finding": "refused_entry", "action": {"kind": "file_case"}}))

    assert load(("fake", plugin)).loaded["WJW"].rules["refused_entry"].item is None


def test_every_error_of_a_plugin_is_reported_at_once(make_plugin: Callable[..., Any]) -> None:
    def break_twice(items: list[Any], forms: list[Any], **_: Any) -> None:
        items[0]["methods"] = ["telepathy"]
        forms[0]["version"] = 0

    messages = only_refusal(load(("fake", make_plugin(edit=break_twice))))

    assert [m.split(": ")[1] for m in messages] == ["item 'public_place_hygiene'",
                                                    "form 'hygiene_record'"]


def test_second_plugin_of_a_department_is_refused(make_plugin: Callable[..., Any]) -> None:
    plugin = make_plugin(edit=_set(("department", "code"), "SCJG"))

    messages = only_refusal(load(("fake", plugin)))

    assert messages == ["plugin 'fake': department: $.code: department 'SCJG' is already "
                        "provided by plugin 'scjg'"]


def test_two_faulty_plugins_are_reported_separately(make_plugin: Callable[..., Any]) -> None:
    bad_version = make_plugin(edit=_set(("department", "contract_version"), 9))
    bad_form = make_plugin(edit=_set(("items", 0, "form"), "nope"))

    registry = load(("first", bad_version), ("second", bad_form))

    assert [(r.name, r.version, len(r.errors)) for r in registry.refused] == [
        ("first", "2.3.4", 1), ("second", "2.3.4", 1)]
    assert "contract version 9" in str(registry.refused[0].errors[0])
    assert "unknown form 'nope'" in str(registry.refused[1].errors[0])


def test_allowed_name_that_is_not_installed() -> None:
    registry = build_plugin_manager(["scjg", "nosuchplugin"])

    assert list(registry.loaded) == ["SCJG"]
    assert [str(e) for e in registry.refused[0].errors] == [
        "plugin 'nosuchplugin': listed in SPOTCHECK_PLUGINS but no 'spotcheck.departments' entry "
        "point of that name is installed"]


def test_allowed_list_limits_installed_plugins(make_plugin: Callable[..., Any]) -> None:
    registry = build_plugin_manager([], [("fake", make_plugin())])

    assert list(registry.loaded) == ["WJW"]


def test_none_loads_every_installed_plugin() -> None:
    assert "SCJG" in build_plugin_manager(None).loaded


def test_managers_are_independent(make_plugin: Callable[..., Any]) -> None:
    with_fake = build_plugin_manager([], [("fake", make_plugin())])
    without = build_plugin_manager([])

    assert with_fake.manager is not without.manager
    assert without.loaded == {} and without.manager.get_plugins() == set()


def test_optional_hook_is_called_on_the_owning_plugin_only(
        make_plugin: Callable[..., Any]) -> None:
    class WithPrecheck(type(make_plugin())):  # type: ignore[misc]
        @hookimpl
        def spotcheck_online_precheck(self, item_code: str, target: TargetRef
                                      ) -> OnlinePrecheckResult:
            return OnlinePrecheckResult(status="verified", summary_zh=f"{item_code}:{target.name}",
                                        verified_fields=("licence_held",))

    registry = load(("fake", make_plugin(WithPrecheck)))
    target = TargetRef(kind="company", identifier="91630102MA7XXXXXXX", name="某某浴池")

    result = registry.call("WJW", "spotcheck_online_precheck", item_code="public_place_hygiene",
                           target=target)
    assert result.summary_zh == "public_place_hygiene:某某浴池"
    assert registry.call("SCJG", "spotcheck_online_precheck", item_code="food_business",
                         target=target) is None


def test_init_app_reads_the_settings(make_plugin: Callable[..., Any]) -> None:
    app = Flask(__name__)
    app.config.update(SPOTCHECK_PLUGINS=["scjg"], SPOTCHECK_EXTRA_PLUGINS=[("fake", make_plugin())])

    registry = hooks.init_app(app)

    assert hooks.get_registry(app) is registry
    assert sorted(registry.loaded) == ["SCJG", "WJW"]
