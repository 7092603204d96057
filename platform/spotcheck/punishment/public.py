"""What the portal shows of credit (seed article 19): a target's credit class and the public part
of its record, and the joint punishment list with its published basis.

Only events marked ``public`` appear (:func:`spotcheck.followup.credit.is_public`: published
results and non-cooperation, corrections, and department rules on a published result category);
an entry is shown while it is listed and only with its public basis events, and an entry without
any is not shown at all. Names are the targets' public (masked) names; no person is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Exists, exists, func, select
from sqlalchemy.orm import Session

from spotcheck.followup.credit import CreditEvent, timeline
from spotcheck.publication.models import PublicTarget
from spotcheck.punishment.models import EntryState, PunishmentBasisEvent, PunishmentEntry
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped
from spotcheck.web.pagination import Page


@dataclass(frozen=True)
class PublicEvent:
    """A public credit event, as the portal says it."""

    on: date
    kind: str
    description: str
    department: str | None
    points: int
    repaired: bool


@dataclass(frozen=True)
class PublicEntry:
    """A listed entry with its public basis."""

    target_code: str
    target_name: str
    basis_label: str
    department: str
    listed_on: date
    ends_on: date
    basis: list[PublicEvent]


@dataclass(frozen=True)
class PublicCredit:
    """A target's credit as the public sees it."""

    credit_class: str | None
    events: list[PublicEvent]
    entries: list[PublicEntry]


def _departments(db_session: Session, locale: str) -> dict[int, str]:
    column = Department.name_en if locale.startswith("en") else Department.name_zh
    with scoped(db_session, Scope.system()):
        return dict(db_session.execute(select(Department.id, column)).all())


def _event(event: CreditEvent, names: dict[int, str], locale: str) -> PublicEvent:
    return PublicEvent(event.on, event.kind, event.description(locale),
                       names.get(event.department_id) if event.department_id else None, event.points,
                       event.repaired_on is not None)


def _public_listed() -> Exists:
    return exists().where(PunishmentBasisEvent.entry_id == PunishmentEntry.id,
                          PunishmentBasisEvent.credit_event_id == CreditEvent.id, CreditEvent.public.is_(True))


def _entries(db_session: Session, entries: list[PunishmentEntry], targets: dict[int, PublicTarget],
             names: dict[int, str], locale: str) -> list[PublicEntry]:
    return [PublicEntry(targets[e.target_id].code, targets[e.target_id].name, e.basis_label,
                        names.get(e.department_id, ""), e.listed_on, e.ends_on,
                        [_event(ev, names, locale) for ev in e.events if ev.public])
            for e in entries if e.target_id in targets]


def public_credit(db_session: Session, target: PublicTarget, locale: str) -> PublicCredit:
    """The class of ``target``, its public events (the latest first) and its listed entries."""
    names = _departments(db_session, locale)
    with scoped(db_session, Scope.system()):
        # The class alone is read from the directory; nothing else of the target's row.
        credit_class = db_session.scalar(select(Target.credit_class).where(Target.id == target.target_id))
        events = [_event(e, names, locale) for e in timeline(db_session, target.target_id, public_only=True)]
        entries = list(db_session.scalars(select(PunishmentEntry).where(
            PunishmentEntry.target_id == target.target_id, PunishmentEntry.state == EntryState.LISTED.value,
            _public_listed()).order_by(PunishmentEntry.listed_on.desc(), PunishmentEntry.id.desc())))
        shown = _entries(db_session, entries, {target.target_id: target}, names, locale)
    return PublicCredit(credit_class, events, shown)


def public_list(db_session: Session, number: int, per_page: int, locale: str) -> Page[PublicEntry]:
    """One page of the listed entries with a public basis, the latest listed first."""
    names = _departments(db_session, locale)
    where = (PunishmentEntry.state == EntryState.LISTED.value, _public_listed())
    with scoped(db_session, Scope.system()):
        total = db_session.scalar(select(func.count()).select_from(PunishmentEntry).where(*where)) or 0
        number = max(1, min(number, max(1, -(-total // per_page))))
        entries = list(db_session.scalars(select(PunishmentEntry).where(*where)
                                          .order_by(PunishmentEntry.listed_on.desc(), PunishmentEntry.id.desc())
                                          .offset((number - 1) * per_page).limit(per_page)))
        targets = {t.target_id: t for t in db_session.scalars(select(PublicTarget).where(
            PublicTarget.target_id.in_([e.target_id for e in entries])))}
        rows = _entries(db_session, entries, targets, names, locale)
    return Page(rows, number, per_page, total)
