"""The portal's view of credit: a target's class and the public part of its record, and the joint
punishment list with its published basis only; nothing internal (findings, follow-up steps other
than a correction, an entry whose basis is unpublished) reaches it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from spotcheck.followup.credit import record_outcome
from spotcheck.inspection.models import ResultCategory
from spotcheck.publication.testing import make_publication, make_reviewed_tasks
from spotcheck.punishment.models import PunishmentEntry
from spotcheck.punishment.service import decide_repair, request_repair
from spotcheck.punishment.testing import make_entry
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.scope import Scope, scoped

INTERNAL_RULE = "涉嫌食品安全犯罪，列为严重违法失信"


@pytest.fixture
def internal_entry(app, db_session, factories):
    """SCJG's serious finding rule lists a target on a finding, which is never published."""
    scjg = factories.department("SCJG")
    task = make_reviewed_tasks(db_session, scjg, first=40)[0]
    with scoped(db_session, Scope.system()):
        for item in task.items:
            item.item_code, item.findings = "food_business", ["suspected_food_crime"]
    db_session.commit()
    with app.app_context():
        make_publication(db_session, task)
    with scoped(db_session, Scope.system()):
        return db_session.scalars(select(PunishmentEntry).where(PunishmentEntry.target_id == task.target_id)).one()


def test_the_target_page_shows_the_class_the_public_record_and_the_listing(client, app, db_session, departments):
    with app.app_context():
        entry = make_entry(db_session, departments[0])
        event = entry.events[0]
        record_outcome(db_session, entry.target_id, event.task_id, None, "overdue", date(2025, 4, 1))
    db_session.commit()
    with scoped(db_session, Scope.system()):
        code = db_session.get(Target, entry.target_id).code
    page = client.get(f"/public/targets/{code}").get_data(as_text=True)
    assert "信用风险分类" in page and "<strong>D</strong>" in page
    assert "拒绝、阻扰、妨碍进入检查场所" in page, "the published non-cooperation"
    assert "列入联合惩戒名单" in page
    assert "逾期未改正" not in page and "Not corrected in time" not in page, "an overdue order is not published"


def test_the_public_list_shows_published_bases_only(client, app, db_session, departments, internal_entry):
    with app.app_context():
        entry = make_entry(db_session, departments[0])
    public = client.get("/public/punishments").get_data(as_text=True)
    assert "拒绝、阻扰、妨碍进入检查场所" in public and "严重不配合检查" in public
    assert INTERNAL_RULE not in public, "an entry on an unpublished finding is not shown"
    with scoped(db_session, Scope.system()):
        hidden_code = db_session.get(Target, internal_entry.target_id).code
        shown_code = db_session.get(Target, entry.target_id).code
    assert hidden_code not in public and shown_code in public
    assert INTERNAL_RULE not in client.get(f"/public/targets/{hidden_code}").get_data(as_text=True)


def test_a_repaired_entry_leaves_the_public_list(client, app, db_session, departments):
    with app.app_context():
        entry = make_entry(db_session, departments[0])
        request_repair(db_session, entry, "staff", "已整改", date(2025, 6, 2))
        decide_repair(db_session, entry, "head", True, None, date(2025, 6, 3))
    db_session.commit()
    public = client.get("/public/punishments").get_data(as_text=True)
    assert "严重不配合检查" not in public
    assert "ResultCategory" not in public and ResultCategory.NON_COOPERATION.value not in public
