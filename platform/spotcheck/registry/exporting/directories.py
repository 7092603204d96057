"""What an export of each directory holds: the import template's columns, in its order and its
words (Chinese names of kinds and statuses, area paths, tags joined by ``；``), so an export is
also a file that imports back unchanged.

Rows are read a chunk at a time, in the list page's order, through the unit of work's scope:
a department exports what it may read. Personal fields (a target's legal representative, an
inspector's or expert's phone) are masked unless the user holds APPROVE; a masked legal
representative is left as it is when the file is imported again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import Session

from spotcheck.audit.masking import mask
from spotcheck.registry.areas import area_index
from spotcheck.registry.experts.models import Expert
from spotcheck.registry.experts.rows import HEADERS as EXPERT_HEADERS
from spotcheck.registry.experts.rows import KIND_WORDS as EXPERT_KIND_WORDS
from spotcheck.registry.experts.rows import STATUS_WORDS as EXPERT_STATUS_WORDS
from spotcheck.registry.experts.service import ExpertFilters, search_experts
from spotcheck.registry.importing.targets import COLUMNS as TARGET_COLUMNS
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.registry.inspectors.rows import HEADERS as INSPECTOR_HEADERS
from spotcheck.registry.inspectors.rows import LEVEL_WORDS
from spotcheck.registry.inspectors.rows import STATUS_WORDS as INSPECTOR_STATUS_WORDS
from spotcheck.registry.inspectors.service import InspectorFilters, area_names, search_inspectors
from spotcheck.registry.targets.codes import KINDS, RISK_LEVELS, STATUSES
from spotcheck.registry.targets.models import Target, TargetSupervision, TargetTag
from spotcheck.registry.targets.search import TargetFilters, matching

CHUNK = 1000
LIST_SEPARATOR = "；"
WHOLE_DISTRICT = "全区"


def _words(table: dict[str, str]) -> dict[str, str]:
    """Code → the first Chinese word the validator accepts for it."""
    found: dict[str, str] = {}
    for word, code in table.items():
        found.setdefault(code, word)
    return found


LEVEL_NAMES = _words(LEVEL_WORDS)
INSPECTOR_STATUS_NAMES = _words(INSPECTOR_STATUS_WORDS)
EXPERT_KIND_NAMES = _words(EXPERT_KIND_WORDS)
EXPERT_STATUS_NAMES = _words(EXPERT_STATUS_WORDS)


def target_header() -> list[str]:
    return [column.header for column in TARGET_COLUMNS.columns]


def target_rows(db_session: Session, filters: TargetFilters, department_id: int | None,
                unmasked: bool) -> Iterator[list[Any]]:
    """The targets matching ``filters`` that the scope reads, as template rows. Risk level and
    tags are ``department_id``'s own (blank for the office, which keeps none)."""
    areas = area_index(db_session)
    statement = matching(db_session, filters)
    last: tuple[str, int] | None = None
    while True:
        page = statement if last is None else statement.where(tuple_(Target.name, Target.id) > last)
        targets = list(db_session.scalars(page.limit(CHUNK)))
        if not targets:
            return
        ids = [target.id for target in targets]
        risks, tags = _own_view(db_session, ids, department_id)
        for target in targets:
            representative = target.legal_representative
            yield [target.code, target.name, KINDS[target.kind].zh,
                   representative if unmasked else mask(representative),
                   target.address, areas.label(target.area_id), target.industry_code,
                   STATUSES[target.status].zh if target.status in STATUSES else target.status,
                   RISK_LEVELS[risks[target.id]].zh if risks.get(target.id) else "",
                   target.credit_class, LIST_SEPARATOR.join(sorted(tags.get(target.id, [])))]
        last = (targets[-1].name, targets[-1].id)
        db_session.expunge_all()  # memory stays flat however many targets match


def _own_view(db_session: Session, ids: list[int], department_id: int | None
              ) -> tuple[dict[int, str | None], dict[int, list[str]]]:
    if department_id is None:
        return {}, {}
    risks = dict(db_session.execute(select(TargetSupervision.target_id, TargetSupervision.risk_level)
                                    .where(TargetSupervision.target_id.in_(ids),
                                           TargetSupervision.department_id == department_id)).all())
    tags: dict[int, list[str]] = {}
    for target_id, tag in db_session.execute(select(TargetTag.target_id, TargetTag.tag).where(
            TargetTag.target_id.in_(ids), TargetTag.department_id == department_id)):
        tags.setdefault(target_id, []).append(tag)
    return risks, tags


def inspector_header() -> list[str]:
    return list(INSPECTOR_HEADERS.values())


def inspector_rows(db_session: Session, filters: InspectorFilters, unmasked: bool) -> Iterator[list[Any]]:
    """The inspectors matching ``filters``, as template rows."""
    for inspectors in _pages(db_session, search_inspectors(filters), Inspector.code):
        names = area_names(db_session, [code for i in inspectors for code in i.area_codes])
        for inspector in inspectors:
            yield [inspector.code, inspector.name, LEVEL_NAMES.get(inspector.level, inspector.level),
                   LIST_SEPARATOR.join(inspector.authorities),
                   LIST_SEPARATOR.join(names.get(c, c) for c in inspector.area_codes) or WHOLE_DISTRICT,
                   inspector.valid_from.isoformat(), inspector.valid_to.isoformat(),
                   LIST_SEPARATOR.join(inspector.expertise or []),
                   INSPECTOR_STATUS_NAMES.get(inspector.status, inspector.status),
                   inspector.phone if unmasked else mask(inspector.phone), inspector.note]


def expert_header() -> list[str]:
    return list(EXPERT_HEADERS.values())


def expert_rows(db_session: Session, filters: ExpertFilters, unmasked: bool) -> Iterator[list[Any]]:
    """The members of the pool matching ``filters``, as template rows."""
    for experts in _pages(db_session, search_experts(filters), Expert.id):
        for expert in experts:
            yield [EXPERT_KIND_NAMES.get(expert.kind, expert.kind), expert.name, expert.organisation,
                   LIST_SEPARATOR.join(expert.specialities), expert.qualification,
                   expert.contact if unmasked else mask(expert.contact),
                   expert.valid_until.isoformat() if expert.valid_until else None,
                   EXPERT_STATUS_NAMES.get(expert.status, expert.status), expert.note]


def _pages(db_session: Session, statement: Select[Any], key: Any) -> Iterator[list[Any]]:
    """``statement``'s rows a chunk at a time (the small directories: offsets are fine)."""
    offset = 0
    while True:
        rows = list(db_session.scalars(statement.order_by(None).order_by(key)
                                       .offset(offset).limit(CHUNK)))
        if not rows:
            return
        yield rows
        offset += CHUNK
