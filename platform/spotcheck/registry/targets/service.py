"""The target directory's services: create, change, supervise, tag and find targets.

Every change writes the target's history (:mod:`.history`) and, through the ORM, the audit trail.
Services never commit; the view or command that called them does. The unit of work's scope says
which department acts: it supervises what it creates, and changes only what it supervises.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from spotcheck.registry.errors import FieldError
from spotcheck.registry.targets.codes import (
    NON_MARKET_KINDS,
    PLATFORM_CODE_PREFIXES,
    RISK_LEVELS,
    platform_code,
)
from spotcheck.registry.targets.history import created, diff, event_stamp, record_events
from spotcheck.registry.targets.models import Target, TargetSupervision, TargetTag
from spotcheck.registry.targets.rows import (
    MAX_TAG_LENGTH,
    SHARED_FIELDS,
    TargetRow,
    split_tags,
    validate_target_row,
)
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, TenancyError, get_scope, scoped

__all__ = [
    "CodeTaken", "DirectoryEntry", "TargetError", "TargetRow", "VersionConflict", "bulk_tag",
    "code_owner", "create_target", "directory_entry", "end_supervision", "find_by_code",
    "next_platform_codes", "own_supervision", "set_note", "set_risk", "supervise", "supervisors",
    "tag", "tags_of", "untag", "update_target", "validate_target_row",
]


class TargetError(ValueError):
    """A change the directory refuses, with every reason as a :class:`FieldError`."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(e.message_en for e in errors))
        self.errors = list(errors)


class CodeTaken(TargetError):
    """The code is already in the directory (perhaps supervised only by other departments)."""

    def __init__(self, code: str, target_id: int) -> None:
        super().__init__([FieldError(
            "code", "duplicate_code",
            f"代码“{code}”已在名录库中：如由本部门监管，请在“按代码添加监管”中查找后开始监管",
            f"the code “{code}” is already in the directory: to supervise it, find it by its code "
            "and start supervising")])
        self.code = code
        self.target_id = target_id


class VersionConflict(Exception):
    """Someone else changed the target since the editor loaded it."""

    def __init__(self, target_id: int) -> None:
        super().__init__(f"target {target_id} was changed by someone else")
        self.target_id = target_id


def _home(db_session: Session) -> int:
    scope = get_scope(db_session)
    if scope is None or scope.home is None:
        raise TenancyError("a target is changed in the name of a department")
    return scope.home


def code_owner(db_session: Session, code: str) -> int | None:
    """The id of the target with ``code`` anywhere in the directory, supervised or not.

    Codes are unique across the platform, so uniqueness is checked beyond the caller's scope;
    only the id is told, never the target's data.
    """
    with scoped(db_session, Scope.system()):
        return db_session.scalar(select(Target.id).where(Target.code == code))


def next_platform_codes(db_session: Session, kind: str, count: int = 1) -> list[str]:
    """The next ``count`` platform codes of a non-market ``kind`` (``NM-PROD-000042``…).

    Numbers continue after the highest in use; two units of work taking the same number at once
    meet the code's unique constraint and one of them fails and is retried by its caller.
    """
    prefix = PLATFORM_CODE_PREFIXES[kind]
    with scoped(db_session, Scope.system()):
        last = db_session.scalar(
            select(Target.code).where(Target.code >= prefix, Target.code < prefix + "~")
            .order_by(func.length(Target.code).desc(), Target.code.desc()).limit(1))
    start = int(last[len(prefix):]) + 1 if last else 1
    return [platform_code(kind, n) for n in range(start, start + count)]


def create_target(db_session: Session, row: TargetRow, *, source: str = "web",
                  import_id: int | None = None) -> Target:
    """Add a target to the directory, supervised by the acting department.

    Non-market targets without a code get the next platform code. Raises :class:`CodeTaken` when
    the code is in the directory already.
    """
    department_id = _home(db_session)
    code = row.code
    if code is None:
        if row.kind not in NON_MARKET_KINDS:
            raise TargetError([FieldError("code", "required", "统一社会信用代码必填",
                                          "the unified social credit code is required")])
        code = next_platform_codes(db_session, row.kind)[0]
    else:
        owner = code_owner(db_session, code)
        if owner is not None:
            raise CodeTaken(code, owner)
    values = {field: getattr(row, field) for field in SHARED_FIELDS}
    values["status"] = values["status"] or "active"
    target = Target(code=code, **values)
    supervision = TargetSupervision(target=target, department_id=department_id,
                                    risk_level=row.risk_level)
    db_session.add_all([target, supervision])
    db_session.add_all(TargetTag(target=target, department_id=department_id, tag=t) for t in row.tags)
    db_session.flush()
    stamp = event_stamp(db_session, source, import_id)
    events = [stamp.event(target.id, "create", created([("code", code), *values.items()])),
              stamp.event(target.id, "supervise", created([("risk_level", row.risk_level)]),
                          private=True)]
    if row.tags:
        events.append(stamp.event(target.id, "tag", {"tags": [[], list(row.tags)]}, private=True))
    record_events(db_session, events)
    return target


def update_target(db_session: Session, target: Target, values: dict[str, Any], *,
                  expected_version: int | None = None, source: str = "web",
                  import_id: int | None = None) -> dict[str, list[Any]]:
    """Change a target's shared fields (``values`` keyed as in :data:`SHARED_FIELDS`).

    ``expected_version`` is the version the editor loaded: if the target has changed since, or
    changes while this is written, :class:`VersionConflict` is raised and nothing is written
    (after a conflict found at the write, roll the unit of work back before going on).
    Returns the changes made (``{field: [before, after]}``), empty when nothing differed.
    """
    unknown = set(values) - set(SHARED_FIELDS)
    if unknown:
        raise ValueError(f"not shared target fields: {sorted(unknown)}")
    if expected_version is not None and expected_version != target.version:
        raise VersionConflict(target.id)
    changes = diff({field: getattr(target, field) for field in values}, values)
    if not changes:
        return {}
    target_id = target.id
    for field, (_before, after) in changes.items():
        setattr(target, field, after)
    try:
        with db_session.begin_nested():
            db_session.flush()
    except StaleDataError:
        # The savepoint is rolled back and the target expired: the caller reloads to compare.
        raise VersionConflict(target_id) from None
    stamp = event_stamp(db_session, source, import_id)
    record_events(db_session, [stamp.event(target_id, "update", changes)])
    return changes


def find_by_code(db_session: Session, code: str) -> Target | None:
    """The target with ``code`` if the unit of work may read it (a department: if it supervises it)."""
    return db_session.scalar(select(Target).where(Target.code == code.strip().upper()))


def own_supervision(db_session: Session, target: Target) -> TargetSupervision | None:
    """The acting department's supervision of ``target``, if any."""
    return db_session.scalar(select(TargetSupervision).where(
        TargetSupervision.target_id == target.id,
        TargetSupervision.department_id == _home(db_session)))


def supervise(db_session: Session, target_id: int, *, risk_level: str | None = None,
              note: str | None = None, source: str = "web") -> TargetSupervision:
    """Start supervising a target of the directory (found by its code) in the acting department."""
    department_id = _home(db_session)
    if risk_level is not None and risk_level not in RISK_LEVELS:
        raise ValueError(f"unknown risk level {risk_level!r}")
    with scoped(db_session, Scope.system()):
        exists_ = db_session.scalar(select(Target.id).where(Target.id == target_id))
        already = db_session.scalar(select(TargetSupervision.id).where(
            TargetSupervision.target_id == target_id,
            TargetSupervision.department_id == department_id))
    if exists_ is None:
        raise LookupError(f"no target {target_id}")
    if already is not None:
        raise TargetError([FieldError("code", "already_supervised", "本部门已在监管该检查对象",
                                      "your department already supervises this target")])
    supervision = TargetSupervision(target_id=target_id, department_id=department_id,
                                    risk_level=risk_level, note=note)
    db_session.add(supervision)
    db_session.flush()
    stamp = event_stamp(db_session, source)
    record_events(db_session, [stamp.event(target_id, "supervise",
                                           created([("risk_level", risk_level), ("note", note)]),
                                           private=True)])
    return supervision


def end_supervision(db_session: Session, target: Target, *, source: str = "web") -> None:
    """Stop supervising ``target`` in the acting department; its tags there go with it.

    The target stays in the directory for the departments still supervising it (and the office).
    """
    supervision = own_supervision(db_session, target)
    if supervision is None:
        raise LookupError(f"target {target.id} is not supervised by this department")
    tags = list(db_session.scalars(select(TargetTag.tag).where(
        TargetTag.target_id == target.id, TargetTag.department_id == supervision.department_id)))
    stamp = event_stamp(db_session, source)
    # Written first: once the supervision is gone, this department may no longer write about it.
    record_events(db_session, [stamp.event(target.id, "end_supervision",
                                           {"risk_level": [supervision.risk_level, None],
                                            "tags": [sorted(tags), []]}, private=True)])
    for tag_row in db_session.scalars(select(TargetTag).where(
            TargetTag.target_id == target.id, TargetTag.department_id == supervision.department_id)):
        db_session.delete(tag_row)
    db_session.delete(supervision)
    db_session.flush()


def set_risk(db_session: Session, target: Target, risk_level: str | None, *,
             source: str = "web", import_id: int | None = None) -> bool:
    """Set the acting department's risk level (高/中/低) of a target it supervises.

    Returns whether it changed.
    """
    if risk_level is not None and risk_level not in RISK_LEVELS:
        raise ValueError(f"unknown risk level {risk_level!r}")
    supervision = _supervision_or_fail(db_session, target)
    if supervision.risk_level == risk_level:
        return False
    before, supervision.risk_level = supervision.risk_level, risk_level
    db_session.flush()
    record_events(db_session, [event_stamp(db_session, source, import_id).event(
        target.id, "risk", {"risk_level": [before, risk_level]}, private=True)])
    return True


def set_note(db_session: Session, target: Target, note: str | None, *, source: str = "web") -> bool:
    """Set the acting department's own note about a target it supervises. Returns whether it changed."""
    supervision = _supervision_or_fail(db_session, target)
    note = (note or "").strip() or None
    if supervision.note == note:
        return False
    before, supervision.note = supervision.note, note
    db_session.flush()
    record_events(db_session, [event_stamp(db_session, source).event(
        target.id, "note", {"note": [before, note]}, private=True)])
    return True


def _supervision_or_fail(db_session: Session, target: Target) -> TargetSupervision:
    supervision = own_supervision(db_session, target)
    if supervision is None:
        raise TenancyError(f"target {target.id} is not supervised by this department")
    return supervision


def tags_of(db_session: Session, target_ids: Iterable[int]) -> dict[int, list[str]]:
    """The tags the unit of work may read, per target, sorted."""
    result: dict[int, list[str]] = {}
    rows = db_session.execute(select(TargetTag.target_id, TargetTag.tag).where(
        TargetTag.target_id.in_(list(target_ids))).order_by(TargetTag.tag))
    for target_id, tag_text in rows:
        result.setdefault(target_id, []).append(tag_text)
    return result


def _check_tag(tag_text: str) -> str:
    tag_text = tag_text.strip()
    if not tag_text or len(tag_text) > MAX_TAG_LENGTH or split_tags(tag_text) != [tag_text]:
        raise TargetError([FieldError("tags", "bad_tag",
                                      f"标签不能为空、不能含分号，最多 {MAX_TAG_LENGTH} 个字",
                                      f"a tag is not blank, has no semicolon and at most "
                                      f"{MAX_TAG_LENGTH} characters")])
    return tag_text


def tag(db_session: Session, target: Target, tag_text: str, *, source: str = "web") -> bool:
    """Tag a target the acting department supervises. Returns whether the tag was new."""
    return bool(bulk_tag(db_session, [target.id], tag_text, source=source))


def untag(db_session: Session, target: Target, tag_text: str, *, source: str = "web") -> bool:
    """Remove one of the acting department's tags from a target. Returns whether it was there."""
    department_id = _home(db_session)
    row = db_session.scalar(select(TargetTag).where(
        TargetTag.target_id == target.id, TargetTag.department_id == department_id,
        TargetTag.tag == tag_text))
    if row is None:
        return False
    db_session.delete(row)
    db_session.flush()
    record_events(db_session, [event_stamp(db_session, source).event(
        target.id, "untag", {"tags": [[tag_text], []]}, private=True)])
    return True


def bulk_tag(db_session: Session, target_ids: Iterable[int], tag_text: str, *,
             source: str = "web", import_id: int | None = None) -> list[int]:
    """Tag many targets at once; only those the acting department supervises are tagged.

    Returns the ids newly tagged (targets that had the tag already are left alone).
    """
    tag_text = _check_tag(tag_text)
    department_id = _home(db_session)
    wanted = sorted(set(target_ids))
    supervised: set[int] = set()
    tagged: set[int] = set()
    for chunk in _chunks(wanted, 500):
        supervised.update(db_session.scalars(select(TargetSupervision.target_id).where(
            TargetSupervision.department_id == department_id,
            TargetSupervision.target_id.in_(chunk))))
        tagged.update(db_session.scalars(select(TargetTag.target_id).where(
            TargetTag.department_id == department_id, TargetTag.tag == tag_text,
            TargetTag.target_id.in_(chunk))))
    new = [target_id for target_id in wanted if target_id in supervised and target_id not in tagged]
    db_session.add_all(TargetTag(target_id=target_id, department_id=department_id, tag=tag_text)
                       for target_id in new)
    db_session.flush()
    stamp = event_stamp(db_session, source, import_id)
    record_events(db_session, [stamp.event(target_id, "tag", {"tags": [[], [tag_text]]}, private=True)
                               for target_id in new])
    return new


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass(frozen=True)
class DirectoryEntry:
    """What any department may learn of a target by its exact code, to start supervising it:
    the public facts of its registration, nothing of other departments' views."""

    id: int
    code: str
    name: str
    kind: str
    supervised_here: bool


def directory_entry(db_session: Session, code: str) -> DirectoryEntry | None:
    """The target with exactly ``code`` in the whole directory, supervised by the caller or not."""
    code = code.strip().upper()
    department_id = _home(db_session)
    with scoped(db_session, Scope.system()):
        row = db_session.execute(select(Target.id, Target.code, Target.name, Target.kind)
                                 .where(Target.code == code)).one_or_none()
        if row is None:
            return None
        here = db_session.scalar(select(TargetSupervision.id).where(
            TargetSupervision.target_id == row.id, TargetSupervision.department_id == department_id))
    return DirectoryEntry(row.id, row.code, row.name, row.kind, here is not None)


def supervisors(db_session: Session, target: Target) -> list[Department]:
    """The departments supervising a target the caller may read, by name only (their views of it
    stay theirs)."""
    with scoped(db_session, Scope.system()):
        return list(db_session.scalars(
            select(Department).join(TargetSupervision, TargetSupervision.department_id == Department.id)
            .where(TargetSupervision.target_id == target.id).order_by(Department.code)))
