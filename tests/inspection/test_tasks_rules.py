"""The rules behind the leader's actions: the result the findings suggest, when the online check
settles an item, and a save racing another one at flush being a conflict."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from spotcheck.inspection import results, schedule
from spotcheck.inspection.locking import at_version
from spotcheck.inspection.models import ResultCategory, Task
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.inspection.testing import make_task


@pytest.fixture
def task(factories, db_session):
    return make_task(db_session, factories.department("AAA"), [factories.department("BBB")])


@pytest.mark.parametrize(("findings", "category", "situations"), [
    ([[], []], ResultCategory.NO_PROBLEM, ()),
    ([["expired_licence"], []], ResultCategory.PENDING_FOLLOWUP, ()),
    ([["expired_licence"], ["refused_records", "refused_entry"]], ResultCategory.NON_COOPERATION,
     ("refused_entry", "refused_records")),
])
def test_the_findings_suggest_the_result_category(task, findings, category, situations):
    for item, codes in zip(task.items, findings):
        item.findings = codes
    assert results.suggest(task) == results.Suggestion(category, situations)


def test_an_item_is_settled_online_when_every_field_of_its_form_was_verified(app, task, db_session):
    registry = app.extensions["spotcheck.plugins"]
    item = task.items[0]
    assert not results.verified_online(registry, item), "an item without a known form is not settled"
    # The plugin's current form, until a record keeps the form it was answered on.
    form = registry.loaded["SCJG"].forms["enterprise_disclosure_record"]
    item.department_code, item.form_code = "SCJG", form.code
    item.online_fields = [f.name for f in form.fields[1:]]
    assert not results.verified_online(registry, item)
    item.online_fields = [f.name for f in form.fields]
    assert results.verified_online(registry, item)
    assert not results.may_skip_on_site(registry, task), "the other department's item is not settled"


def test_a_save_racing_another_at_flush_is_a_conflict(task, db_session):
    # Another request saved the task after this one read it.
    db_session.execute(update(Task.__table__).where(Task.__table__.c.id == task.id)
                       .values(version=Task.__table__.c.version + 1))
    with pytest.raises(TaskRefused) as refused:
        with at_version(task, task.version):
            schedule.schedule(db_session, task, date(2025, 3, 3), None)
    assert refused.value.code == "stale"
    db_session.rollback()
