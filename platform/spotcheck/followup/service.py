"""Follow-up services (seed article 17): open follow-ups from the findings of a reviewed task,
act on them, sweep overdue orders, and carry the outcome into the task's result.

- :func:`open_followups` runs when the head approves the results: every finding of every
  recorded item that a rule of the item's department plugin matches opens a follow-up with the
  rule's action. An order of correction is due ``working_days`` Chinese working days after the
  day of the review; a transfer goes straight to the receiving department's queue.
- :func:`act` moves a follow-up (corrected, closed, accepted, returned) for a user of the owning
  department; a returned transfer goes back to the department whose finding it was.
- :func:`followup_sweep` marks orders whose deadline has passed overdue and opens the rule's next
  step (a case, a referral or a transfer); an order already overdue is never swept again.
- :func:`apply_outcome` recomputes the task's result from its follow-ups: when every follow-up
  of the task was corrected, the result becomes ``corrected`` (发现问题已责令改正); the published
  result, if any, is amended with it and with the follow-up status.

Every move writes a :class:`~spotcheck.followup.models.FollowUpEvent` and a named audit record.
Services never commit; the caller does.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.calendar.service import CalendarMissing, add_working_days
from spotcheck.followup.credit import record_outcome
from spotcheck.followup.models import PENDING, TRANSITIONS, Action, FollowUp, FollowUpEvent, FollowUpState
from spotcheck.hooks.definitions import FollowUpActionDef, FollowUpRuleDef
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection.models import ResultCategory, Task, TaskItem, TaskState
from spotcheck.inspection.tasks import TaskRefused, move
from spotcheck.publication.models import Publication
from spotcheck.registry.inspectors.service import today as platform_today
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.scope import Scope, scoped

SWEEPER = "system:followup-sweep"
"""Who the history says marked an order overdue."""

NOTE_MAX = 2000


class FollowUpRefused(TaskRefused):
    """A follow-up action that is not allowed now, and why, in Chinese and English. A task
    refusal, so that a review whose follow-ups cannot open is refused like any other."""


def matching_rules(registry: PluginRegistry, item: TaskItem) -> list[tuple[str, FollowUpRuleDef]]:
    """The (finding, rule) pairs of ``item``'s department plugin that its findings match, in the
    order of the findings and then of the rules."""
    plugin = registry.loaded.get(item.department_code)
    if plugin is None:
        return []
    return [(finding, rule) for finding in item.findings or () for rule in plugin.rules.values()
            if rule.finding == finding and rule.item in (None, item.item_code)]


def open_followups(db_session: Session, task: Task, registry: PluginRegistry, reviewed_on: date,
                   by: str) -> list[FollowUp]:
    """Open the follow-ups of reviewed ``task`` (see the module's docstring); ``reviewed_on`` is
    the day of the review, where the platform's users are. A finding already followed up by the
    same rule is skipped, so calling this twice opens nothing new. Raises
    :class:`FollowUpRefused` when an order's deadline needs a year without a calendar."""
    opened = []
    with scoped(db_session, Scope.system()):
        existing = set(tuple(row) for row in db_session.execute(select(FollowUp.task_item_id, FollowUp.finding, FollowUp.rule_code)
                                          .where(FollowUp.task_id == task.id, FollowUp.parent_id.is_(None))).all())
        for item in task.items:
            if not item.recorded:
                continue
            for finding, rule in matching_rules(registry, item):
                if (item.id, finding, rule.code) in existing:
                    continue
                followup = FollowUp(
                    from_department_id=item.department_id, task_id=task.id, task_item_id=item.id,
                    target_id=task.target_id, rule_code=rule.code, rule_name_zh=rule.name_zh,
                    rule_name_en=rule.name_en, finding=finding,
                    next_action=rule.on_overdue.kind if rule.on_overdue else None,
                    next_department=rule.on_overdue.department if rule.on_overdue else None)
                _start(db_session, followup, rule.action, item.department_id, reviewed_on, by)
                opened.append(followup)
        db_session.flush()
    for followup in opened:
        _audit(db_session, followup, None, None)
        _credit(db_session, followup, reviewed_on)
    if opened:
        apply_outcome(db_session, task)
    return opened


def _start(db_session: Session, followup: FollowUp, action: FollowUpActionDef, owner_id: int,
           day: date, by: str) -> None:
    """Give new ``followup`` its action, owner, state and deadline, and its first history row."""
    followup.action, followup.working_days = action.kind, action.working_days
    followup.department_id, followup.state, note = owner_id, FollowUpState.OPEN.value, None
    if action.kind == Action.ORDER_CORRECTION.value:
        assert action.working_days is not None
        try:
            followup.deadline = add_working_days(db_session, day, action.working_days)
        except CalendarMissing as missing:
            raise FollowUpRefused("calendar", missing.message_zh, missing.message_en) from None
    elif action.kind == Action.TRANSFER.value:
        receiver = db_session.scalars(select(Department).where(Department.code == action.department)).one_or_none()
        if receiver is None:
            # The competent department is not on the platform: the owner transfers it by other means.
            note = f"{action.department}: not on the platform"
        else:
            followup.department_id, followup.state = receiver.id, FollowUpState.TRANSFERRED.value
    db_session.add(followup)
    followup.events.append(FollowUpEvent(from_state=None, to_state=followup.state, by=by, note=note))


CREDITED_ACTIONS = frozenset({Action.FILE_CASE.value, Action.REFER_JUDICIAL.value})
"""Opening these is an outcome for the target's credit record (seed article 19)."""


def _credit(db_session: Session, followup: FollowUp, on: date) -> None:
    """Put the follow-up's outcome into the target's credit record, if it is one."""
    if followup.state in (FollowUpState.CORRECTED.value, FollowUpState.OVERDUE.value):
        code = followup.state
    elif followup.state == FollowUpState.OPEN.value and followup.action in CREDITED_ACTIONS:
        code = followup.action
    else:
        return
    record_outcome(db_session, followup.target_id, followup.task_id, followup.id, code, on)


def _audit(db_session: Session, followup: FollowUp, from_state: str | None, note: str | None) -> None:
    audit.record(db_session, f"followup_{followup.state}", "followup", followup.id,
                 {"task": followup.task_id, "rule": followup.rule_code, "action": followup.action,
                  "department": followup.department_id, "from": from_state, "to": followup.state,
                  "deadline": followup.deadline.isoformat() if followup.deadline else None, "note": note})


def _note(text: str | None) -> str | None:
    text = (text or "").strip() or None
    if text is not None and len(text) > NOTE_MAX:
        raise FollowUpRefused("note", f"说明不能超过{NOTE_MAX}个字符。", f"The note is longer than {NOTE_MAX} characters.")
    return text


def may_act(user: User, followup: FollowUp) -> bool:
    """Only the owning department's users act on a follow-up."""
    return user.department_id == followup.department_id


def queue(user: User, box: str = "own", state: str | None = None,
          action: str | None = None) -> Select[tuple[FollowUp]]:
    """The follow-ups of ``user``'s department: ``box`` ``own`` (it acts on them) or ``sent`` (its
    findings now owned by another department); the office's are every one. Soonest due first."""
    statement = select(FollowUp)
    if user.department.is_office:
        pass  # the office oversees every department's follow-ups
    elif box == "sent":
        statement = statement.where(FollowUp.from_department_id == user.department_id,
                                    FollowUp.department_id != user.department_id)
    else:
        statement = statement.where(FollowUp.department_id == user.department_id)
    if state:
        statement = statement.where(FollowUp.state == state)
    if action:
        statement = statement.where(FollowUp.action == action)
    return statement.order_by(FollowUp.deadline.is_(None), FollowUp.deadline, FollowUp.id)


def act(db_session: Session, followup: FollowUp, to: FollowUpState, user: User, note: str | None = None) -> None:
    """Move ``followup`` to ``to`` for ``user`` of the owning department. Returning a transfer
    needs the reason and hands the follow-up back to the department whose finding it was."""
    current = FollowUpState(followup.state)
    note = _note(note)
    if not may_act(user, followup):
        raise FollowUpRefused("department", "只有承办部门才能处置该事项。",
                              "Only the department that owns this follow-up acts on it.")
    if to not in TRANSITIONS[current]:
        raise FollowUpRefused("transition", f"处置状态为“{current.label}”，不能变为“{to.label}”。",
                              f"A follow-up that is {current.label.lower()} cannot become {to.label.lower()}.")
    if to is FollowUpState.OVERDUE:
        raise FollowUpRefused("overdue", "逾期由系统按规则自动处理。", "Only the sweep marks an order overdue.")
    if to is FollowUpState.RETURNED and note is None:
        raise FollowUpRefused("reason", "退回移交事项须说明理由。", "Say why the transfer is returned.")
    _move(db_session, followup, to, user.username, note)
    _credit(db_session, followup, platform_today())
    if to is FollowUpState.RETURNED:
        with scoped(db_session, Scope.system()):
            followup.department_id = followup.from_department_id
            db_session.flush()
    apply_outcome(db_session, _task(db_session, followup))


def _move(db_session: Session, followup: FollowUp, to: FollowUpState, by: str, note: str | None) -> None:
    current = followup.state
    with scoped(db_session, Scope.system()):
        followup.state = to.value
        if to in (FollowUpState.CORRECTED, FollowUpState.CLOSED):
            followup.outcome_note = note
        followup.events.append(FollowUpEvent(from_state=current, to_state=to.value, by=by, note=note))
        db_session.flush()
    _audit(db_session, followup, current, note)


def _task(db_session: Session, followup: FollowUp) -> Task:
    with scoped(db_session, Scope.system()):
        return db_session.scalars(select(Task).where(Task.id == followup.task_id)).one()


def followup_sweep(db_session: Session, today: date) -> list[str]:
    """Sweep: every order of correction still open after its deadline becomes overdue and the
    rule's next step is opened (owned by the same department, or transferred). One line each."""
    with scoped(db_session, Scope.system()):
        late = list(db_session.scalars(
            select(FollowUp).where(FollowUp.state == FollowUpState.OPEN.value,
                                   FollowUp.action == Action.ORDER_CORRECTION.value,
                                   FollowUp.deadline < today).order_by(FollowUp.deadline, FollowUp.id)))
    lines = []
    for followup in late:
        note = f"deadline {followup.deadline.isoformat() if followup.deadline else ''} passed"
        _move(db_session, followup, FollowUpState.OVERDUE, SWEEPER, note)
        _credit(db_session, followup, today)
        if followup.next_action is None:
            lines.append(f"follow-up {followup.id}: overdue (the rule names no next step)")
            continue
        with scoped(db_session, Scope.system()):
            step = FollowUp(from_department_id=followup.department_id, task_id=followup.task_id,
                            task_item_id=followup.task_item_id, parent_id=followup.id,
                            target_id=followup.target_id, rule_code=followup.rule_code,
                            rule_name_zh=followup.rule_name_zh, rule_name_en=followup.rule_name_en,
                            finding=followup.finding)
            _start(db_session, step, FollowUpActionDef(kind=followup.next_action,  # type: ignore[arg-type]
                                                       department=followup.next_department),
                   followup.department_id, today, SWEEPER)
            db_session.flush()
        _audit(db_session, step, None, note)
        _credit(db_session, step, today)
        apply_outcome(db_session, _task(db_session, followup))
        lines.append(f"follow-up {followup.id}: overdue, next step {step.action} opened as {step.id}")
    return lines


def status_of(followups: list[FollowUp]) -> str | None:
    """The follow-up status of a task's result (a key of
    :data:`~spotcheck.followup.models.FOLLOWUP_STATUS_LABELS`): ``None`` without follow-ups,
    ``pending`` while any waits for action, else ``corrected`` when every one was corrected, else
    ``closed``."""
    if not followups:
        return None
    states = {FollowUpState(f.state) for f in followups}
    if states & PENDING:
        return "pending"
    return "corrected" if states == {FollowUpState.CORRECTED} else "closed"


_CLOSED_NOTE = {"none": "no follow-up needed", "corrected": "every follow-up corrected",
                "closed": "every follow-up closed"}


def apply_outcome(db_session: Session, task: Task) -> None:
    """Carry the follow-ups' outcome into ``task``'s result and its publication, if published:
    every follow-up corrected makes the result ``corrected``; the publication's follow-up status
    is :func:`status_of` them."""
    with scoped(db_session, Scope.system()):
        followups = list(db_session.scalars(select(FollowUp).where(FollowUp.task_id == task.id)))
        status = status_of(followups)
        if status == "corrected" and task.result_category != ResultCategory.CORRECTED.value:
            task.result_category = ResultCategory.CORRECTED.value
        publication = db_session.scalars(select(Publication).where(Publication.task_id == task.id)).one_or_none()
        if publication is not None and (publication.followup_status, publication.result_category) != (
                status, task.result_category):
            publication.followup_status = status
            publication.result_category = task.result_category
        db_session.flush()
    # A published result with nothing left to follow up is done (办结): no follow-up was needed,
    # or every one was corrected or closed.
    if task.state == TaskState.PUBLISHED.value and status != "pending":
        move(db_session, task, TaskState.CLOSED, "spotcheck", _CLOSED_NOTE.get(status or "none"))
