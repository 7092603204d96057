"""Publishing a reviewed task: the frozen public snapshot (only what the law publishes), the task
published, the public target kept in step, every step audited, nothing else publishable."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.inspection.models import ResultCategory, TaskState
from spotcheck.followup.models import FOLLOWUP_STATUS_LABELS
from spotcheck.publication.models import ImmutablePublicationError, Publication, PublicTarget
from spotcheck.publication.service import PublicationRefused, publish
from spotcheck.publication.testing import TIMEZONE, make_publication, make_reviewed_tasks
from spotcheck.tenancy.scope import Scope, TenancyError, scoped


def test_a_reviewed_task_is_published_as_a_snapshot_of_what_the_public_may_see(db_session, reviewed):
    with scoped(db_session, Scope.system()):
        target = reviewed.target
        target.kind, target.name, target.legal_representative = "individual_business", "城东区张三明便利店", "张三明"
    db_session.commit()

    publication = make_publication(db_session, reviewed, date(2025, 3, 4))

    assert (publication.target_code, publication.target_name) == (target.code, "城东区张*明便利店")
    assert publication.checked_on == date(2025, 3, 3) and publication.year == 2025
    assert [d["code"] for d in publication.departments] == ["AAA", "BBB"], "the initiator first"
    assert [(i["department_code"], i["code"]) for i in publication.items] == [
        (i.department_code, i.item_code) for i in reviewed.items]
    assert set(publication.items[0]) == {"department_code", "code", "name_zh", "name_en"}
    assert publication.result_category == "no_problem" and publication.followup_status is None
    assert (publication.draw_id, publication.plan_id) == (reviewed.draw_id, reviewed.plan_id)
    assert publication.check_type == "random"
    assert not publication.late and publication.working_days_late == 0
    # Published with no follow-up needed: the task is done (closed) at once.
    assert reviewed.state == TaskState.CLOSED.value
    snapshot = repr([getattr(publication, c.key) for c in Publication.__mapper__.column_attrs])
    assert "张三明" not in snapshot, "the operator's name is never copied"
    for member in reviewed.team.members:
        assert member.inspector.name not in snapshot, "no inspector is named"


def test_publishing_keeps_the_target_public_row_and_is_audited(db_session, departments):
    aaa, bbb = departments
    first, second = make_reviewed_tasks(db_session, aaa, [bbb], count=2)
    make_publication(db_session, first, date(2025, 3, 4))
    public = db_session.scalars(select(PublicTarget).where(PublicTarget.target_id == first.target_id)).one()
    assert (public.code, public.publications, public.last_checked_on) == (first.target.code, 1, date(2025, 3, 3))

    later = make_reviewed_tasks(db_session, aaa, [bbb], first=50, ended=date(2025, 6, 2))[0]
    with scoped(db_session, Scope.system()):
        later.target = first.target  # the same target, drawn again later in the year
    db_session.commit()
    make_publication(db_session, later, date(2025, 6, 3))
    db_session.refresh(public)
    assert (public.publications, public.last_checked_on) == (2, date(2025, 6, 2))

    actions = [r.action for r in db_session.scalars(select(AuditRecord).where(
        AuditRecord.action.in_(("publication_publish", "task_published"))).order_by(AuditRecord.id))]
    assert actions == ["task_published", "publication_publish"] * 2
    assert second.state == TaskState.REVIEWED.value


@pytest.mark.parametrize("state", [TaskState.RECORDED, TaskState.ON_SITE])
def test_only_reviewed_results_are_published(db_session, departments, state):
    task = make_reviewed_tasks(db_session, *departments[:1], state=state)[0]
    with pytest.raises(PublicationRefused) as refused:
        publish(db_session, task, "head", today=date(2025, 3, 4), timezone=TIMEZONE)
    assert refused.value.code == "state"
    assert db_session.scalars(select(Publication)).all() == []


def test_a_published_task_is_not_published_twice(db_session, reviewed):
    make_publication(db_session, reviewed, date(2025, 3, 4))
    with pytest.raises(PublicationRefused):
        publish(db_session, reviewed, "head", today=date(2025, 3, 5), timezone=TIMEZONE)


def test_non_cooperation_is_published_with_its_situations(db_session, departments):
    task = make_reviewed_tasks(db_session, departments[0], category=ResultCategory.NON_COOPERATION,
                               situations=("refused_entry", "refused_records"))[0]
    publication = make_publication(db_session, task)
    assert publication.non_cooperation == ["refused_entry", "refused_records"]
    assert len(publication.non_cooperation_labels) == 2


def test_the_snapshot_is_frozen_and_only_follow_up_may_amend_it(db_session, reviewed):
    publication = make_publication(db_session, reviewed, date(2025, 3, 4))
    publication.target_name = "改过的名称"
    with pytest.raises(ImmutablePublicationError):
        db_session.flush()
    db_session.rollback()

    publication = db_session.scalars(select(Publication)).one()
    publication.followup_status = "corrected"
    publication.result_category = ResultCategory.CORRECTED.value
    db_session.commit()
    assert publication.followup_label == str(FOLLOWUP_STATUS_LABELS["corrected"])

    db_session.delete(publication)
    with pytest.raises(ImmutablePublicationError):
        db_session.flush()
    db_session.rollback()


def test_publications_are_written_by_the_service_alone(db_session, departments, reviewed):
    publication = make_publication(db_session, reviewed, date(2025, 3, 4))
    with scoped(db_session, Scope.department(departments[0].id)):
        publication.followup_status = "corrected"
        with pytest.raises(TenancyError):
            db_session.flush()
    db_session.rollback()
    with scoped(db_session, Scope.public()):
        assert db_session.scalars(select(Publication.id)).all() == [publication.id], "but everyone reads them"
