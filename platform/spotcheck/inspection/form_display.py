"""A checklist form as the page and the PDF show it: one row per question, labelled in the reader's
language, with its answer (or what was typed), its errors, and whether the online check settled
it. Chinese labels are the form's own; English is shown for the ``en`` locale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field as dataclass_field
from typing import Any

from flask_babel import gettext

from spotcheck.hooks.definitions import ChecklistFormDef, FormFieldDef
from spotcheck.inspection.forms import FindingChoice, ItemChoices
from spotcheck.inspection.models import NON_COOPERATION_LABELS, TaskItem
from spotcheck.registry.items.vocabulary import METHOD_LABELS


def _english(locale: str) -> bool:
    return locale.startswith("en")


@dataclass(frozen=True)
class QuestionRow:
    """One question: ``value`` fills the input (a string, or a list for several choices);
    ``answer`` is the recorded answer as text."""

    field: FormFieldDef
    label: str
    other_label: str
    verified: bool
    value: str | list[str] | None
    answer: str | None
    choices: list[tuple[str, str]]
    errors: list[str] = dataclass_field(default_factory=list)

    @property
    def input_name(self) -> str:
        return f"answer-{self.field.name}"


def question_rows(form: ChecklistFormDef, item: TaskItem, locale: str,
                  submitted: Mapping[str, Any] | None = None,
                  errors: Mapping[str, list[str]] | None = None) -> list[QuestionRow]:
    """The form's questions; ``submitted`` (answers as typed) wins over the recorded answers."""
    english = _english(locale)
    settled = set(item.online_fields or ())
    recorded = item.answers or {}
    rows = []
    for f in form.fields:
        stored = recorded.get(f.name)
        value = submitted.get(f.name) if submitted is not None else input_value(f, stored)
        rows.append(QuestionRow(
            field=f, label=f.label_en if english else f.label_zh, other_label=f.label_zh if english else f.label_en,
            verified=f.name in settled, value=value,
            answer=None if stored is None else answer_text(f, stored, locale),
            choices=[(c.value, c.label_en if english else c.label_zh) for c in f.choices],
            errors=list((errors or {}).get(f"answers.{f.name}", []))))
    return rows


def input_value(field: FormFieldDef, value: Any) -> str | list[str] | None:
    """A stored answer as the form's input holds it."""
    if value is None:
        return None
    if field.type == "boolean":
        return "true" if value else "false"
    if field.type == "multichoice":
        return [str(v) for v in value]
    return str(value)


def answer_text(field: FormFieldDef, value: Any, locale: str) -> str:
    """A stored answer as text: yes/no, the choices' labels, or the value itself."""
    english = _english(locale)
    labels = {c.value: c.label_en if english else c.label_zh for c in field.choices}
    if field.type == "boolean":
        return gettext("Yes") if value else gettext("No")
    if field.type == "choice":
        return labels.get(value, str(value))
    if field.type == "multichoice":
        return ("; " if english else "、").join(labels.get(v, str(v)) for v in value) or "—"
    return str(value)


def method_options(choices: ItemChoices) -> list[tuple[str, str]]:
    """The item's methods as (code, label) in the current locale."""
    return [(code, str(METHOD_LABELS[code])) for code in choices.methods]


def finding_label(finding: FindingChoice, locale: str) -> str:
    """A finding's label: the plugin's, or the core's for the non-cooperation situations."""
    if finding.label_zh is None:
        return str(NON_COOPERATION_LABELS[finding.code])
    return (finding.label_en if _english(locale) else finding.label_zh) or finding.code


def finding_options(choices: ItemChoices, locale: str) -> list[tuple[str, str, bool]]:
    """The item's findings as (code, label, is a non-cooperation situation)."""
    return [(f.code, finding_label(f, locale), f.label_zh is None) for f in choices.findings]


def labels_of(options: Sequence[tuple[Any, ...]], codes: Sequence[str]) -> list[str]:
    """The labels of ``codes`` among ``options`` (code first, label second), in option order."""
    return [option[1] for option in options if option[0] in set(codes)]
