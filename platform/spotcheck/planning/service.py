"""Annual joint plans: validate, create and edit them, confirm a part, submit, withdraw, and the
February dashboard and the published district plan.

Services never commit; the caller does. Row changes are audited by the ORM capture; submitting,
confirming, declining, withdrawing (here) and merging and publishing (:mod:`.consolidation`) are
also recorded as events with :func:`spotcheck.audit.record`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.hooks.definitions import TARGET_KINDS
from spotcheck.planning.deadlines import is_late, local_day
from spotcheck.planning.models import (SCOPE_KEYS, AnnualPlan, Confirmation, PlanItem,
                                       PlanParticipant, PlanState, PlanType)
from spotcheck.registry.areas import Area
from spotcheck.registry.errors import FieldError
from spotcheck.registry.industries import classification
from spotcheck.registry.items.models import CheckItem, CheckItemVersion
from spotcheck.registry.targets.codes import STATUSES
from spotcheck.tenancy.models import Department, User


class PlanError(Exception):
    """An operation the plan's state or answers do not allow, said in Chinese and English."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, locale: str) -> str:
        return self.message_en if locale.startswith("en") else self.message_zh


@dataclass(frozen=True)
class PlanValues:
    """A validated plan as its initiator describes it (participants by department id)."""

    name: str
    year: int
    plan_type: str
    target_scope: dict[str, list[str]]
    window_start: date
    window_end: date
    ratio_bp: int
    participant_ids: tuple[int, ...]
    note: str | None = None


def _error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, zh, en)


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("；", ",").replace(";", ",").replace("，", ",").split(",")
    return [text for text in (str(v).strip() for v in value) if text]


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def validate_plan(db_session: Session, raw: Mapping[str, Any], initiator_id: int
                  ) -> tuple[PlanValues | None, list[FieldError]]:
    """Check a plan's fields (``name``, ``year``, ``plan_type``, the scope lists under
    :data:`SCOPE_KEYS`, ``window_start``, ``window_end``, ``ratio_bp``, ``participants`` as
    department codes, ``note``); the values, or ``None`` and every problem at once."""
    errors: list[FieldError] = []
    name = str(raw.get("name") or "").strip()
    if not name:
        errors.append(_error("name", "required", "请填写计划名称。", "Enter the plan's name."))
    elif len(name) > 200:
        errors.append(_error("name", "too_long", "计划名称不能超过200个字。",
                             "The name is longer than 200 characters."))
    try:
        year = int(raw.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        errors.append(_error("year", "invalid", "年度应为2000至2100之间的年份，例如2027。",
                             "The year must be between 2000 and 2100, e.g. 2027."))
    plan_type = str(raw.get("plan_type") or PlanType.RANDOM.value)
    if plan_type not in {t.value for t in PlanType}:
        errors.append(_error("plan_type", "unknown_type",
                             f"未知的计划类型“{plan_type}”，可选：" + "、".join(t.value for t in PlanType),
                             f"Unknown plan type {plan_type!r}; one of "
                             + ", ".join(t.value for t in PlanType)))
    scope = {key: sorted(set(_strings(raw.get(key)))) for key in SCOPE_KEYS}
    errors.extend(_scope_errors(db_session, scope))
    start, end = _date(raw.get("window_start")), _date(raw.get("window_end"))
    if start is None:
        errors.append(_error("window_start", "required", "请填写开始日期（YYYY-MM-DD）。",
                             "Enter the start date (YYYY-MM-DD)."))
    if end is None:
        errors.append(_error("window_end", "required", "请填写结束日期（YYYY-MM-DD）。",
                             "Enter the end date (YYYY-MM-DD)."))
    if start and end and year:
        if start > end:
            errors.append(_error("window_end", "before_start", "结束日期早于开始日期。",
                                 "The end date is before the start date."))
        for field, day in (("window_start", start), ("window_end", end)):
            if day.year != year:
                errors.append(_error(field, "outside_year", f"日期 {day} 不在{year}年度内。",
                                     f"The date {day} is not within {year}."))
    try:
        ratio_bp = int(raw.get("ratio_bp") or 0)
    except (TypeError, ValueError):
        ratio_bp = 0
    if not 1 <= ratio_bp <= 10000:
        errors.append(_error("ratio_bp", "invalid",
                             "抽查比例以万分之一计，应在1至10000之间（例如500即5%）。",
                             "The ratio is in basis points, between 1 and 10000 (500 is 5%)."))
    participant_ids, participant_errors = _participants(db_session, _strings(raw.get("participants")),
                                                        initiator_id)
    errors.extend(participant_errors)
    note = str(raw.get("note") or "").strip() or None
    if errors or start is None or end is None:
        return None, errors
    return PlanValues(name=name, year=year, plan_type=plan_type, target_scope=scope,
                      window_start=start, window_end=end, ratio_bp=ratio_bp,
                      participant_ids=participant_ids, note=note), []


def _scope_errors(db_session: Session, scope: Mapping[str, list[str]]) -> list[FieldError]:
    errors = []
    for kind in scope["kinds"]:
        if kind not in TARGET_KINDS:
            errors.append(_error("kinds", "unknown_kind", f"未知的对象类型“{kind}”。",
                                 f"Unknown target kind {kind!r}."))
    known_areas = set(db_session.scalars(select(Area.code).where(Area.code.in_(scope["areas"]))))
    for code in scope["areas"]:
        if code not in known_areas:
            errors.append(_error("areas", "unknown_area", f"未知的区域代码“{code}”。",
                                 f"Unknown area code {code!r}."))
    for code in scope["industries"]:
        if not classification().is_valid(code):
            errors.append(_error("industries", "unknown_industry",
                                 f"“{code}”不是国民经济行业分类（GB/T 4754-2017）的代码。",
                                 f"{code!r} is not a code of GB/T 4754-2017."))
    for tag in scope["tags"]:
        if len(tag) > 50:
            errors.append(_error("tags", "too_long", f"标签“{tag}”超过50个字。",
                                 f"The tag {tag!r} is longer than 50 characters."))
    for status in scope["statuses"]:
        if status not in STATUSES:
            errors.append(_error("statuses", "unknown_status", f"未知的登记状态“{status}”。",
                                 f"Unknown registration status {status!r}."))
    return errors


def _participants(db_session: Session, codes: Sequence[str], initiator_id: int
                  ) -> tuple[tuple[int, ...], list[FieldError]]:
    departments = {d.code: d for d in db_session.scalars(
        select(Department).where(Department.code.in_(codes)))}
    ids, errors = [], []
    for code in dict.fromkeys(codes):
        department = departments.get(code)
        if department is None or not department.active or department.is_office:
            errors.append(_error("participants", "unknown_department",
                                 f"“{code}”不是在用的成员单位代码。",
                                 f"{code!r} is not the code of an active member unit."))
        elif department.id != initiator_id:
            ids.append(department.id)
    return tuple(ids), errors


def create_plan(db_session: Session, initiator_id: int, values: PlanValues) -> AnnualPlan:
    """A draft plan of ``initiator_id`` with its participants awaiting confirmation."""
    plan = AnnualPlan(department_id=initiator_id, state=PlanState.DRAFT.value)
    _apply(plan, values)
    db_session.add(plan)
    db_session.flush()
    return plan


def update_plan(db_session: Session, plan: AnnualPlan, values: PlanValues) -> bool:
    """Change a draft plan; whether anything changed. A change asks every participant to confirm
    again: they agreed to the plan as it was."""
    _require_state(plan, PlanState.DRAFT)
    before = _snapshot(plan)
    _apply(plan, values)
    if _snapshot(plan) == before:
        return False
    for participant in plan.participants:
        _reset(participant)
    db_session.flush()
    return True


def _snapshot(plan: AnnualPlan) -> tuple[Any, ...]:
    return (plan.name, plan.year, plan.plan_type, plan.target_scope, plan.window_start,
            plan.window_end, plan.ratio_bp, plan.note,
            tuple(sorted(p.department_id for p in plan.participants)))


def _apply(plan: AnnualPlan, values: PlanValues) -> None:
    for name in ("name", "year", "plan_type", "target_scope", "window_start", "window_end",
                 "ratio_bp", "note"):
        if getattr(plan, name) != getattr(values, name):
            setattr(plan, name, getattr(values, name))
    wanted = set(values.participant_ids)
    keep = [p for p in plan.participants if p.department_id in wanted]
    have = {p.department_id for p in keep}
    if len(keep) != len(plan.participants) or wanted - have:
        plan.participants = keep + [PlanParticipant(department_id=d) for d in values.participant_ids
                                    if d not in have]


def _reset(participant: PlanParticipant) -> None:
    if participant.status != Confirmation.PENDING.value:
        participant.status = Confirmation.PENDING.value
        participant.reason = participant.answered_by = participant.answered_at = None
        participant.answered_by_id = None


def _require_state(plan: AnnualPlan, *states: PlanState) -> None:
    if plan.state not in {s.value for s in states}:
        raise PlanError("wrong_state", f"计划处于“{PlanState(plan.state).label}”状态，不能进行此操作。",
                        f"The plan is {plan.state}: this cannot be done now.")


def item_choices(db_session: Session, department_id: int) -> list[CheckItem]:
    """The department's usable items (enabled, not withdrawn) to choose from."""
    return list(db_session.scalars(select(CheckItem).where(
        CheckItem.department_id == department_id, CheckItem.enabled.is_(True),
        CheckItem.withdrawn.is_(False)).order_by(CheckItem.code)))


def item_options(db_session: Session, department_id: int, locale: str) -> list[tuple[int, str, str]]:
    """``(item id, code, name)`` of the department's usable items, named as their current version."""
    items = item_choices(db_session, department_id)
    names = {v.item_id: v.name(locale) for v in db_session.scalars(select(CheckItemVersion).where(
        CheckItemVersion.item_id.in_([i.id for i in items])))
        if v.number == next(i.current_number for i in items if i.id == v.item_id)}
    return [(item.id, item.code, names.get(item.id, item.code)) for item in items]


def set_items(db_session: Session, plan: AnnualPlan, department_id: int,
              item_ids: Iterable[int]) -> list[FieldError]:
    """Put ``department_id``'s items ``item_ids`` (its own list) in a draft plan, each pinned to
    its current version; the department's other items leave the plan. Errors name unusable ids."""
    _require_state(plan, PlanState.DRAFT)
    usable = {item.id: item for item in item_choices(db_session, department_id)}
    wanted = list(dict.fromkeys(item_ids))
    unknown = [i for i in wanted if i not in usable]
    if unknown:
        return [_error("items", "unknown_item", f"事项 {i} 不在本单位可用的抽查事项清单中。",
                       f"Item {i} is not a usable item of your department's list.") for i in unknown]
    versions = {v.item_id: v for v in db_session.scalars(select(CheckItemVersion).where(
        CheckItemVersion.item_id.in_(wanted)))
        if v.number == usable[v.item_id].current_number}
    others = [i for i in plan.items if i.department_id != department_id]
    mine = {i.item_version_id: i for i in plan.items if i.department_id == department_id}
    new_items = [mine.get(versions[i].id) or _plan_item(department_id, versions[i]) for i in wanted
                 if i in versions]
    if {i.item_version_id for i in new_items} != set(mine):
        plan.items = others + new_items
        db_session.flush()
    return []


def _plan_item(department_id: int, version: CheckItemVersion) -> PlanItem:
    content = version.content
    return PlanItem(department_id=department_id, item_version_id=version.id,
                    code=str(content["code"]), name_zh=version.name("zh"), name_en=version.name("en"),
                    target_kinds=list(content.get("target_kinds") or []),
                    methods=list(content.get("methods") or []))


def participant_of(plan: AnnualPlan, department_id: int) -> PlanParticipant | None:
    """The participation of ``department_id`` in ``plan``, if it takes part."""
    return next((p for p in plan.participants if p.department_id == department_id), None)


def answer(db_session: Session, plan: AnnualPlan, department_id: int, user: User, confirmed: bool,
           reason: str | None = None) -> PlanParticipant:
    """A participant confirms or declines its part of a draft plan (a reason is required to
    decline); audited as ``plan_confirm`` or ``plan_decline``."""
    _require_state(plan, PlanState.DRAFT)
    participant = participant_of(plan, department_id)
    if participant is None:
        raise PlanError("not_participant", "本单位不是该计划的参与部门。",
                        "Your department does not take part in this plan.")
    reason = (reason or "").strip() or None
    if not confirmed and reason is None:
        raise PlanError("reason_required", "拒绝参与时请说明理由。", "Give a reason for declining.")
    participant.status = (Confirmation.CONFIRMED if confirmed else Confirmation.DECLINED).value
    participant.reason = reason
    participant.answered_by_id = user.id
    participant.answered_by = user.username
    participant.answered_at = utcnow()
    db_session.flush()
    audit.record(db_session, "plan_confirm" if confirmed else "plan_decline", "annual_plan", plan.id,
                 {"department_id": department_id, "reason": reason})
    return participant


def submit(db_session: Session, plan: AnnualPlan, timezone: str, now: datetime | None = None) -> None:
    """Submit a draft plan to the office once every participant confirmed; flagged late when
    submitted after the end of February of its year (a merged plan whose originals were all on
    time stays on time). Audited as ``plan_submit``."""
    _require_state(plan, PlanState.DRAFT)
    waiting = [p for p in plan.participants if p.status != Confirmation.CONFIRMED.value]
    if waiting:
        names = "、".join(p.department.name_zh for p in waiting)
        raise PlanError("unconfirmed", f"以下参与部门尚未确认：{names}。所有参与部门确认后方可报送。",
                        f"Not confirmed yet by: {', '.join(p.department.code for p in waiting)}. "
                        "Every participant must confirm before the plan is submitted.")
    moment = now or utcnow()
    late = is_late(plan.year, local_day(moment, timezone))
    originals = list(db_session.scalars(select(AnnualPlan).where(AnnualPlan.merged_into_id == plan.id)))
    if originals and not any(o.late for o in originals):
        late = False
    plan.state = PlanState.SUBMITTED.value
    plan.submitted_at = moment
    plan.late = late
    db_session.flush()
    audit.record(db_session, "plan_submit", "annual_plan", plan.id, {"year": plan.year, "late": late})


def withdraw(db_session: Session, plan: AnnualPlan) -> None:
    """The initiator withdraws a draft or submitted plan; audited as ``plan_withdraw``."""
    _require_state(plan, PlanState.DRAFT, PlanState.SUBMITTED)
    plan.state = PlanState.WITHDRAWN.value
    db_session.flush()
    audit.record(db_session, "plan_withdraw", "annual_plan", plan.id, {"year": plan.year})


def plans_of_year(year: int, state: str | None = None) -> Select[tuple[AnnualPlan]]:
    """The plans of ``year`` the scope reads, optionally in one state, by id."""
    statement = select(AnnualPlan).where(AnnualPlan.year == year).order_by(AnnualPlan.id)
    if state:
        statement = statement.where(AnnualPlan.state == state)
    return statement


def published_plans(db_session: Session, year: int) -> list[AnnualPlan]:
    """The district's published annual plan for ``year``: its published joint plans (for the
    public portal)."""
    return list(db_session.scalars(plans_of_year(year, PlanState.PUBLISHED.value)))


def plans_counting_towards_cap(db_session: Session, year: int) -> list[AnnualPlan]:
    """The submitted or published random plans of ``year``: the only ones the yearly cap counts
    (non-random plans of article 3 never do)."""
    return list(db_session.scalars(plans_of_year(year).where(
        AnnualPlan.plan_type == PlanType.RANDOM.value,
        AnnualPlan.state.in_((PlanState.SUBMITTED.value, PlanState.PUBLISHED.value)))))


ON_TIME, LATE, MISSING = "on_time", "late", "missing"


@dataclass(frozen=True)
class SubmissionStatus:
    """Whether a member unit submitted a plan for the year: on time, late or not at all."""

    department: Department
    status: str
    plan_ids: tuple[int, ...]


def submission_status(db_session: Session, year: int) -> list[SubmissionStatus]:
    """Each active member unit and whether it submitted a plan for ``year`` (as initiator or as a
    confirmed participant of a submitted plan): on time if any was on time, late if all were
    late, missing if none. Merged originals count: they were submitted."""
    submitted = list(db_session.scalars(plans_of_year(year).where(AnnualPlan.submitted_at.is_not(None),
                                                                  AnnualPlan.state != PlanState.WITHDRAWN.value)))
    by_department: dict[int, list[AnnualPlan]] = {}
    for plan in submitted:
        for department_id in {plan.department_id, *(p.department_id for p in plan.participants
                                                     if p.status == Confirmation.CONFIRMED.value)}:
            by_department.setdefault(department_id, []).append(plan)
    rows = []
    for department in db_session.scalars(select(Department).where(
            Department.active.is_(True), Department.is_office.is_(False)).order_by(Department.code)):
        plans = by_department.get(department.id, [])
        status = MISSING if not plans else LATE if all(p.late for p in plans) else ON_TIME
        rows.append(SubmissionStatus(department, status, tuple(p.id for p in plans)))
    return rows
