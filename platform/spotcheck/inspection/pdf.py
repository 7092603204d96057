"""A task item's checklist form (检查记录表) as a printable PDF, filled or blank.

WeasyPrint lays out an HTML page (``inspection/form_pdf.html``) with the system's Noto Sans CJK
font (Debian's ``fonts-noto-cjk``), which it embeds as a subset of the glyphs used, so the file
prints the same anywhere. With harfbuzz's subsetter (``libharfbuzz-subset0``) a form takes a
fraction of a second; without it WeasyPrint falls back to fontTools, which takes seconds on a CJK
font. The record is an official Chinese document, so it is rendered in Chinese whatever the
reader's language, with each question's English label beneath.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection.form_display import finding_options, labels_of, method_options, question_rows
from spotcheck.inspection.forms import item_choices, recorded_form
from spotcheck.inspection.models import Task, TaskItem
from spotcheck.inspection.online import ONLINE_STATUSES
from spotcheck.planning.models import AnnualPlan
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

FONT_FAMILY = "Noto Sans CJK SC"
"""The font the PDF asks for (fontconfig finds it in fonts-noto-cjk)."""

LOCALE = "zh"


def render_item_pdf(db_session: Session, task: Task, item: TaskItem) -> bytes:
    """The PDF of ``item``'s checklist form on ``task``: the answers when recorded, else a blank
    form to fill by hand; questions settled online are marked. The caller has checked that the
    reader sees the task."""
    registry: PluginRegistry = current_app.extensions["spotcheck.plugins"]
    with force_locale(LOCALE):
        html = render_template("inspection/form_pdf.html", **pdf_context(db_session, registry, task, item))
    # Imported here: WeasyPrint loads Pango when imported, and the rest of the platform runs without it.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def pdf_context(db_session: Session, registry: PluginRegistry, task: Task, item: TaskItem) -> dict[str, Any]:
    """What the PDF shows (read in the system scope: the target and the departments are other
    departments' rows)."""
    form = recorded_form(registry, item)
    choices = item_choices(db_session, item)
    methods, findings = method_options(choices), finding_options(choices, LOCALE)
    with scoped(db_session, Scope.system()):
        target = db_session.scalars(select(Target).where(Target.id == task.target_id)).one()
        plan = db_session.scalars(select(AnnualPlan).where(AnnualPlan.id == task.plan_id)).one()
        department = db_session.scalars(select(Department).where(Department.code == item.department_code)).one()
    return {
        "task": task, "item": item, "form": form, "target": target, "plan": plan, "department": department,
        "rows": question_rows(form, item, LOCALE), "font_family": FONT_FAMILY,
        "online_status": ONLINE_STATUSES.get(item.online_status or ""),
        "methods": methods, "chosen_methods": labels_of(methods, item.methods or []),
        "findings": findings, "chosen_findings": labels_of(findings, item.findings or []),
    }
