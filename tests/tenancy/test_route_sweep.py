"""Every route of the app, walked: another department's object answers 404 and changes nothing.

Each URL rule must be listed here, either as a route that takes an object (with a maker that
creates such an object in one department, and the role that would normally use the route) or as
a route without a department's object (with the reason). A new route in neither list fails
:func:`test_every_route_is_classified`, so nobody can add one without thinking about tenancy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from spotcheck.models import metadata
from spotcheck.testing.factories import Factories

UNTRACKED_TABLES = {"audit_record", "user_session", "alembic_version"}
"""Bookkeeping that a refused request may legitimately touch (the audit trail, session activity)."""

UNTRACKED_COLUMNS = {("api_token", "last_used_at")}
"""Columns every authenticated request may bump."""


@dataclass(frozen=True)
class ObjectRoute:
    """A route whose URL names an object owned by a department (or by one of its users)."""

    make: Callable[[Factories, str], dict[str, Any]]
    """Create the object in the given department; return the URL values that name it."""
    role: str = "staff"
    """The role that would use this route on its own department's object."""


def _api_token(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.api.tokens import create_token

    owner = factories.user("staff", department)
    token, _secret = create_token(factories.db, owner, "sweep")
    factories.db.commit()
    return {"token_id": token.id}


def _target(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.registry.targets.testing import make_target

    return {"target_id": make_target(factories.db, factories.department(department), tags="重点").id}


def _target_code(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.registry.targets.testing import make_target

    return {"code": make_target(factories.db, factories.department(department)).code}


def _check_item(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.registry.items.testing import make_item

    return {"item_id": make_item(factories.db, factories.department(department)).id}


def _inspector(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.registry.inspectors.testing import make_inspector

    return {"inspector_id": make_inspector(factories.db, factories.department(department)).id}


def _inspector_conflict(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.registry.inspectors.testing import make_conflict, make_inspector
    from spotcheck.registry.targets.testing import make_target

    owner = factories.department(department)
    conflict = make_conflict(factories.db, make_inspector(factories.db, owner),
                             make_target(factories.db, owner))
    return {"inspector_id": conflict.inspector_id, "conflict_id": conflict.id}


def _expert(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.registry.experts.testing import make_expert

    return {"expert_id": make_expert(factories.db, factories.department(department)).id}


def _import_run(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.registry.importing.testing import make_import_run

    return {"run_id": make_import_run(factories.app, factories.db, factories.department(department))}


def _plan(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.planning.testing import make_plan

    return {"plan_id": make_plan(factories.db, factories.department(department),
                                 [factories.department("CCC")]).id}


def _work_plan(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.planning.workplan_testing import make_batch, make_submitted_plan, make_work_plan

    initiator = factories.department(department)
    plan = make_submitted_plan(factories.db, initiator, [factories.department("CCC")])
    work_plan = make_work_plan(factories.db, initiator, plan)
    batch = make_batch(factories.db, work_plan)
    return {"plan_id": plan.id, "work_plan_id": work_plan.id, "batch_id": batch.id}


def _draw(factories: Factories, department: str, entropy: str | None = "") -> dict[str, Any]:
    from spotcheck.draw.testing import make_draw, make_setup

    setup = make_setup(factories.db, factories.department(department), [factories.department("CCC")],
                       targets=2, inspectors=2)
    return {"draw_id": make_draw(factories.db, setup.batch, entropy=entropy).id}


def _prepared_draw(factories: Factories, department: str) -> dict[str, Any]:
    return _draw(factories, department, entropy=None)


def _team(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.draw.models import Team

    draw_id = _draw(factories, department)["draw_id"]
    return {"team_id": factories.db.scalars(select(Team.id).where(Team.draw_id == draw_id)).first()}


def _replacement(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.draw.models import TeamMember
    from spotcheck.draw.teams import request_replacement
    from spotcheck.tenancy.models import User
    from spotcheck.tenancy.scope import Scope, scoped

    team_id = _team(factories, department)["team_id"]
    member = factories.db.scalars(select(TeamMember).where(TeamMember.team_id == team_id)
                                  .order_by(TeamMember.seq)).first()
    with scoped(factories.db, Scope.department(member.department_id)):
        replacement = request_replacement(factories.db, member, "post_change", "调岗",
                                          User(id=None, username="staff"))
    factories.db.commit()
    return {"replacement_id": replacement.id}


def _task(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.inspection.testing import make_task

    return {"task_id": make_task(factories.db, factories.department(department), [factories.department("CCC")]).id}


def _task_item(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.inspection.testing import make_task

    task = make_task(factories.db, factories.department(department), [factories.department("CCC")])
    return {"task_id": task.id, "item_id": task.items[0].id}


def _task_evidence(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.inspection.evidence import Storage
    from spotcheck.inspection.evidence_testing import attach_sample
    from spotcheck.inspection.testing import make_task

    task = make_task(factories.db, factories.department(department), [factories.department("CCC")])
    row = attach_sample(factories.db, task, factories.user("staff", department), Storage.of(factories.app))
    return {"task_id": task.id, "evidence_id": row.id}


def _unpublished_target(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.publication.testing import make_reviewed_tasks

    task = make_reviewed_tasks(factories.db, factories.department(department), [factories.department("CCC")])[0]
    return {"code": task.target.code}


def _followup(factories: Factories, department: str) -> dict[str, Any]:
    from spotcheck.followup.testing import make_followup

    followup = make_followup(factories.db, factories.department(department), [factories.department("CCC")])
    return {"followup_id": followup.id}


def _punishment(factories: Factories, department: str, repair: bool = False) -> dict[str, Any]:
    from spotcheck.punishment.testing import make_entry

    entry = make_entry(factories.db, factories.department(department), [factories.department("CCC")], repair=repair)
    return {"entry_id": entry.id}


def _punishment_repaired(factories: Factories, department: str) -> dict[str, Any]:
    return _punishment(factories, department, repair=True)


OBJECT_ROUTES: dict[str, ObjectRoute] = {
    "api_tokens.Token": ObjectRoute(_api_token),
    "account_tokens.revoke": ObjectRoute(_api_token),
    **{endpoint: ObjectRoute(_target) for endpoint in (
        "targets.detail", "targets.edit", "targets.update_view", "targets.add_tag",
        "targets.remove_tag", "targets.end_supervision", "api_targets.TargetResource",
        "api_targets.TargetTags")},
    "api_targets.TargetByCode": ObjectRoute(_target_code),
    **{endpoint: ObjectRoute(_check_item) for endpoint in (
        "items.detail", "items.set_enabled", "items.set_local_text", "api_items.Item")},
    **{endpoint: ObjectRoute(_inspector) for endpoint in (
        "inspectors.detail", "inspectors.edit", "inspectors.declare_conflict",
        "api_inspectors.InspectorResource", "api_inspectors.InspectorEligibility",
        "api_inspectors.InspectorConflicts")},
    **{endpoint: ObjectRoute(_inspector_conflict) for endpoint in (
        "inspectors.withdraw_conflict", "api_inspectors.InspectorConflictResource")},
    **{endpoint: ObjectRoute(_expert) for endpoint in (
        "experts.detail", "experts.edit", "api_experts.ExpertResource")},
    **{endpoint: ObjectRoute(_import_run) for endpoint in (
        "imports.detail", "imports.confirm", "api_imports.ImportRunResource")},
    **{endpoint: ObjectRoute(_plan) for endpoint in (
        "plans.detail", "plans.edit", "plans.set_items", "plans.answer", "plans.submit",
        "plans.withdraw", "api_plans.PlanResource", "api_plans.PlanItems", "api_plans.PlanAnswer",
        "api_plans.PlanSubmit", "api_plans.PlanWithdraw")},
    **{endpoint: ObjectRoute(_work_plan) for endpoint in (
        "workplans.detail", "workplans.create", "workplans.add_batch", "workplans.strata",
        "workplans.dry_run", "api_workplans.PlanWorkPlan", "api_workplans.WorkPlanBatches",
        "api_workplans.BatchResource", "api_workplans.BatchStrata", "api_workplans.BatchDryRun")},
    **{endpoint: ObjectRoute(_work_plan, role="head") for endpoint in (
        "workplans.approve", "api_workplans.WorkPlanApprove")},
    **{endpoint: ObjectRoute(_work_plan) for endpoint in ("draws.prepare", "api_draws.BatchDraws")},
    **{endpoint: ObjectRoute(_draw) for endpoint in (
        "draws.detail", "draws.exclusions", "draws.proof", "api_draws.DrawResource",
        "api_draws.DrawProof")},
    **{endpoint: ObjectRoute(_prepared_draw, role="head") for endpoint in (
        "draws.ceremony", "draws.execute", "draws.void", "api_draws.DrawExecute",
        "api_draws.DrawVoid")},
    **{endpoint: ObjectRoute(_team) for endpoint in (
        "teams.detail", "teams.request_replacement", "api_draws.TeamResource",
        "api_draws.TeamReplacements")},
    **{endpoint: ObjectRoute(_replacement, role="head") for endpoint in (
        "teams.approve", "teams.reject", "api_draws.ReplacementApprove", "api_draws.ReplacementReject")},
    **{endpoint: ObjectRoute(_task) for endpoint in (
        "tasks.detail", "tasks.schedule", "tasks.start_on_site", "tasks.end_check", "tasks.record_result",
        "api_tasks.TaskResource", "api_tasks.TaskSchedule", "api_tasks.TaskStartOnSite",
        "api_tasks.TaskEndCheck", "api_tasks.TaskResult")},
    **{endpoint: ObjectRoute(_task, role="head") for endpoint in (
        "tasks.review", "tasks.return_results", "api_tasks.TaskApprove", "api_tasks.TaskReturn")},
    **{endpoint: ObjectRoute(_task) for endpoint in (
        "task_forms.notice", "task_forms.online_check", "api_task_forms.TaskNotices",
        "api_task_forms.TaskOnlineCheck")},
    **{endpoint: ObjectRoute(_task_item) for endpoint in (
        "task_forms.item", "task_forms.item_pdf", "task_forms.verify_online", "api_task_forms.ItemRecord",
        "api_task_forms.ItemOnlineVerification", "api_task_forms.ItemPdf")},
    **{endpoint: ObjectRoute(_task) for endpoint in (
        "task_files.evidence", "task_files.archive", "api_task_files.TaskEvidence",
        "api_task_files.TaskArchive")},
    **{endpoint: ObjectRoute(_task_evidence) for endpoint in (
        "task_files.evidence_file", "api_task_files.TaskEvidenceFile")},
    **{endpoint: ObjectRoute(_task, role="head") for endpoint in (
        "publication.publish", "api_publication.TaskPublish")},
    **{endpoint: ObjectRoute(_followup) for endpoint in (
        "followups.detail", "followups.act", "api_followups.FollowUpResource", "api_followups.FollowUpAct")},
    "followups.credit": ObjectRoute(_target),
    **{endpoint: ObjectRoute(_punishment) for endpoint in (
        "punishments.detail", "punishments.repair", "api_punishments.PunishmentResource",
        "api_punishments.PunishmentRepair")},
    **{endpoint: ObjectRoute(_punishment_repaired, role="head") for endpoint in (
        "punishments.decide", "api_punishments.PunishmentDecide")},
}

_ADMIN_USERS = "user administration is platform-wide: administrator roles only, business roles get 403"

PLATFORM_ROUTES: dict[str, str] = {
    "admin_users.detail": _ADMIN_USERS,
    "admin_users.disable": _ADMIN_USERS,
    "admin_users.enable": _ADMIN_USERS,
    "admin_users.reset_password": _ADMIN_USERS,
    "admin_users.change_role": _ADMIN_USERS,
    "admin_users.unlock": _ADMIN_USERS,
    "admin_users.reset_totp": _ADMIN_USERS,
    "audit_log.detail": "the audit trail is the platform's own record, read by the audit administrator",
}
"""Routes that take an id of something no department owns, with the reason."""

_CALENDAR = "the working-day calendar is the platform's own, kept by the office: every other role gets 403"

OFFICE_ROUTES: dict[str, str] = {
    "calendar.year": _CALENDAR,
    "calendar.set_day": _CALENDAR,
    "calendar.remove_day": _CALENDAR,
    "calendar.complete": _CALENDAR,
}
"""Routes that take a key of something no department owns and that only the office uses, with the
reason."""

PUBLIC_ROUTES: dict[str, ObjectRoute] = {
    # Proofs of executed draws are public (the portal links them); before the draw there is none.
    "draws.public_proof": ObjectRoute(_prepared_draw),
    # The portal's draw page, likewise; a target's page exists once it has a published check.
    "portal.draw": ObjectRoute(_prepared_draw),
    "portal.target": ObjectRoute(_unpublished_target),
}
"""Routes anyone may open without signing in, each with a maker of an object that is not public
yet: for it, the anonymous visitor gets 404 like for a missing one, and nothing changes."""



def _rules(app):
    """Every rule but static files (public assets, named by path)."""
    return [r for r in app.url_map.iter_rules() if r.endpoint.rsplit(".", 1)[-1] != "static"]


def test_every_route_is_classified(app):
    unclassified = []
    for rule in _rules(app):
        known = any(rule.endpoint in routes
                    for routes in (OBJECT_ROUTES, PLATFORM_ROUTES, OFFICE_ROUTES, PUBLIC_ROUTES))
        if rule.arguments and not known:
            unclassified.append(f"{rule.endpoint} {rule.rule}")
        if not rule.arguments and rule.endpoint in OBJECT_ROUTES:
            unclassified.append(f"{rule.endpoint} {rule.rule} (listed as an object route but takes no id)")
    assert unclassified == [], "classify these routes in test_route_sweep.py"


def test_listed_routes_exist(app):
    endpoints = {r.endpoint for r in _rules(app)}
    assert set(OBJECT_ROUTES) - endpoints == set()
    assert set(PLATFORM_ROUTES) - endpoints == set()
    assert set(OFFICE_ROUTES) - endpoints == set()
    assert set(PUBLIC_ROUTES) - endpoints == set()


@pytest.mark.parametrize("role", ["office", "head", "staff", "inspector"])
def test_platform_routes_refuse_business_roles(role, app, login_as):
    client = login_as(role, "OFFICE" if role == "office" else "AAA")
    for rule in _rules(app):
        if rule.endpoint in PLATFORM_ROUTES:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                url = rule.build({k: 1 for k in rule.arguments}, append_unknown=False)[1]
                assert client.open(url, method=method).status_code == 403, f"{method} {url}"


@pytest.mark.parametrize("role", ["head", "staff", "inspector", "sysadmin", "secadmin", "auditadmin"])
def test_office_routes_refuse_every_other_role(role, app, login_as):
    client = login_as(role, "OFFICE" if role.endswith("admin") else "AAA")
    for rule in _rules(app):
        if rule.endpoint in OFFICE_ROUTES:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                url = rule.build({k: 1 for k in rule.arguments}, append_unknown=False)[1]
                assert client.open(url, method=method).status_code == 403, f"{method} {url}"


def fingerprint(db_session) -> dict[str, str]:
    """A digest of every tracked table's rows, to prove a request changed nothing."""
    db_session.expire_all()
    digests = {}
    for table in metadata.sorted_tables:
        if table.name in UNTRACKED_TABLES:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in UNTRACKED_COLUMNS]
        rows = db_session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def object_rule_cases(app_rules):
    return [pytest.param(rule, method, id=f"{method} {rule.rule}")
            for rule in app_rules if rule.endpoint in OBJECT_ROUTES
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def _all_rules():
    from spotcheck.app import create_app
    from spotcheck.testing.fixtures import test_config

    # Collection needs the rule list before fixtures exist; an app on a throw-away URL lists it.
    return _rules(create_app(test_config("sqlite://", "/tmp/spotcheck-sweep-instance")))


@pytest.mark.parametrize(("rule", "method"), object_rule_cases(_all_rules()))
def test_another_departments_object_answers_404_and_changes_nothing(
        rule, method, app, factories, db_session):
    route = OBJECT_ROUTES[rule.endpoint]
    values = route.make(factories, "AAA")
    browser = Intruder(app, factories, route.role, "BBB", api=rule.rule.startswith("/api/"))
    before = fingerprint(db_session)

    url = rule.build(values, append_unknown=False)[1]
    foreign = browser.open(url, method)
    assert foreign.status_code == 404, f"{method} {url} answered {foreign.status_code}"
    assert fingerprint(db_session) == before, f"{method} {url} changed data"

    missing = browser.open(rule.build({k: 987654321 for k in values}, append_unknown=False)[1], method)
    assert missing.status_code == 404
    assert normalised(foreign) == normalised(missing), "a foreign object must answer like a missing one"


@pytest.mark.parametrize("endpoint", sorted(PUBLIC_ROUTES))
def test_a_public_route_answers_404_for_what_is_not_public_yet(endpoint, app, factories, db_session, client):
    rule = next(r for r in _rules(app) if r.endpoint == endpoint)
    values = PUBLIC_ROUTES[endpoint].make(factories, "AAA")
    headers = {"X-Request-ID": "sweep-request-0001"}
    before = fingerprint(db_session)
    hidden = client.get(rule.build(values, append_unknown=False)[1], headers=headers)
    assert hidden.status_code == 404
    assert fingerprint(db_session) == before
    missing = client.get(rule.build({k: 987654321 for k in values}, append_unknown=False)[1], headers=headers)
    assert normalised(hidden) == normalised(missing)


class Intruder:
    """A user of another department, with a browser session or an API token."""

    def __init__(self, app, factories: Factories, role: str, department: str, api: bool) -> None:
        self.user = factories.user(role, department, must_change_password=False)
        self.headers = {"X-Request-ID": "sweep-request-0001"}
        if api:
            from spotcheck.api.tokens import create_token

            _token, secret = create_token(factories.db, self.user, "intruder")
            factories.db.commit()
            self.client = app.test_client()
            self.headers["Authorization"] = f"Bearer {secret}"
        else:
            self.client = factories.signed_in_client(self.user)

    def open(self, url: str, method: str):
        return self.client.open(url, method=method, data={}, headers=self.headers)


_CSRF_VALUE = re.compile(rb'name="csrf_token"[^>]*value="[^"]*"|value="[^"]*"[^>]*name="csrf_token"')


_NEXT_VALUE = re.compile(rb'name="next" value="[^"]*"')


def normalised(response) -> bytes:
    """The body without what differs between any two requests (CSRF tokens, and the page's own
    URL, which the layout's language switch returns to)."""
    return _NEXT_VALUE.sub(b"next", _CSRF_VALUE.sub(b"csrf", response.get_data()))
