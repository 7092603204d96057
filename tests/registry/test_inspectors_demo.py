"""The demo people: inspectors for every demo department, some who cannot be drawn (so the pages
show why), generalists who can always be, and the expert pool; loading twice changes nothing,
and a department's certificate numbers never depend on which other plugins are installed."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import date

from sqlalchemy import select

from spotcheck.demo.people import (DEPARTMENT_NUMBERS, GENERALISTS, INSPECTORS_PER_DEPARTMENT,
                                   department_number, load_demo_people)
from spotcheck.hooks import get_registry, sync_departments
from spotcheck.registry.experts.models import Expert
from spotcheck.registry.inspectors.eligibility import eligibility
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.tenancy.models import Department


def inspectors_of(db_session, code: str) -> list[Inspector]:
    return list(db_session.scalars(select(Inspector).join(Department, Department.id == Inspector.department_id)
                                   .where(Department.code == code).order_by(Inspector.code)))


def test_demo_people_load_once_and_show_every_standing(app, db_session):
    with app.app_context():
        first = load_demo_people(db_session)
        second = load_demo_people(db_session)
    registry = app.extensions["spotcheck.plugins"]
    assert first.inspectors == dict.fromkeys(registry.loaded, INSPECTORS_PER_DEPARTMENT)
    assert second.inspectors == dict.fromkeys(first.inspectors, 0) and second.experts == 0 and second.item_versions == 0
    for code, plugin in registry.loaded.items():
        inspectors = inspectors_of(db_session, code)
        authorities = {item.authority for item in plugin.items.values()}
        assert all(set(i.authorities) <= authorities for i in inspectors)
        generalists = inspectors[-GENERALISTS:]
        assert all(set(i.authorities) == authorities and not i.area_codes for i in generalists)
        assert all(eligibility(i, date(2026, 6, 1)) == [] for i in generalists)
    reasons = Counter(r.code for i in inspectors_of(db_session, "SCJG") for r in eligibility(i, date(2026, 6, 1)))
    assert {"not_active", "credential_expired", "credential_not_yet_valid"} <= set(reasons)
    experts = db_session.scalars(select(Expert)).all()
    assert len(experts) == 12 and {e.department_id for e in experts} == {
        db_session.scalars(select(Department.id).where(Department.code == "SCJG")).one()}


def test_certificate_numbers_carry_a_fixed_number_per_department(app, db_session):
    with app.app_context():
        load_demo_people(db_session)
    for code in app.extensions["spotcheck.plugins"].loaded:
        department = db_session.scalars(select(Department).where(Department.code == code)).one()
        prefix = f"QH630102{department_number(department):02d}"
        assert all(i.code.startswith(prefix) for i in inspectors_of(db_session, code))
    assert DEPARTMENT_NUMBERS["SCJG"] == 1  # the numbers of databases loaded when SCJG was alone
    other = Department(id=7, code="ZZZ")
    assert department_number(other) not in DEPARTMENT_NUMBERS.values()


def test_plugins_installed_after_the_demo_was_loaded_join_it(app, db_session):
    registry = get_registry(app)
    scjg_only = copy.copy(registry)
    scjg_only.loaded = {"SCJG": registry.loaded["SCJG"]}
    with app.app_context():
        sync_departments(db_session, scjg_only)
        load_demo_people(db_session, scjg_only)
        before = [(i.code, i.name, i.authorities) for i in inspectors_of(db_session, "SCJG")]
        sync_departments(db_session, registry)
        report = load_demo_people(db_session)
    assert report.inspectors == {**dict.fromkeys(registry.loaded, INSPECTORS_PER_DEPARTMENT), "SCJG": 0}
    assert [(i.code, i.name, i.authorities) for i in inspectors_of(db_session, "SCJG")] == before
