"""The task's file for the archive (seed article 20: 抽查检查工作的全过程记录归档): one zip.

It holds the plan and batch (``plan.json``), the task with its schedule, deadline and result
(``task.json``), the draw proof's excerpt for the task's target (``draw-proof-excerpt.json``: the
draw's commitment, secret, entropy and seed, the target's stratum and rank, its assignments and
replacements, and where the whole proof is), the team (``team.json``), the notices
(``notices.json``), every item's online check, answers, methods and findings (``items.json``),
each recorded item's checklist form as PDF (``forms/``), the evidence files with their list
(``evidence/``, ``evidence.json``), the review (``review.json``), the state trail (``trail.json``)
and the audit records about the task, its items, notices, evidence, trail, team and replacements
(``audit.json``).

``manifest.json`` lists every other file with its size and SHA-256, and ``manifest.sha256`` holds
the manifest's own digest (``sha256sum -c manifest.sha256`` checks it); the export's audit record
carries that digest too, so the audit chain vouches for the archive. The zip is written to a
spooled temporary file, evidence copied a chunk at a time, so no archive is held whole in memory.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any, BinaryIO

from flask_babel import force_locale
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.draw.models import (Draw, DrawSelection, DrawStratum, Replacement, ReplacementState,
                                   TeamMember)
from spotcheck.draw.verify_draw import ALGORITHM
from spotcheck.inspection import access, evidence as evidence_files
from spotcheck.inspection.pdf import render_item_pdf
from spotcheck.inspection.models import (NON_COOPERATION_LABELS, Notice, ResultCategory, Task, TaskEvent,
                                         TaskItem, TaskState)
from spotcheck.planning.models import AnnualPlan, Batch, PlanItem, PlanParticipant, Stratum, WorkPlan
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.roles import Permission, has_permission
from spotcheck.tenancy.scope import Scope, scoped

FORMAT = "spotcheck-task-archive-1"
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.sha256"
SPOOL_BYTES = 8 * 1024 * 1024
"""Archives up to this size stay in memory while written; larger ones go to a temporary file."""

_SAFE = re.compile(r"[^0-9A-Za-z_.-]+")


@dataclass
class Archive:
    """A finished archive: the zip (open at its start; closing it removes it), its download name,
    the manifest's digest, and how many files and bytes it holds."""

    file: IO[bytes]
    name: str
    manifest_sha256: str
    files: int
    size: int


def may_export(db_session: Session, user: User, task: Task) -> bool:
    """The task's leader, the initiating department's staff or head, or the office."""
    return has_permission(user.role, Permission.OVERSEE) or access.leads(db_session, user, task)


def export(db_session: Session, task: Task, storage: evidence_files.Storage, by: str,
           proof_url: str | None = None) -> Archive:
    """The archive of ``task`` (the caller has checked :func:`may_export`), audited as
    ``task_archive`` (the caller commits). A stored evidence file that fails its check raises
    :class:`~spotcheck.inspection.evidence.EvidenceRefused` and no archive is made."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    writer = _Writer(out)
    try:
        # Everything is read in the system scope, by explicit queries: rows loaded earlier in the
        # user's scope would lazy-load their relations (another department's inspectors, the
        # target) through that scope and miss them.
        with scoped(db_session, Scope.system()):
            target = db_session.scalars(select(Target).where(Target.id == task.target_id)).one()
            _write_contents(db_session, writer, task, target, storage, proof_url)
            digest = writer.finish({"format": FORMAT, "task": task.id, "target": target.code,
                                    "exported_at": utcnow().isoformat(), "exported_by": by})
    except BaseException:
        writer.zip.close()
        out.close()
        raise
    size = out.tell()
    out.seek(0)
    audit.record(db_session, "task_archive", "task", task.id,
                 {"manifest_sha256": digest, "files": len(writer.entries), "bytes": size})
    return Archive(out, f"task-{task.id}-{_safe(target.code)}-archive.zip", digest,
                   len(writer.entries), size)


class _Writer:
    """Files into the zip, each listed with its size and SHA-256 for the manifest."""

    def __init__(self, out: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.stamp = utcnow().timetuple()[:6]
        self.entries: list[dict[str, Any]] = []

    def _info(self, name: str, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def data(self, name: str, data: bytes, compress: bool = True) -> None:
        self.zip.writestr(self._info(name, compress), data)
        self.entries.append({"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})

    def json(self, name: str, value: Any) -> None:
        self.data(name, _json(value))

    def copy(self, name: str, source: BinaryIO) -> None:
        """Copy an already compressed file (images, PDF, Office) in chunks, stored as is."""
        digest = hashlib.sha256()
        size = 0
        with self.zip.open(self._info(name, compress=False), "w", force_zip64=True) as target:
            while chunk := source.read(evidence_files.CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self.entries.append({"path": name, "size": size, "sha256": digest.hexdigest()})

    def finish(self, head: Mapping[str, Any]) -> str:
        """Write the manifest and its digest, close the zip; the manifest's SHA-256."""
        manifest = _json({**head, "files": self.entries})
        digest = hashlib.sha256(manifest).hexdigest()
        self.zip.writestr(self._info(MANIFEST, True), manifest)
        self.zip.writestr(self._info(MANIFEST_DIGEST, True), f"{digest}  {MANIFEST}\n".encode())
        self.zip.close()
        return digest


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, default=_plain) + "\n").encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _safe(text: str) -> str:
    return _SAFE.sub("_", text).strip("._") or "_"


def _both(label: Any) -> dict[str, str]:
    """A lazy label in both languages."""
    rendered = {}
    for language in ("zh", "en"):
        with force_locale(language):
            rendered[language] = str(label)
    return rendered


def _write_contents(db_session: Session, writer: _Writer, task: Task, target: Target,
                    storage: evidence_files.Storage, proof_url: str | None) -> None:
    codes = dict(db_session.execute(select(Department.id, Department.code)).all())
    draw = db_session.scalars(select(Draw).where(Draw.id == task.draw_id)).one()
    members = db_session.scalars(select(TeamMember).where(TeamMember.team_id == task.team_id)
                                 .order_by(TeamMember.seq)).all()
    items = db_session.scalars(select(TaskItem).where(TaskItem.task_id == task.id).order_by(TaskItem.id)).all()
    writer.json("plan.json", _plan(db_session, draw, codes))
    writer.json("task.json", _task(task, target, codes))
    writer.json("draw-proof-excerpt.json", _proof_excerpt(db_session, draw, task, members, proof_url))
    writer.json("team.json", _team(db_session, task, members))
    notices = db_session.scalars(select(Notice).where(Notice.task_id == task.id).order_by(Notice.id)).all()
    writer.json("notices.json", [_notice(n) for n in notices])
    writer.json("items.json", [_item(i) for i in items])
    for n, item in enumerate(items, start=1):
        if item.recorded:
            writer.data(f"forms/{n:02d}-{_safe(item.department_code)}-{_safe(item.item_code)}.pdf",
                        render_item_pdf(db_session, task, item), compress=False)
    attached = evidence_files.evidence_of(db_session, task)
    writer.json("evidence.json", [_evidence(e) for e in attached])
    for row in attached:
        with evidence_files.open_verified(db_session, row, storage) as stored:
            writer.copy(f"evidence/{row.id:06d}-{row.filename}", stored)
    events = db_session.scalars(select(TaskEvent).where(TaskEvent.task_id == task.id)
                                .order_by(TaskEvent.at, TaskEvent.id)).all()
    writer.json("review.json", _review(task, events))
    writer.json("trail.json", [_event(e) for e in events])
    writer.json("audit.json", _audit_excerpt(db_session, task, items, notices, attached, events))


def _plan(db_session: Session, draw: Draw, codes: Mapping[int, str]) -> dict[str, Any]:
    plan = db_session.scalars(select(AnnualPlan).where(AnnualPlan.id == draw.plan_id)).one()
    participants = db_session.scalars(select(PlanParticipant).where(PlanParticipant.plan_id == plan.id)
                                      .order_by(PlanParticipant.id)).all()
    plan_items = db_session.scalars(select(PlanItem).where(PlanItem.plan_id == plan.id).order_by(PlanItem.id)).all()
    batch = db_session.scalars(select(Batch).where(Batch.id == draw.batch_id)).one()
    work_plan = db_session.scalars(select(WorkPlan).where(WorkPlan.id == batch.work_plan_id)).one()
    strata = db_session.scalars(select(Stratum).where(Stratum.batch_id == batch.id).order_by(Stratum.id)).all()
    return {
        "plan": {"id": plan.id, "name": plan.name, "year": plan.year, "type": plan.plan_type,
                 "initiator": codes.get(plan.department_id), "state": plan.state,
                 "window": [plan.window_start, plan.window_end], "ratio_bp": plan.ratio_bp,
                 "target_scope": plan.target_scope, "note": plan.note, "submitted_at": plan.submitted_at,
                 "participants": [{"department": codes.get(p.department_id), "status": p.status,
                                   "answered_by": p.answered_by, "answered_at": p.answered_at}
                                  for p in participants],
                 "items": [{"department": codes.get(i.department_id), "code": i.code, "name_zh": i.name_zh,
                            "name_en": i.name_en, "methods": i.methods} for i in plan_items]},
        "work_plan": {"id": work_plan.id, "state": work_plan.state, "note": work_plan.note,
                      "approved_by": work_plan.approved_by, "approved_at": work_plan.approved_at},
        "batch": {"id": batch.id, "number": batch.number, "name": batch.name,
                  "window": [batch.window_start, batch.window_end], "target_scope": batch.target_scope,
                  "coordination": batch.coordination,
                  "strata": [{"key": s.key, "selector": s.selector, "ratio_bp": s.ratio_bp,
                              "min": s.min_count, "count": s.count} for s in strata]},
    }


def _task(task: Task, target: Target, codes: Mapping[int, str]) -> dict[str, Any]:
    return {"id": task.id, "state": task.state, "state_label": _both(TaskState(task.state).label),
            "initiator": codes.get(task.department_id), "plan": task.plan_id, "draw": task.draw_id,
            "team": task.team_id,
            "target": {"code": target.code, "name": target.name, "kind": target.kind, "address": target.address},
            "scheduled_on": task.scheduled_on, "schedule_note": task.schedule_note,
            "check_ended_on": task.check_ended_on, "due_on": task.due_on, "overdue": task.overdue,
            "recorded_at": task.recorded_at, "recorded_by": task.recorded_by, "created_at": task.created_at}


def _proof_excerpt(db_session: Session, draw: Draw, task: Task, members: Sequence[TeamMember],
                   proof_url: str | None) -> dict[str, Any]:
    """The proof's entries about the task's target (spec §6), as the draw stored them."""
    chosen = db_session.scalars(select(DrawSelection).where(DrawSelection.draw_id == draw.id,
                                                            DrawSelection.target_id == task.target_id)).one()
    stratum = db_session.scalars(select(DrawStratum).where(DrawStratum.draw_id == draw.id,
                                                           DrawStratum.position == chosen.stratum)).one()
    assignments: dict[str, list[str]] = {}
    for member in members:
        if member.replaces_id is None:  # the draw's own picks; replacements are listed apart
            assignments.setdefault(member.department_code, []).append(member.inspector_code)
    codes = {m.id: m.inspector_code for m in members}
    departments = {m.id: m.department_code for m in members}
    replaced = db_session.scalars(select(Replacement).where(
        Replacement.team_id == task.team_id, Replacement.state == ReplacementState.APPROVED.value)
        .order_by(Replacement.seq)).all()
    return {"algorithm": ALGORITHM, "draw_id": draw.id, "year": draw.year,
            "prepared_at": draw.prepared_at, "prepared_by": draw.prepared_by,
            "drawn_at": draw.drawn_at, "drawn_by": draw.drawn_by,
            "server_secret_commitment": draw.commitment, "server_secret": draw.server_secret,
            "public_entropy": draw.public_entropy, "candidates_digest": draw.candidates_digest,
            "seed": draw.seed,
            "stratum": {"key": stratum.key, "quota": stratum.rule, "digest": stratum.digest,
                        "candidates": stratum.candidate_count, "selected": stratum.quota},
            "target": {"code": chosen.code, "rank": chosen.rank, "required": chosen.required},
            "assignments": [{"department": d, "inspectors": i} for d, i in assignments.items()],
            "replacements": [{"target": chosen.code, "department": departments.get(r.member_id),
                              "out": codes.get(r.member_id), "in": codes.get(r.incoming_id),
                              "ground": r.ground, "reason": r.reason, "approved_by": r.decided_by,
                              "approved_at": r.decided_at} for r in replaced],
            "proof": proof_url}


def _team(db_session: Session, task: Task, members: Sequence[TeamMember]) -> dict[str, Any]:
    team = task.team
    names = dict(db_session.execute(select(Inspector.id, Inspector.name)
                                    .where(Inspector.id.in_([m.inspector_id for m in members]))).all())
    codes = {m.id: m.inspector_code for m in members}
    return {"id": team.id, "position": team.position, "state": team.state,
            "members": [{"department": m.department_code, "inspector": m.inspector_code,
                         "name": names.get(m.inspector_id), "leader": m.leader, "active": m.active,
                         "replaces": codes.get(m.replaces_id) if m.replaces_id else None}
                        for m in members]}


def _notice(notice: Notice) -> dict[str, Any]:
    return {"id": notice.id, "channel": notice.channel, "recipient": notice.recipient,
            "notified_at": notice.notified_at, "visit_on": notice.visit_on, "items": notice.item_codes,
            "message": notice.message, "delivery": notice.delivery, "delivery_error": notice.delivery_error,
            "recorded_by": notice.recorded_by}


def _item(item: TaskItem) -> dict[str, Any]:
    return {"id": item.id, "department": item.department_code, "code": item.item_code,
            "name_zh": item.name_zh, "name_en": item.name_en, "notice_forbidden": item.notice_forbidden,
            "form_code": item.form_code, "online": {"status": item.online_status, "summary": item.online_summary,
                                                    "fields": item.online_fields},
            "answers": item.answers, "form": item.form, "methods": item.methods, "findings": item.findings,
            "recorded_by": item.recorded_by, "recorded_at": item.recorded_at}


def _evidence(row: Any) -> dict[str, Any]:
    return {"id": row.id, "file": f"evidence/{row.id:06d}-{row.filename}", "filename": row.filename,
            "content_type": row.content_type, "size": row.size, "sha256": row.sha256,
            "description": row.description, "uploaded_by": row.uploaded_by, "uploaded_at": row.uploaded_at}


def _review(task: Task, events: Iterable[TaskEvent]) -> dict[str, Any]:
    category = ResultCategory(task.result_category) if task.result_category else None
    return {"result_category": task.result_category, "result_label": _both(category.label) if category else None,
            "non_cooperation": [{"code": c, "label": _both(NON_COOPERATION_LABELS[c])
                                 if c in NON_COOPERATION_LABELS else None} for c in task.non_cooperation],
            "reviewed_at": task.reviewed_at, "reviewed_by": task.reviewed_by, "review_note": task.review_note,
            # Every decision of the head: approvals, and returns with their reasons.
            "decisions": [_event(e) for e in events if e.from_state == TaskState.RECORDED.value]}


def _event(event: TaskEvent) -> dict[str, Any]:
    return {"from": event.from_state, "to": event.to_state, "by": event.by, "at": event.at, "note": event.note}


def _audit_excerpt(db_session: Session, task: Task, items: Iterable[TaskItem], notices: Iterable[Notice],
                   attached: Iterable[Any], events: Iterable[TaskEvent]) -> list[dict[str, Any]]:
    replacements = db_session.scalars(select(Replacement.id).where(Replacement.team_id == task.team_id)).all()
    objects = {"task": [task.id], "task_item": [i.id for i in items], "task_notice": [n.id for n in notices],
               "task_evidence": [e.id for e in attached], "task_event": [e.id for e in events],
               "team": [task.team_id], "draw_replacement": replacements}
    records = db_session.scalars(select(AuditRecord).where(or_(*(
        and_(AuditRecord.object_type == kind, AuditRecord.object_id.in_([str(i) for i in ids]))
        for kind, ids in objects.items() if ids))).order_by(AuditRecord.id)).all()
    return [{"id": r.id, "at": r.at, "username": r.username, "department": r.department_code,
             "action": r.action, "object_type": r.object_type, "object_id": r.object_id,
             "summary": json.loads(r.summary) if r.summary else None, "ip": r.ip,
             "request_id": r.request_id, "prev_hash": r.prev_hash, "hash": r.hash} for r in records]
