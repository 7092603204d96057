"""The demo people: inspectors for every demo department, some who cannot be drawn (so the pages
show why), and the expert pool; loading twice changes nothing."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from spotcheck.demo.people import INSPECTORS_PER_DEPARTMENT, load_demo_people
from spotcheck.registry.experts.models import Expert
from spotcheck.registry.inspectors.eligibility import eligibility
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.tenancy.models import Department


def test_demo_people_load_once_and_show_every_standing(app, db_session):
    with app.app_context():
        first = load_demo_people(db_session)
        second = load_demo_people(db_session)
    assert first.inspectors["SCJG"] == INSPECTORS_PER_DEPARTMENT
    assert second.inspectors == dict.fromkeys(first.inspectors, 0) and second.experts == 0 and second.item_versions == 0
    scjg = db_session.scalars(select(Department).where(Department.code == "SCJG")).one()
    inspectors = db_session.scalars(select(Inspector).where(Inspector.department_id == scjg.id)).all()
    plugin_authorities = {item.authority for item in app.extensions["spotcheck.plugins"].loaded["SCJG"].items.values()}
    assert all(set(i.authorities) <= plugin_authorities for i in inspectors)
    from datetime import date

    reasons = Counter(r.code for i in inspectors for r in eligibility(i, date(2026, 6, 1)))
    assert {"not_active", "credential_expired", "credential_not_yet_valid"} <= set(reasons)
    assert len(db_session.scalars(select(Expert)).all()) == 12
