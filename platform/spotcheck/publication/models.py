"""Publication (一公开, seed articles 8, 16(3), 18): the public record of each reviewed check, and
the targets the public can look up.

A :class:`Publication` is written once, when a reviewed task is published, as a snapshot of what
the law lets the public see: the target's public identifier and its name as published (an
individual business's operator masked), the day of the check, the departments and the items
(names only), the result category and the non-cooperation situations of article 18, and the
plan, batch and draw the target was drawn in (whose proof is public). No inspector, no address,
no legal representative: nothing personal is ever copied in. The snapshot is frozen; only what
follow-up may amend (:data:`AMENDABLE`) changes later.

``entered_on``, ``due_on``, ``late`` and ``working_days_late`` record the disclosure deadline
(results are published within :data:`DISCLOSURE_WORKING_DAYS` working days of being entered),
counted against the initiating department (``department_id``).

:class:`PublicTarget` is one row per target with at least one publication, carrying its public
name and code: the portal's search reads it (and its indexes) alone, never the private directory.

Every table here is public: every scope reads every row, including the anonymous visitor's; only
the platform's own services (the system scope) write them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Boolean, ColumnElement, Date, ForeignKey, Index, Integer, String, event, inspect,
                        true)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.followup.models import FOLLOWUP_STATUS_LABELS
from spotcheck.inspection.models import NON_COOPERATION_LABELS, ResultCategory
from spotcheck.registry.targets.models import NAME_TYPE
from spotcheck.tenancy.scope import Scope, TenancyError, TenantShared

DISCLOSURE_WORKING_DAYS = 20
"""Results are published within this many working days of being entered (art. 16(3))."""

AMENDABLE = frozenset({"result_category", "followup_status", "updated_at"})
"""The only columns of a publication that change after it is written: what follow-up (issue 7,
article 17) will amend, and the time of that change. Everything else is the frozen snapshot."""

NO_FOLLOWUP = _l("None")
"""What the follow-up status says until follow-up exists for a result."""


class ImmutablePublicationError(RuntimeError):
    """Something tried to change a publication's snapshot or delete it."""


class PublicRecord(TenantShared):
    """A public table: every scope reads all of it; only the system scope writes it."""

    @classmethod
    def tenant_criteria(cls, scope: Scope) -> ColumnElement[bool]:
        return true()

    def check_tenant_write(self, db_session: Session, scope: Scope, operation: str) -> None:
        raise TenancyError(f"{type(self).__name__}: written by the publication service only")


class Publication(PublicRecord, Base):
    """The public record of one published check (see the module's docstring)."""

    __tablename__ = "publication"
    __table_args__ = (
        Index("ix_publication_target_checked", "target_id", "checked_on", "id"),
        Index("ix_publication_year_id", "year", "id"),
        Index("ix_publication_category_id", "result_category", "id"),
        Index("ix_publication_area_id", "area_code", "id"),
        Index("ix_publication_updated_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plan.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("work_plan_batch.id"))
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), index=True)
    check_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"))
    target_code: Mapped[str] = mapped_column(String(32))
    target_name: Mapped[str] = mapped_column(String(200))
    target_kind: Mapped[str] = mapped_column(String(32))
    area_code: Mapped[str | None] = mapped_column(String(12))
    checked_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    departments: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    items: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    result_category: Mapped[str] = mapped_column(String(32))
    non_cooperation: Mapped[list[str]] = mapped_column(JSON, default=list)
    followup_status: Mapped[str | None] = mapped_column(String(32))
    entered_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    published_on: Mapped[date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean)
    working_days_late: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    department_links: Mapped[list[PublicationDepartment]] = relationship(
        back_populates="publication", order_by="PublicationDepartment.position", passive_deletes="all")

    @property
    def result_label(self) -> str:
        return ResultCategory(self.result_category).label

    @property
    def non_cooperation_labels(self) -> list[str]:
        return [str(NON_COOPERATION_LABELS[code]) for code in self.non_cooperation
                if code in NON_COOPERATION_LABELS]

    @property
    def followup_label(self) -> str:
        # Follow-up (article 17) fills this in; a check without follow-up shows none.
        return str(FOLLOWUP_STATUS_LABELS[self.followup_status]) if self.followup_status else str(NO_FOLLOWUP)

    def department_names(self, locale: str) -> list[str]:
        key = "name_en" if locale.startswith("en") else "name_zh"
        return [d[key] for d in self.departments]

    def item_names(self, locale: str) -> list[str]:
        key = "name_en" if locale.startswith("en") else "name_zh"
        return [i[key] for i in self.items]


class PublicationDepartment(PublicRecord, Base):
    """A department that took part in a published check (the initiator at position 0): what the
    department filter of the open data reads, from its own index."""

    __tablename__ = "publication_department"
    __table_args__ = (Index("ix_publication_department_department", "department_id", "publication_id"),)

    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    publication: Mapped[Publication] = relationship(back_populates="department_links")


class PublicTarget(PublicRecord, Base):
    """A target as the public sees it, once it has a published check: its code, its public name
    (taken from its latest publication), kind and area, how many checks are published and the
    latest one's day. Searched by name prefix (a range on ``ix_public_target_name``) or code."""

    __tablename__ = "public_target"
    __table_args__ = (Index("ix_public_target_name", "name", "target_id"),)

    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(NAME_TYPE)
    kind: Mapped[str] = mapped_column(String(32))
    area_code: Mapped[str | None] = mapped_column(String(12))
    publications: Mapped[int] = mapped_column(Integer)
    last_checked_on: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@event.listens_for(Publication, "before_update")
def _refuse_snapshot_change(_mapper: Any, _connection: Any, publication: Publication) -> None:
    state = inspect(publication)
    changed = {column.key for column in state.mapper.column_attrs
               if state.attrs[column.key].history.has_changes()} - AMENDABLE
    if changed:
        raise ImmutablePublicationError(
            f"publication {publication.id}: {', '.join(sorted(changed))} cannot change once published")


@event.listens_for(Publication, "before_delete")
def _refuse_delete(_mapper: Any, _connection: Any, publication: Publication) -> None:
    raise ImmutablePublicationError(f"publication {publication.id} is never deleted")
