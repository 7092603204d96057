"""Demo inspection tasks: the demo draws' tasks walked through the states the inspection services
reach — what the work queue, the task pages, the forms and the sweep show on a newcomer's machine.

On each executed demo draw (the first batch of the catering plan, led by SCJG, and of the
hazardous chemicals plan, led by YJGL), the tasks in team order take the walks of :data:`WALKS`;
the rest stay dispatched. Between them the demo holds tasks dispatched (some with the visit
scheduled), notified by telephone or fax, checked online (each plugin's own pre-check asked, and a
question verified by hand), on site, recorded (every item on its plugin's form, with findings on
some, a non-cooperation case with its article 18 situations, evidence photos), reviewed (approved
by the initiating head: demo-head for the catering plan), returned with a reason (still on site,
or recorded again), and overdue: the check ended in mid-2026 and the results were not recorded
within 7 working days, marked by the overdue sweep (one recorded late, which stays counted).
Published and closed belong to the publication of results, not to this module.

The demo inspector leads the catering draw's first team (:mod:`spotcheck.demo.draws`), and
whichever others the draw gave him; the teams he leads take the first walks (on site, notified,
checked online, returned, overdue, recorded, reviewed, …), so his work queue shows those states as
far as he has teams. Where he leads or is on the team he acts; otherwise the department's demo
staff account does, or its stand-in.

The story's days are fixed in 2026, inside the batches' windows (the visits 4 weeks into the
window, every other working day); the 2025–2026 working-day calendars are seeded from the
``chinesecalendar`` package when missing. Through the inspection services, in the system scope.
Idempotent: a draw any of whose tasks left "dispatched" or has a visit scheduled is left as it is.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from spotcheck.calendar.seed import seed
from spotcheck.calendar.service import WorkingCalendar, load_calendar
from spotcheck.demo.accounts import DEMO_ACCOUNTS, acting_user
from spotcheck.demo.plans import CATERING_PLAN, CHEMICALS_PLAN, plan_named
from spotcheck.draw.models import Draw, DrawState, Team
from spotcheck.hooks import get_registry
from spotcheck.hooks.definitions import ChecklistFormDef, FormFieldDef
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection import access, evidence, forms, notice, online, results, review, schedule, sweep
from spotcheck.inspection.models import ResultCategory, Task, TaskItem, TaskState
from spotcheck.planning.models import Batch
from spotcheck.tenancy.models import User
from spotcheck.tenancy.roles import Role

CALENDAR_YEARS = (2025, 2026)
"""The years the demo's deadlines fall in."""


@dataclass(frozen=True)
class Walk:
    """How far one task goes, and how: advance notice (``"phone"``, ``"fax"``) or none, the online
    check, the visit, which items are recorded (``"first"``: the initiator's first; ``"all"``),
    with which findings (``"problem"``: one of :data:`PROBLEMS`; ``"non_cooperation"``), an evidence
    photo, the check ended, the result (``category`` ``None``: as the findings suggest), the
    review (``"approve"``, ``"return"``, ``"return_and_record"``: returned, then recorded again
    with a finding), and ``late``: the result recorded only after the sweep marked the task
    overdue."""

    notice: str | None = None
    online: bool = False
    on_site: bool = False
    record: str | None = None
    findings: str | None = None
    evidence: bool = False
    ended: bool = False
    result: bool = False
    category: ResultCategory | None = None
    review: str | None = None
    late: bool = False


WALKS: tuple[Walk, ...] = (
    # The first ones go to the demo inspector's own teams: a task in each state he works in.
    # On site, the first item recorded:
    Walk(online=True, on_site=True, record="first"),
    # Notified; checked online:
    Walk(notice="phone"),
    Walk(notice="phone", online=True),
    # Returned by the head: on site again, with the reason:
    Walk(notice="phone", on_site=True, record="all", ended=True, result=True, review="return"),
    # Overdue: the check ended, nothing recorded:
    Walk(notice="phone", on_site=True, ended=True),
    # Recorded; reviewed:
    Walk(notice="phone", on_site=True, record="all", evidence=True, ended=True, result=True),
    Walk(notice="phone", online=True, on_site=True, record="all", evidence=True, ended=True, result=True,
         review="approve"),
    # Dispatched, the visit scheduled; notified by fax:
    Walk(),
    Walk(notice="fax"),
    # Findings: recorded as corrected; reviewed as awaiting further handling:
    Walk(on_site=True, record="all", findings="problem", evidence=True, ended=True, result=True,
         category=ResultCategory.CORRECTED),
    Walk(notice="fax", on_site=True, record="all", findings="problem", ended=True, result=True,
         review="approve"),
    # Unannounced: the target refused its records and misinformed the team; reviewed:
    Walk(on_site=True, record="all", findings="non_cooperation", ended=True, result=True, review="approve"),
    # Returned, then recorded again with a finding:
    Walk(notice="phone", on_site=True, record="all", ended=True, result=True, review="return_and_record"),
    # Overdue, partly recorded; overdue, recorded late:
    Walk(on_site=True, record="first", ended=True),
    Walk(notice="fax", on_site=True, record="all", ended=True, result=True, late=True),
)
"""The walks of a draw's tasks, in order; the tasks after them stay dispatched."""

SCHEDULE_NOTE = "联合进户检查，请各部门检查人员携带执法记录仪和执法证件，提前十分钟到达。"
NOTICE_MESSAGE = "请法定代表人或熟悉情况的负责人在场，并准备好营业执照、许可证件和相关台账。"
ONLINE_NOTE = "在本部门业务系统中查询到该单位的许可和登记信息，已核实：{question}"
REMARK = "现场检查发现：{finding}。"
PROBLEMS: dict[str, tuple[str, dict[str, Any]]] = {
    "food_business": ("purchase_records_missing", {"purchase_records_kept": False}),
    "measuring_instruments": ("unverified_instrument", {"verified_in_period": False}),
    "public_place_hygiene": ("no_hygiene_management", {"responsibility_system": False}),
    "special_equipment_use": ("overdue_periodic_inspection", {"periodic_inspection_valid": False}),
    "hazardous_chemicals_business": ("no_safety_data_sheet", {"data_sheets_and_labels": False}),
    "safety_responsibility": ("no_work_injury_insurance", {"work_injury_insurance": False}),
}
"""The problem the team finds, by item, and the answers that say so (another item: the first
finding it declares)."""
NON_COOPERATION_REMARKS = {
    "refused_records": "当事人拒绝提供进货台账和许可证明材料，经释明法律后果后仍拒不提供。",
    "untruthful_information": "当事人提供的从业人员名单与现场核实情况明显不符。",
}
"""The non-cooperation case: the initiator's item, then another department's."""
APPROVE_NOTE = "检查记录完整，结果类别与发现的问题相符，同意公示。"
RETURN_REASON = "“{item}”的检查记录表与现场检查笔录不一致，请核实后重新填写并补充说明。"
PHOTO_NAME = "经营场所门头照片.png"
PHOTO_DESCRIPTION = "现场检查时拍摄的经营场所门头及营业执照悬挂位置。"
TEXT_ANSWER = "详见现场检查笔录。"

ANSWERS: dict[str, Any] = {
    # Questions asking whether a problem was found: a target in order answers no.
    "expired_food_found": False, "accuracy_impaired": False, "arrears": False, "minors_present": False,
    "minors_employed": False, "tips_or_pressure": False, "shopping_or_extras": False,
    "toxic_or_explosive_precursors": False,
    # A small shop's counts, and the kind of public place a restaurant comes closest to.
    "staff_checked": 6, "customer_facing_staff": 4, "staff_with_certificate": 4, "instruments_checked": 3,
    "equipment_count": 2, "place_kind": "cafe_bar",
}
"""Answers of the bundled plugins' questions where the form's defaults would not fit a target in
order (the defaults: yes, the first choice, the smallest count allowed, the day of the visit)."""


@dataclass(frozen=True)
class Finding:
    """A finding to record on an item: its code, the remark saying what was seen, and the answers
    that differ from a target in order."""

    code: str
    remark: str
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass
class TasksReport:
    """What the demo tasks did: tasks walked, tasks the sweep marked overdue, calendar years seeded."""

    walked: int = 0
    overdue: int = 0
    calendar_years: list[int] = field(default_factory=list)


def load_demo_tasks(db: Session, today: date) -> TasksReport:
    """Walk the tasks of the demo draws not walked yet (after the demo draws), seeding the
    calendar years the story needs when missing, then run the overdue sweep as of ``today``.
    Runs in ``db``'s system scope; the caller commits."""
    report = TasksReport(calendar_years=seed(db, CALENDAR_YEARS).created)
    walker = _Walker(db, load_calendar(db), today)
    late: list[tuple[Task, User]] = []
    for draw in demo_draws(db):
        if _walked(db, draw):
            continue
        actors = _Actors(db, draw)
        tasks = _tasks(db, draw, actors)
        for index, (walk, task) in enumerate(zip(WALKS, tasks)):
            day = walker.calendar.add_working_days(draw.batch.window_start + timedelta(weeks=4), 2 * index)
            walker.walk(task, walk, day, actors)
            if walk.late:
                late.append((task, actors.leader(task)))
            report.walked += 1
    report.overdue = len(sweep.overdue_sweep(db, today))
    for task, leader in late:
        walker.result(task, None, leader)
    db.flush()
    return report


def demo_draws(db: Session) -> list[Draw]:
    """The executed draws of the demo plans' first batches (a draw a user executes later, such as
    the one awaiting its ceremony, is theirs to walk)."""
    plans = [plan.id for plan in (plan_named(db, CATERING_PLAN), plan_named(db, CHEMICALS_PLAN)) if plan]
    return list(db.scalars(
        select(Draw).join(Batch, Batch.id == Draw.batch_id)
        .where(Draw.plan_id.in_(plans), Batch.number == 1, Draw.state == DrawState.EXECUTED.value)
        .order_by(Draw.id)))


def _walked(db: Session, draw: Draw) -> bool:
    return db.scalar(select(Task.id).where(Task.draw_id == draw.id, or_(
        Task.state != TaskState.DISPATCHED.value, Task.scheduled_on.is_not(None))).limit(1)) is not None


class _Actors:
    """Who acts on a draw's tasks: the demo inspector where he leads or is on the team, else the
    department's demo staff account (or its stand-in); the initiating head reviews."""

    def __init__(self, db: Session, draw: Draw) -> None:
        self.db = db
        self.initiator = draw.initiator.code
        self.head = acting_user(db, self.initiator, Role.HEAD)
        account = next(a for a in DEMO_ACCOUNTS if a.role is Role.INSPECTOR)
        self.inspector = db.scalar(select(User).where(User.username == account.username))

    def leads(self, task: Task) -> bool:
        return self.inspector is not None and access.leads(self.db, self.inspector, task)

    def leader(self, task: Task) -> User:
        if self.inspector is not None and self.leads(task):
            return self.inspector
        return acting_user(self.db, self.initiator, Role.STAFF)

    def recorder(self, task: Task, item: TaskItem) -> User:
        if self.inspector is not None and access.records(self.db, self.inspector, task, item):
            return self.inspector
        return acting_user(self.db, item.department_code, Role.STAFF)


def _tasks(db: Session, draw: Draw, actors: _Actors) -> list[Task]:
    """The draw's tasks in team order, those the demo inspector leads first."""
    tasks = db.scalars(select(Task).join(Team, Team.id == Task.team_id).where(Task.draw_id == draw.id)
                       .order_by(Team.position)).all()
    return sorted(tasks, key=lambda task: not actors.leads(task))


class _Walker:
    """One load's walks: the services, the plugins, the evidence storage, the calendar."""

    def __init__(self, db: Session, calendar: WorkingCalendar, today: date) -> None:
        self.db = db
        self.calendar = calendar
        self.today = today
        self.registry: PluginRegistry = get_registry()
        self.storage = evidence.Storage.of(current_app)
        self.timezone = str(current_app.config["BABEL_DEFAULT_TIMEZONE"])

    def walk(self, task: Task, walk: Walk, day: date, actors: _Actors) -> None:
        """Take ``task`` along ``walk``, visited on ``day``."""
        leader = actors.leader(task)
        schedule.schedule(self.db, task, day, SCHEDULE_NOTE)
        if walk.notice:
            self.notify(task, walk.notice, day, leader)
        if walk.online:
            self.check_online(task, actors)
        if walk.on_site:
            schedule.start_on_site(self.db, task, leader)
        recorded = {"first": [_first_item(task)], "all": task.items}.get(walk.record or "", [])
        findings = _findings(self.db, task, walk.findings) if walk.findings else {}
        for item in recorded:
            self.record(task, item, day, actors, findings.get(item.id))
        if walk.evidence:
            self.attach_photo(task, actors)
        if walk.ended:
            schedule.end_check(self.db, self.registry, task, day, self.today)
        if walk.result and not walk.late:
            self.result(task, walk.category, leader)
        if walk.review == "approve":
            review.approve(self.db, task, actors.head, APPROVE_NOTE)
        elif walk.review in ("return", "return_and_record"):
            item = task.items[-1]
            review.return_results(self.db, task, actors.head, RETURN_REASON.format(item=item.name_zh))
            if walk.review == "return_and_record":
                self.record(task, item, day, actors, _problem(self.db, item))
                self.result(task, None, leader)

    def notify(self, task: Task, channel: str, day: date, leader: User) -> None:
        """A telephone or fax notice three days before the visit, of every item the law lets
        the team announce (none: the visit is unannounced)."""
        items = tuple(item.id for item in task.items if not item.notice_forbidden)
        if not items:
            return
        target = task.target
        person = target.legal_representative or "负责人"
        recipient = (f"{person}（法定代表人），电话 0971-{6100000 + task.id}" if channel == "phone"
                     else f"{target.name}办公室，传真 0971-{6200000 + task.id}")
        given = datetime.combine(day - timedelta(days=3), time(9, 30), ZoneInfo(self.timezone))
        values = notice.NoticeValues(channel, recipient, day, items, given, NOTICE_MESSAGE)
        notice.record_notice(self.db, task, values, leader.username, None, self.timezone)

    def check_online(self, task: Task, actors: _Actors) -> None:
        """Ask every item's plugin for its pre-check; where the initiator's first item has none,
        an inspector verifies its first question by hand."""
        online.run_online_check(self.db, self.registry, task, task.items, actors.leader(task).username)
        item = _first_item(task)
        if item.online_status not in online.KEEPS_MANUAL:
            return
        question = forms.form_definition(self.registry, item).fields[0]
        online.verify_manually(self.db, self.registry, task, item, [question.name],
                               ONLINE_NOTE.format(question=question.label_zh),
                               actors.recorder(task, item).username)

    def record(self, task: Task, item: TaskItem, day: date, actors: _Actors,
               finding: Finding | None) -> None:
        """Record ``item`` on its plugin's form: a target found in order, or with ``finding``."""
        form = forms.form_definition(self.registry, item)
        choices = forms.item_choices(self.db, item)
        methods = [m for m in ("onsite", "documentary") if m in choices.methods] or list(choices.methods[:1])
        if item.online_fields and "online" in choices.methods:
            methods.append("online")
        payload = {"answers": _answers(form, item, day, finding), "methods": methods,
                   "findings": [finding.code] if finding else []}
        forms.record_item(self.db, self.registry, task, item, payload, actors.recorder(task, item).username)

    def attach_photo(self, task: Task, actors: _Actors) -> None:
        """A photo of the premises, attached by the first recorder with an account."""
        user = next((u for u in (actors.recorder(task, i) for i in task.items) if u.id is not None), None)
        if user is not None:
            evidence.attach(self.db, task, io.BytesIO(_photo()), PHOTO_NAME, PHOTO_DESCRIPTION, user,
                            self.storage)

    def result(self, task: Task, category: ResultCategory | None, leader: User) -> None:
        """Record the result: ``category``, or what the findings suggest."""
        suggestion = results.suggest(task)
        chosen = category or suggestion.category
        results.record_result(self.db, self.registry, task, chosen.value, list(suggestion.non_cooperation),
                              leader)


def _problem(db: Session, item: TaskItem) -> Finding:
    """The problem the team finds on ``item`` (:data:`PROBLEMS`)."""
    code, answers = PROBLEMS.get(item.item_code, ("", {}))
    declared = [c for c in forms.item_choices(db, item).findings if c.label_zh]
    choice = next((c for c in declared if c.code == code), declared[0])
    remark = REMARK.format(finding=choice.label_zh)
    return Finding(choice.code, remark, answers if choice.code == code else {})


def _first_item(task: Task) -> TaskItem:
    """The initiating department's first item on the task."""
    return next((i for i in task.items if i.department_id == task.department_id), task.items[0])


def _findings(db: Session, task: Task, kind: str) -> dict[int, Finding]:
    """Item id → finding: a problem on the initiator's first item, or non-cooperation on it and on
    the first item of another department."""
    first = _first_item(task)
    if kind == "problem":
        return {first.id: _problem(db, first)}
    other = next((i for i in task.items if i.department_code != first.department_code), None)
    pairs = zip((first, other), NON_COOPERATION_REMARKS.items())
    return {item.id: Finding(code, remark) for item, (code, remark) in pairs if item is not None}


def _answers(form: ChecklistFormDef, item: TaskItem, day: date, finding: Finding | None) -> dict[str, Any]:
    """Answers to every required question still asked, built from the form's definition for a
    target found in order — or, with ``finding``, changed where it says so, with the remarks."""
    asked = {field.name: field for field in forms.asked_fields(form, item)}
    answers = {name: _answer(field, day) for name, field in asked.items() if field.required}
    if finding is not None:
        answers.update({name: value for name, value in finding.answers.items() if name in asked})
        if "remarks" in asked:
            answers["remarks"] = finding.remark
    return answers


def _answer(field: FormFieldDef, day: date) -> Any:
    if field.type in ("integer", "decimal"):
        count = ANSWERS.get(field.name, int(field.min or 0))
        return count if field.type == "integer" else str(count)
    if field.name in ANSWERS:
        return ANSWERS[field.name]
    if field.type == "boolean":
        return True
    if field.type == "date":
        return day.isoformat()
    if field.type == "choice":
        return field.choices[0].value
    if field.type == "multichoice":
        return [field.choices[0].value]
    return TEXT_ANSWER


def _photo(width: int = 48, height: int = 32) -> bytes:
    """A small PNG drawn here — a red shop sign over a grey wall — standing in for a photo of
    the premises (evidence is judged by its content, so it is a real image)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    sign, wall = bytes((178, 34, 34)) * width, bytes((190, 190, 182)) * width
    pixels = b"".join(b"\x00" + (sign if 4 <= y < 12 else wall) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))

