"""The history of targets (``target_event``): who changed what, when, from where.

The target service writes an event for every change it makes; the bulk import writes one per row
it creates or changes, all at once, through :func:`record_events`. Both stamp their events with an
:class:`EventStamp` taken once per unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from spotcheck.audit.masking import plain
from spotcheck.audit.service import get_actor
from spotcheck.db import utcnow
from spotcheck.registry.targets.codes import mask_changes
from spotcheck.registry.targets.models import EVENT_SOURCES, TargetEvent
from spotcheck.tenancy.scope import TenancyError, get_scope


class EventRow(TypedDict):
    """One history entry as :func:`record_events` writes it (make them with :meth:`EventStamp.event`)."""

    target_id: int
    department_id: int | None
    private: bool
    at: datetime
    user_id: int | None
    username: str | None
    source: str
    import_id: int | None
    action: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class EventStamp:
    """Who acts, when, how: the part every event of one unit of work shares."""

    department_id: int | None
    user_id: int | None
    username: str | None
    source: str
    import_id: int | None
    at: datetime

    def event(self, target_id: int, action: str, changes: Mapping[str, Any], *,
              private: bool = False) -> EventRow:
        """An event of ``target_id``. ``changes`` maps each field to ``[before, after]`` (or to
        its value for a creation); personal fields are masked when the event is recorded.
        ``private`` events concern this department's own view of the target only."""
        return EventRow(target_id=target_id, department_id=self.department_id, private=private,
                        at=self.at, user_id=self.user_id, username=self.username,
                        source=self.source, import_id=self.import_id, action=action,
                        changes=dict(changes))


def event_stamp(db_session: Session, source: str, import_id: int | None = None) -> EventStamp:
    """The stamp of events written now in ``db_session``: its scope's department (none for the
    platform's own jobs), the audit trail's actor, ``source`` (web, api, import, sync, cli)."""
    if source not in EVENT_SOURCES:
        raise ValueError(f"unknown event source {source!r}; one of {EVENT_SOURCES}")
    scope = get_scope(db_session)
    actor = get_actor(db_session)
    return EventStamp(department_id=None if scope is None else scope.home, user_id=actor.user_id,
                      username=actor.username, source=source, import_id=import_id, at=utcnow())


def record_events(db_session: Session, rows: Sequence[EventRow]) -> None:
    """Write history entries in one multi-row INSERT (the bulk import writes thousands at once).

    Each entry's department must be one the unit of work writes; personal fields are masked
    here, so no caller can store them in clear.
    """
    if not rows:
        return
    scope = get_scope(db_session)
    if scope is None:
        raise TenancyError("history written without a scope")
    for department_id in {row["department_id"] for row in rows}:
        if not scope.can_write(department_id):
            raise TenancyError(f"history in the name of department {department_id} is out of scope")
    db_session.execute(insert(TargetEvent.__table__), [
        {**row, "changes": _json_changes(mask_changes(row["changes"]))} for row in rows])


def _json_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _json_value(value) for key, value in changes.items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return plain(value)


def history_of(db_session: Session, target_id: int, limit: int = 200) -> list[TargetEvent]:
    """The newest ``limit`` events of a target the unit of work may read, newest first."""
    return list(db_session.scalars(select(TargetEvent).where(TargetEvent.target_id == target_id)
                                   .order_by(TargetEvent.id.desc()).limit(limit)))


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields of ``after`` whose value differs."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def created(values: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The change set of a creation: each field set, ``[None, value]``."""
    return {key: [None, value] for key, value in values if value not in (None, "", ())}
