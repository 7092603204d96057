"""Checklist forms (检查记录表, seed articles 7 and 16(3)): each department's plugin defines the
questions of its items' forms (:class:`~spotcheck.hooks.definitions.ChecklistFormDef`); the
answers are validated by a marshmallow schema built from that definition, and recorded on the
task item together with the definition they answered, the methods used and the findings.

Questions the online check settled (``TaskItem.online_fields``) are not asked: the schema leaves
them out and an answer to one is refused. An item is recorded again, replacing its record, until
the task is reviewed.

Messages are msgids whose placeholders (``%(min)s``, ``%(max)s``, ``%(max_length)s``) are filled
from the question's definition, so one error reads in Chinese on a page and in both languages in
the API (:class:`RecordInvalid`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask_babel import gettext
from marshmallow import fields as mf
from marshmallow import validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.api.i18n import N_, bilingual
from spotcheck.db import utcnow
from spotcheck.hooks.definitions import (METHODS, NON_COOPERATION_FINDINGS, ChecklistFormDef, FormFieldDef,
                                         to_document)
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection.models import Task, TaskItem, TaskState
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.planning.models import PlanItem
from spotcheck.registry.items.models import CheckItemVersion
from spotcheck.tenancy.scope import Scope, scoped

TEXT_MAX = 500
TEXTAREA_MAX = 5000

RECORD_STATES = frozenset(TaskState) - {TaskState.REVIEWED, TaskState.PUBLISHED, TaskState.CLOSED}
"""An item is recorded, and recorded again, until the head has reviewed the task."""

REQUIRED = N_("This question must be answered.")
NOT_TEXT = N_("Enter text.")
NOT_INTEGER = N_("Enter a whole number.")
NOT_NUMBER = N_("Enter a number.")
NOT_BOOLEAN = N_("Answer yes or no.")
NOT_DATE = N_("Enter a date as YYYY-MM-DD.")
NOT_CHOICE = N_("Choose one of the answers offered.")
NOT_CHOICES = N_("Choose only among the answers offered.")
TOO_LONG = N_("At most %(max_length)s characters.")
OUT_OF_RANGE = N_("Must be between %(min)s and %(max)s.")
TOO_SMALL = N_("Must be at least %(min)s.")
TOO_LARGE = N_("Must be at most %(max)s.")
BAD_PATTERN = N_("Not in the form this question expects.")
UNKNOWN_QUESTION = N_("The checklist has no such question.")
VERIFIED_ONLINE = N_("Verified online: not asked again on site.")
NOT_ANSWERS = N_("Give the answers as an object of question names and answers.")
NO_METHOD = N_("Choose at least one method.")
UNKNOWN_METHOD = N_("Choose only the methods this item uses.")
UNKNOWN_FINDING = N_("Choose only the findings this item can have.")


@dataclass(frozen=True)
class FindingChoice:
    """A finding an item can record: one its plugin declares (with its labels) or one of the five
    non-cooperation situations of seed article 18 (labelled by the core)."""

    code: str
    label_zh: str | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class ItemChoices:
    """The methods and findings one item offers."""

    methods: tuple[str, ...]
    findings: tuple[FindingChoice, ...]


@dataclass(frozen=True)
class RecordValues:
    """A validated record: answers as stored (JSON), methods and findings in offering order."""

    answers: dict[str, Any]
    methods: list[str]
    findings: list[str]


class RecordInvalid(Exception):
    """The record does not validate: msgids per field (``answers.<question>``, ``methods``,
    ``findings``), with the values their placeholders take."""

    def __init__(self, errors: Mapping[str, list[str]], values: Mapping[str, Mapping[str, object]]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)
        self.values = dict(values)

    def messages(self) -> dict[str, list[str]]:
        """Each field's messages in the current locale."""
        return {key: [gettext(msgid, **self.values.get(key, {})) for msgid in msgids]
                for key, msgids in self.errors.items()}

    def bilingual(self) -> dict[str, list[dict[str, str]]]:
        """Each field's messages in Chinese and English."""
        return {key: [bilingual(msgid, **self.values.get(key, {})) for msgid in msgids]
                for key, msgids in self.errors.items()}


def form_definition(registry: PluginRegistry, item: TaskItem) -> ChecklistFormDef:
    """The form the item is filled on: its plugin's current one, else the one it was recorded on
    (a plugin no longer installed); refused when there is neither."""
    plugin = registry.loaded.get(item.department_code)
    if plugin is not None and item.form_code in plugin.forms:
        return plugin.forms[item.form_code]
    if item.form:
        return ChecklistFormDef.from_document(item.form)
    raise TaskRefused("form_missing", f"部门{item.department_code}的插件未提供检查记录表“{item.form_code}”。",
                      f"The plugin of {item.department_code} provides no checklist form "
                      f"“{item.form_code}”.")


def recorded_form(registry: PluginRegistry, item: TaskItem) -> ChecklistFormDef:
    """The form to show an item on: the one it was recorded on, else the one it is filled on."""
    return ChecklistFormDef.from_document(item.form) if item.form else form_definition(registry, item)


def item_choices(db_session: Session, item: TaskItem) -> ItemChoices:
    """The methods the plan's item uses (every method when it names none) and the findings it
    declares followed by the non-cooperation ones (read in the system scope: the caller has
    checked the item is visible)."""
    with scoped(db_session, Scope.system()):
        methods, content = db_session.execute(
            select(PlanItem.methods, CheckItemVersion.content)
            .join(CheckItemVersion, CheckItemVersion.id == PlanItem.item_version_id)
            .where(PlanItem.id == item.plan_item_id)).one()
    declared = tuple(FindingChoice(f["code"], f["label_zh"], f["label_en"]) for f in content.get("findings", ()))
    return ItemChoices(methods=tuple(m for m in METHODS if m in methods) if methods else METHODS,
                       findings=declared + tuple(FindingChoice(code) for code in NON_COOPERATION_FINDINGS
                                                 if code not in {f.code for f in declared}))


def asked_fields(form: ChecklistFormDef, item: TaskItem) -> list[FormFieldDef]:
    """The questions still asked: those the online check did not settle."""
    settled = set(item.online_fields or ())
    return [field for field in form.fields if field.name not in settled]


def validate_record(form: ChecklistFormDef, item: TaskItem, choices: ItemChoices,
                    payload: Mapping[str, Any]) -> RecordValues:
    """Validate ``{"answers": {...}, "methods": [...], "findings": [...]}``; :class:`RecordInvalid`
    naming every bad field."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Mapping[str, object]] = {}
    asked = asked_fields(form, item)
    answers = payload.get("answers") or {}
    loaded: dict[str, Any] = {}
    if not isinstance(answers, Mapping):
        errors["answers"] = [NOT_ANSWERS]
    else:
        settled = set(item.online_fields or ()) & set(answers)
        for name in sorted(settled):
            errors[f"answers.{name}"] = [VERIFIED_ONLINE]
        try:
            loaded = answers_schema(form.code, asked).load({k: v for k, v in answers.items() if k not in settled})
        except ma.ValidationError as error:
            by_name = {field.name: field for field in asked}
            for name, messages in _flatten(error.normalized_messages()).items():
                errors[f"answers.{name}"] = messages
                if name in by_name:
                    values[f"answers.{name}"] = placeholders(by_name[name])
    methods = _strings(payload.get("methods"))
    if not methods:
        errors["methods"] = [NO_METHOD]
    elif set(methods) - set(choices.methods):
        errors["methods"] = [UNKNOWN_METHOD]
    findings = _strings(payload.get("findings") or [])
    offered = [f.code for f in choices.findings]
    if findings is None or set(findings) - set(offered):
        errors["findings"] = [UNKNOWN_FINDING]
    if errors:
        raise RecordInvalid(errors, values)
    assert methods is not None and findings is not None
    return RecordValues(answers={name: _stored(value) for name, value in loaded.items() if value is not None},
                        methods=[m for m in choices.methods if m in methods],
                        findings=[code for code in offered if code in findings])


def record_item(db_session: Session, registry: PluginRegistry, task: Task, item: TaskItem,
                payload: Mapping[str, Any], by: str) -> RecordValues:
    """Validate and record one item's checklist form, methods and findings (replacing an earlier
    record), keeping the form definition the answers were validated against."""
    state = TaskState(task.state)
    if state not in RECORD_STATES:
        raise TaskRefused("state", f"任务状态为“{state.label}”，检查记录表不能再更改。",
                          f"The task is {state.label.lower()}: its checklists can no longer change.")
    form = form_definition(registry, item)
    record = validate_record(form, item, item_choices(db_session, item), payload)
    again = item.recorded
    with scoped(db_session, Scope.system()):
        item.form = to_document(form)
        item.answers, item.methods, item.findings = record.answers, record.methods, record.findings
        item.recorded_by, item.recorded_at = by, utcnow()
        db_session.flush()
    audit.record(db_session, "item_record", "task_item", item.id,
                 {"task": task.id, "form": form.code, "form_version": form.version, "again": again,
                  "methods": record.methods, "findings": record.findings})
    return record


class _Answers(ma.Schema):
    error_messages = {"unknown": UNKNOWN_QUESTION, "type": NOT_ANSWERS}


def answers_schema(code: str, asked: Iterable[FormFieldDef]) -> ma.Schema:
    """A marshmallow schema of the ``asked`` questions of form ``code``."""
    return _Answers.from_dict({field.name: _field(field) for field in asked}, name=f"Checklist_{code}")()


def placeholders(field: FormFieldDef) -> dict[str, object]:
    """The values the messages about ``field`` may name."""
    return {"min": _number(field.min), "max": _number(field.max),
            "max_length": TEXTAREA_MAX if field.type == "textarea" else TEXT_MAX}


def _field(field: FormFieldDef) -> mf.Field:
    required = {"required": REQUIRED, "null": REQUIRED}
    options: dict[str, Any] = {"required": field.required, "allow_none": not field.required}
    if field.type in ("text", "textarea"):
        validators: list[Callable[[Any], Any]] = [
            validate.Length(max=TEXTAREA_MAX if field.type == "textarea" else TEXT_MAX, error=TOO_LONG)]
        if field.required:
            validators.append(_not_blank)
        if field.pattern and field.type == "text":
            validators.append(_matches(field.pattern))
        return mf.String(validate=validators, error_messages={**required, "invalid": NOT_TEXT}, **options)
    if field.type == "integer":
        return mf.Integer(validate=_range(field), error_messages={**required, "invalid": NOT_INTEGER,
                                                                  "too_large": NOT_INTEGER}, **options)
    if field.type == "decimal":
        return mf.Decimal(allow_nan=False, validate=_range(field),
                          error_messages={**required, "invalid": NOT_NUMBER, "special": NOT_NUMBER}, **options)
    if field.type == "boolean":
        return mf.Boolean(error_messages={**required, "invalid": NOT_BOOLEAN}, **options)
    if field.type == "date":
        return mf.Date(error_messages={**required, "invalid": NOT_DATE, "format": NOT_DATE}, **options)
    offered = [choice.value for choice in field.choices]
    if field.type == "choice":
        return mf.String(validate=validate.OneOf(offered, error=NOT_CHOICE),
                         error_messages={**required, "invalid": NOT_CHOICE}, **options)
    at_least_one = [validate.Length(min=1, error=REQUIRED)] if field.required else []
    return mf.List(mf.String(error_messages={"invalid": NOT_CHOICES}),
                   validate=[validate.ContainsOnly(offered, error=NOT_CHOICES), *at_least_one],
                   error_messages={**required, "invalid": NOT_CHOICES}, **options)


def _range(field: FormFieldDef) -> list[validate.Range]:
    if field.min is None and field.max is None:
        return []
    message = OUT_OF_RANGE if field.min is not None and field.max is not None else \
        TOO_SMALL if field.min is not None else TOO_LARGE
    return [validate.Range(min=field.min, max=field.max, error=message)]


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError(REQUIRED)


def _matches(pattern: str) -> Callable[[str], None]:
    compiled = re.compile(pattern)

    def check(value: str) -> None:
        if value.strip() and compiled.fullmatch(value) is None:
            raise ma.ValidationError(BAD_PATTERN)

    return check


def _flatten(messages: Mapping[str, Any]) -> dict[str, list[str]]:
    """marshmallow's messages by top-level name (a list's item errors belong to the list)."""
    flat: dict[str, list[str]] = {}

    def walk(name: str, node: Any) -> None:
        if isinstance(node, Mapping):
            for child in node.values():
                walk(name, child)
        else:
            for text in node if isinstance(node, list) else [node]:
                if str(text) not in flat.setdefault(name, []):
                    flat[name].append(str(text))

    for name, node in messages.items():
        walk(str(name), node)
    return flat


def _strings(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return value


def _stored(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _number(value: float | None) -> object:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
