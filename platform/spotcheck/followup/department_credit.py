"""The departments' own credit rules (seed article 19), which their plugins declare
(``spotcheck_credit_rules``) on top of the district's rule.

When a result is published, each department that took part in the check contributes the rules of
its plugin that match: a rule on a ``result_category`` matches the published category; a rule on a
``finding`` matches that finding recorded on one of the department's own items (``item``: that item
only). Each matching rule adds one event to the target's record, with the rule's points and names,
in the department's name; a ``serious`` rule makes it a serious violation. The district's rule keeps
the window and the thresholds, so a department adds points and marks violations serious but never
changes how the class is read from the sum.

An event from a result category only repeats what is published, so the portal shows it; one from a
finding does not (findings are not published) and stays in the internal record.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.hooks.definitions import CreditRuleDef
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection.models import TaskItem
from spotcheck.publication.models import Publication
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped


@dataclass(frozen=True)
class Match:
    """A department's credit rule that matches a published result."""

    department_id: int
    rule: CreditRuleDef

    @property
    def public(self) -> bool:
        return self.rule.result_category is not None


def current_registry() -> PluginRegistry | None:
    """The current app's plugins; ``None`` outside an app (no department rules apply)."""
    return current_app.extensions.get("spotcheck.plugins") if has_app_context() else None


def _matches(rule: CreditRuleDef, category: str, findings: list[tuple[str, list[str]]]) -> bool:
    if rule.result_category is not None:
        return rule.result_category == category
    return any(rule.finding in codes for item, codes in findings if rule.item in (None, item))


def matching_rules(db_session: Session, publication: Publication,
                   registry: PluginRegistry | None) -> list[Match]:
    """The rules of the departments of ``publication`` that match it, by department then rule code."""
    if registry is None:
        return []
    codes = [d["code"] for d in publication.departments if d["code"] in registry.loaded]
    if not codes:
        return []
    with scoped(db_session, Scope.system()):
        ids = dict(db_session.execute(select(Department.code, Department.id).where(Department.code.in_(codes))).all())
        items = db_session.execute(select(TaskItem.department_code, TaskItem.item_code, TaskItem.findings)
                                   .where(TaskItem.task_id == publication.task_id)).all()
    found: list[Match] = []
    for code in codes:
        findings = [(item, list(codes_ or [])) for department, item, codes_ in items if department == code]
        for rule_code in sorted(registry.loaded[code].credit_rules):
            rule = registry.loaded[code].credit_rules[rule_code]
            if _matches(rule, publication.result_category, findings):
                found.append(Match(ids[code], rule))
    return found
