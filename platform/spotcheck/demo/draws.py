"""Demo draws: what the draw pages, the ceremony and the proofs show on a newcomer's machine.

- The catering joint plan (SCJG with WSJK): the office prepared its second batch for a public
  ceremony; meanwhile SCJG drew the first batch, with joint teams led by SCJG, which made that
  preparation stale — voided, with the reason — so the office prepared it again, and the new
  preparation awaits the ceremony (``make run`` shows it). On the first batch's teams one SCJG
  inspector was replaced (approved by the head) and another replacement awaits the head, and the
  demo inspector account signs in for the leader of the first team.
- The hazardous chemicals plan (YJGL with SCJG): drawn by the office.

Through the draw services, in the system scope. The server secret is random by design, so which
targets and inspectors are drawn differs from one database to the next; what happens does not.
Idempotent: a batch that has a draw is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from spotcheck.demo.accounts import DEMO_ACCOUNTS, acting_user
from spotcheck.demo.plans import CATERING_PLAN, CHEMICALS_PLAN, plan_named
from spotcheck.draw import service, teams
from spotcheck.draw.models import Draw, DrawCandidate, DrawSelection, Team
from spotcheck.hooks.validation import OFFICE_CODE
from spotcheck.planning.models import Batch, WorkPlanState
from spotcheck.planning.workplans import work_plan_of
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.tenancy.models import User
from spotcheck.tenancy.roles import Role

CATERING_ENTROPY = "城东区公证处现场监督，三名群众代表依次掷骰：4 2 6 1 5 3"
CHEMICALS_ENTROPY = "2026年5月6日中国福利彩票“快乐8”开奖号码前五位：03 17 22 41 58"

REPLACEMENTS = (
    ("post_change", "该检查人员已调任区局办公室，不再从事一线执法工作。", "同意更换。"),
    ("work_conflict", "与同期开展的校园食品安全专项整治任务时间冲突。", None),
)
"""On the first two teams of the catering draw, an SCJG member: approved by the head with the
note, or (``None``) awaiting the head."""


@dataclass
class DrawsReport:
    """What the demo draws made, and the draw awaiting the ceremony."""

    executed: int = 0
    voided: int = 0
    replacements: int = 0
    ceremony: Draw | None = None


def _approved_batches(db: Session, plan_name: str) -> list[Batch]:
    """The batches of the demo plan's approved work plan, by number (none without one)."""
    plan = plan_named(db, plan_name)
    work_plan = work_plan_of(db, plan) if plan is not None else None
    if work_plan is None or work_plan.state != WorkPlanState.APPROVED.value:
        return []
    return sorted(work_plan.batches, key=lambda b: b.number)


def _untouched(db: Session, batch: Batch) -> bool:
    return db.scalar(select(Draw.id).where(Draw.batch_id == batch.id).limit(1)) is None


def load_demo_draws(db: Session) -> DrawsReport:
    """Make the demo draws (after the demo plans) that are not made yet. Runs in ``db``'s system
    scope; the caller commits."""
    report = DrawsReport()
    office = acting_user(db, OFFICE_CODE, Role.OFFICE)
    catering = _approved_batches(db, CATERING_PLAN)
    if len(catering) >= 2 and _untouched(db, catering[0]):
        _catering(db, catering[0], catering[1], office, report)
    chemicals = _approved_batches(db, CHEMICALS_PLAN)
    if chemicals and _untouched(db, chemicals[0]):
        service.execute(db, service.prepare(db, chemicals[0], office), CHEMICALS_ENTROPY, office)
        report.executed += 1
    db.flush()
    return report


def _catering(db: Session, first: Batch, second: Batch, office: User, report: DrawsReport) -> None:
    initiator = first.work_plan.plan.initiator.code
    staff, head = acting_user(db, initiator, Role.STAFF), acting_user(db, initiator, Role.HEAD)
    ceremony = service.prepare(db, second, office)
    drawn = service.execute(db, service.prepare(db, first, staff), CATERING_ENTROPY, head)
    report.executed += 1
    # The second batch's catch-all stratum holds every target the first could draw; a database
    # loaded before it had one may not overlap, and then the preparation is simply still good.
    if _overlap(db, drawn, ceremony):
        try:
            service.execute(db, ceremony, "", office)
        except service.StaleDraw as stale:
            service.void(db, ceremony, stale.message_en, office)
            report.voided += 1
        ceremony = service.prepare(db, second, office)
    report.ceremony = ceremony
    _replace(db, drawn, initiator, staff, head, report)
    _link_demo_inspector(db, drawn, initiator)


def _overlap(db: Session, drawn: Draw, prepared: Draw) -> bool:
    """Whether ``drawn`` took one of the candidates ``prepared`` froze."""
    return db.scalar(select(DrawCandidate.target_id).join(DrawSelection, and_(
        DrawSelection.target_id == DrawCandidate.target_id, DrawSelection.draw_id == drawn.id))
        .where(DrawCandidate.draw_id == prepared.id).limit(1)) is not None


def _replace(db: Session, draw: Draw, department: str, staff: User, head: User, report: DrawsReport) -> None:
    drawn_teams = db.scalars(select(Team).where(Team.draw_id == draw.id).order_by(Team.position)
                             .limit(len(REPLACEMENTS))).all()
    for team, (ground, reason, note) in zip(drawn_teams, REPLACEMENTS):
        member = next((m for m in team.members if m.active and not m.leader and m.department_code == department),
                      None)
        if member is None:
            continue
        replacement = teams.request_replacement(db, member, ground, reason, staff)
        if note is not None:
            teams.approve_replacement(db, replacement, head, note)
            report.replacements += 1


def _link_demo_inspector(db: Session, draw: Draw, department: str) -> None:
    """The demo inspector account signs in for the leader of the draw's first team (when it is
    an inspector of the account's department, and neither is linked yet), so that its work
    queue shows a team."""
    account = next((a for a in DEMO_ACCOUNTS if a.role is Role.INSPECTOR and a.department_code == department), None)
    user = db.scalar(select(User).where(User.username == account.username)) if account else None
    team = db.scalar(select(Team).where(Team.draw_id == draw.id).order_by(Team.position).limit(1))
    leader = team.leader if team is not None else None
    if user is None or leader is None or db.scalar(select(Inspector.id).where(Inspector.user_id == user.id)):
        return
    inspector = db.get(Inspector, leader.inspector_id)
    if inspector is not None and inspector.user_id is None:
        inspector.user_id = user.id
        db.flush()
