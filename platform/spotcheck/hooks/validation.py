"""Validate what a plugin returned: JSON Schemas first, then the checks a schema cannot express.

Schema checks run on each definition alone (``schemas/*.schema.json``); cross-checks run across a
plugin's definitions (an item's form exists, codes are unique, a rule's finding is declared).
Every problem is collected, so a plugin author sees all of them at once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from spotcheck.hooks.definitions import (
    NON_COOPERATION_FINDINGS,
    CheckItemDef,
    ChecklistFormDef,
    CreditRuleDef,
    DepartmentDef,
    Document,
    FollowUpRuleDef,
    to_document,
)
from spotcheck.hooks.deprecations import OLDEST_CONTRACT_VERSION, contract_warnings, field_warnings
from spotcheck.hooks.registry import DepartmentPlugin, PluginError
from spotcheck.hooks.specs import CONTRACT_VERSION

OFFICE_CODE = "OFFICE"
"""The joint meeting office's department: the platform's own, never a plugin's."""

SCHEMA_FILES = {
    "department": "department.schema.json",
    "item": "check-item.schema.json",
    "form": "checklist-form.schema.json",
    "rule": "followup-rule.schema.json",
    "credit_rule": "credit-rule.schema.json",
}


class InvalidDefinitions(Exception):
    """A plugin's definitions do not hold; ``errors`` says where and why."""

    def __init__(self, errors: list[PluginError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class RawDefinitions:
    """What a plugin's hooks returned, before any check."""

    department: Any
    items: Any
    forms: Any
    rules: Any
    credit_rules: Any = ()


@cache
def schema_validator(kind: str) -> Draft202012Validator:
    """The validator of one definition kind (``department``, ``item``, ``form``, ``rule``)."""
    text = (files("spotcheck") / "contracts" / SCHEMA_FILES[kind]).read_text(encoding="utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(plugin: str, kind: str, label: str, document: Any) -> list[PluginError]:
    """The schema violations of one definition, each with its JSON path."""
    found = sorted(schema_validator(kind).iter_errors(document), key=lambda e: list(e.path))
    return [PluginError(plugin, _message(e), label, e.json_path) for e in found]


def _message(error: ValidationError) -> str:
    # The schemas forbid a key with {"description": why, "not": {}}; the why is the message.
    if error.validator == "not" and error.validator_value == {} and isinstance(error.schema, dict):
        return str(error.schema.get("description", "not allowed here"))
    return str(error.message)


def validate_definitions(name: str, version: str | None, raw: RawDefinitions) -> DepartmentPlugin:
    """Check everything a plugin returned and build its :class:`DepartmentPlugin`.

    :raises InvalidDefinitions: with every problem found.
    """
    department = _validate_department(name, raw.department)
    errors: list[PluginError] = []
    items = _Documents.check(name, "item", raw.items, "spotcheck_check_items", errors)
    forms = _Documents.check(name, "form", raw.forms, "spotcheck_checklist_forms", errors)
    rules = _Documents.check(name, "rule", raw.rules, "spotcheck_followup_rules", errors)
    credit_rules = _Documents.check(name, "credit_rule", raw.credit_rules, "spotcheck_credit_rules", errors)
    errors += _cross_errors(name, department, items, forms, rules)
    for code, rule in credit_rules.valid.items():
        if "finding" in rule:
            errors += _finding_errors(name, f"credit rule {code!r}", rule, items)
    if errors:
        raise InvalidDefinitions(errors)
    return DepartmentPlugin(
        name=name, version=version, department=department,
        items={c: CheckItemDef.from_document(d) for c, d in items.valid.items()},
        forms={c: ChecklistFormDef.from_document(d) for c, d in forms.valid.items()},
        rules={c: FollowUpRuleDef.from_document(d) for c, d in rules.valid.items()},
        credit_rules={c: CreditRuleDef.from_document(d) for c, d in credit_rules.valid.items()},
        warnings=tuple(_warnings(name, raw.department, {"item": items, "form": forms, "rule": rules,
                                                        "credit_rule": credit_rules})),
    )


def _validate_department(name: str, raw: Any) -> DepartmentDef:
    # Nothing else can be checked without a department: its code namespaces the rest.
    document = to_document(raw)
    errors = schema_errors(name, "department", "department", document)
    if not errors and not OLDEST_CONTRACT_VERSION <= document["contract_version"] <= CONTRACT_VERSION:
        errors.append(PluginError(
            name, f"declares plugin contract version {document['contract_version']}; this "
            f"spotcheck speaks version {CONTRACT_VERSION}{_also_accepted()}: update the plugin or "
            "spotcheck", "department", "$.contract_version"))
    if not errors and document["code"] == OFFICE_CODE:
        errors.append(PluginError(name, f"{OFFICE_CODE!r} is reserved for the joint meeting office",
                                  "department", "$.code"))
    if errors:
        raise InvalidDefinitions(errors)
    return DepartmentDef.from_document(document)


def _also_accepted() -> str:
    older = range(OLDEST_CONTRACT_VERSION, CONTRACT_VERSION)
    return f" and still accepts {', '.join(str(v) for v in older)}" if older else ""


def _warnings(name: str, raw_department: Any, definitions: dict[str, _Documents]) -> list[PluginError]:
    """What the plugin uses that the contract deprecates: its contract version, its fields."""
    department = to_document(raw_department)
    found = contract_warnings(name, department["contract_version"])
    found += field_warnings(name, "department", "department", department)
    for kind, documents in definitions.items():
        for code, document in documents.valid.items():
            found += field_warnings(name, kind, f"{kind} {code!r}", document)
    return found


@dataclass(frozen=True)
class _Documents:
    """The definitions of one kind: the schema-valid ones by code, and every code named at all.

    Cross-checks look references up in ``named``, so a definition that failed its schema is
    reported once, not again as "unknown" by everything that refers to it.
    """

    valid: dict[str, Document]
    named: frozenset[str]

    @classmethod
    def check(cls, name: str, kind: str, raw: Any, hook: str,
              errors: list[PluginError]) -> _Documents:
        """Schema-check every definition ``hook`` returned; problems go to ``errors``."""
        if not isinstance(raw, Sequence) or isinstance(raw, (str, bytes)):
            errors.append(PluginError(name, f"{hook}() must return a list, not "
                                      f"{type(raw).__name__}"))
            return cls({}, frozenset())
        documents = [to_document(entry) for entry in raw]
        codes = Counter(d.get("code") for d in documents if isinstance(d, Mapping))
        valid: dict[str, Document] = {}
        for number, document in enumerate(documents, start=1):
            label = _label(kind, number, document)
            found = schema_errors(name, kind, label, document)
            errors += found
            if found or document["code"] in valid:  # a duplicate is reported once, at its first
                continue
            if codes[document["code"]] > 1:
                errors.append(PluginError(name, f"code used {codes[document['code']]} times; "
                                          "codes must be unique within the department", label,
                                          "$.code"))
            valid[document["code"]] = document
        return cls(valid, frozenset(c for c in codes if isinstance(c, str)))


def _label(kind: str, number: int, document: Any) -> str:
    code = document.get("code") if isinstance(document, Mapping) else None
    return f"{kind} {code!r}" if isinstance(code, str) else f"{kind} #{number}"


def _cross_errors(name: str, department: DepartmentDef, items: _Documents, forms: _Documents,
                  rules: _Documents) -> list[PluginError]:
    errors: list[PluginError] = []
    for code, item in items.valid.items():
        if item["form"] not in forms.named:
            errors.append(PluginError(
                name, f"unknown form {item['form']!r}; forms of this plugin: "
                f"{', '.join(sorted(forms.named)) or 'none'}", f"item {code!r}", "$.form"))
    for code, form in forms.valid.items():
        errors += _form_errors(name, f"form {code!r}", form)
    for code, rule in rules.valid.items():
        errors += _rule_errors(name, department, f"rule {code!r}", rule, items)
    return errors


def _form_errors(name: str, label: str, form: Document) -> list[PluginError]:
    errors: list[PluginError] = []
    names = Counter(f["name"] for f in form["fields"])
    seen: set[str] = set()
    for index, field in enumerate(form["fields"]):
        path = f"$.fields[{index}]"
        if names[field["name"]] > 1 and field["name"] not in seen:
            errors.append(PluginError(name, f"field name {field['name']!r} is used "
                                      f"{names[field['name']]} times", label, f"{path}.name"))
        seen.add(field["name"])
        values = Counter(c["value"] for c in field.get("choices", ()))
        for value in sorted(v for v, n in values.items() if n > 1):
            errors.append(PluginError(name, f"choice value {value!r} is offered more than once",
                                      label, f"{path}.choices"))
        if "min" in field and "max" in field and field["min"] > field["max"]:
            errors.append(PluginError(name, f"min {field['min']} is greater than max "
                                      f"{field['max']}", label, f"{path}.min"))
    return errors


def _rule_errors(name: str, department: DepartmentDef, label: str, rule: Document,
                 items: _Documents) -> list[PluginError]:
    errors = _finding_errors(name, label, rule, items)
    for key in ("action", "on_overdue"):
        step = rule.get(key)
        if step is not None and step.get("department") == department.code:
            errors.append(PluginError(name, "a transfer must go to another department", label,
                                      f"$.{key}.department"))
    return errors


def _finding_errors(name: str, label: str, rule: Document, items: _Documents) -> list[PluginError]:
    """A rule's item must be the department's, and its finding declared by it (or by any of its
    items without one) or a non-cooperation finding."""
    errors: list[PluginError] = []
    item = rule.get("item")
    if item is not None and item not in items.named:
        errors.append(PluginError(name, f"unknown item {item!r}", label, "$.item"))
    # Which findings exist is known only when the items in question are valid themselves.
    owners = [item] if item is not None else sorted(items.named)
    if all(code in items.valid for code in owners):
        declared = {f["code"] for code in owners for f in items.valid[code].get("findings", ())}
        if rule["finding"] not in declared and rule["finding"] not in NON_COOPERATION_FINDINGS:
            where = f"item {item!r}" if item is not None else "any item of this plugin"
            errors.append(PluginError(name, f"finding {rule['finding']!r} is not declared by "
                                      f"{where} nor a non-cooperation finding", label, "$.finding"))
    return errors
