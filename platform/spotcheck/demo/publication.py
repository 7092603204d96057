"""Demo publication: the reviewed results of each demo draw are published on the portal, all but
one per draw, which stays reviewed so the head's publish action can be shown. Idempotent: a draw
that has published results is left alone."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from spotcheck.demo.tasks import demo_draws
from spotcheck.inspection.models import Task, TaskState
from spotcheck.publication.models import Publication
from spotcheck.publication.service import publish

PUBLISHER = "demo-head"
TIMEZONE = "Asia/Shanghai"


def load_demo_publications(db: Session, today: date) -> int:
    """Publish the demo draws' reviewed results (see the module); how many were published. Runs
    in ``db``'s system scope; the caller commits."""
    published = 0
    for draw in demo_draws(db):
        if db.scalar(select(exists().where(Publication.task_id == Task.id, Task.draw_id == draw.id))):
            continue
        reviewed = db.scalars(select(Task).where(Task.draw_id == draw.id,
                                                 Task.state == TaskState.REVIEWED.value).order_by(Task.id)).all()
        for task in reviewed[1:]:
            publish(db, task, PUBLISHER, today=today, timezone=TIMEZONE)
            published += 1
    db.flush()
    return published
