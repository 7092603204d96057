"""Fixtures of the follow-up tests: a reviewed joint check of SCJG (initiator) and RSJ whose items
carry findings the real plugins' rules act on, and ZJJ, the housing bureau transfers go to."""

from __future__ import annotations

from datetime import date

import pytest

from spotcheck.followup.service import open_followups
from spotcheck.publication.testing import make_reviewed_tasks
from spotcheck.tenancy.scope import Scope, scoped

REVIEWED_ON = date(2025, 3, 3)  # a Monday


@pytest.fixture
def app_context(app):
    """The services read the app's configuration (the credit rule, the time zone), as in a request
    (not for the tests of pages: requests inside one app context would share ``g``)."""
    with app.app_context():
        yield


@pytest.fixture
def departments(factories):
    return factories.department("SCJG"), factories.department("RSJ"), factories.department("ZJJ")


def give_findings(db_session, task, findings):
    """Set the department, item code and findings of ``task``'s items, one per department code in
    ``findings`` (``{"SCJG": ("special_equipment_use", ["unregistered_equipment"])}``)."""
    with scoped(db_session, Scope.system()):
        for item in task.items:
            item_code, codes = findings[item.department_code]
            item.item_code, item.findings = item_code, codes
    db_session.commit()


@pytest.fixture
def task(db_session, departments):
    scjg, rsj, _zjj = departments
    task = make_reviewed_tasks(db_session, scjg, [rsj])[0]
    give_findings(db_session, task, {
        "SCJG": ("special_equipment_use", ["unregistered_equipment", "construction_site_equipment"]),
        "RSJ": ("wage_payment", ["below_minimum_wage", "not_a_rule_finding"]),
    })
    return task


@pytest.fixture
def opened(app, db_session, task):
    """The follow-ups the review of ``task`` opened, by rule code; committed."""
    with app.app_context():
        followups = open_followups(db_session, task, app.extensions["spotcheck.plugins"], REVIEWED_ON, "head")
    db_session.commit()
    return {f.rule_code: f for f in followups}
