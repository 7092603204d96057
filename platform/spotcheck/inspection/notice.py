"""Advance notice (seed article 16(2)): before the visit the team tells the target, by telephone,
fax or e-mail, when it comes and which items it checks — unless the law forbids announcing an
item, in which case a notice naming it is refused.

A notice by telephone or fax records when and to whom it was given. A notice by e-mail is sent
through the configured mail server (:mod:`spotcheck.inspection.mailer`) and records whether the
server accepted it; a failed attempt is recorded too, and leaves the task unnotified. A notice
that reached the target moves a dispatched task to "target notified".

Services never commit; the caller checks who may act (:func:`~spotcheck.inspection.access.leads`)
and commits — also after a failed delivery, so the attempt stays on record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.inspection.mailer import MailError, MailSettings, compose, send
from spotcheck.inspection.models import NOTICE_CHANNELS, Notice, Task, TaskItem, TaskState
from spotcheck.inspection.tasks import TaskRefused, move
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

NOTICE_STATES = frozenset({TaskState.DISPATCHED, TaskState.NOTIFIED, TaskState.ONLINE_CHECKED})
"""Notice is given before the visit."""

ACCEPTED = "accepted"
FAILED = "failed"
DELIVERY_LABELS = {ACCEPTED: _l("Accepted by the mail server"), FAILED: _l("Not delivered")}
"""An e-mail notice's ``delivery``: the mail server accepted it, or did not."""

RECIPIENT_MAX = 200
MESSAGE_MAX = 2000
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A telephone told after the fact is recorded within this clock slack of "now".
_CLOCK_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class NoticeValues:
    """A notice as the team gives it. ``notified_at`` is when a telephone or fax notice was given
    (now when ``None``); an e-mail notice is given when it is sent."""

    channel: str
    recipient: str
    visit_on: date
    item_ids: tuple[int, ...]
    notified_at: datetime | None = None
    message: str | None = None


def item_code(item: TaskItem) -> str:
    """How a notice names an item: ``<department code>:<item code>``."""
    return f"{item.department_code}:{item.item_code}"


def check_notice(task: Task, values: NoticeValues, now: datetime, timezone: str) -> list[TaskItem]:
    """The items the notice names, when the notice may be given; :class:`TaskRefused` naming the
    field otherwise (``channel``, ``recipient``, ``items``, ``notice_forbidden``, ``visit_on``,
    ``notified_at``, ``state``)."""
    state = TaskState(task.state)
    if state not in NOTICE_STATES:
        raise TaskRefused("state", f"任务状态为“{state.label}”：检查前告知应在实地检查之前。",
                          f"The task is {state.label.lower()}: notice is given before the visit.")
    if values.channel not in NOTICE_CHANNELS:
        raise TaskRefused("channel", "告知方式应为电话、传真或电子邮件。", "Notify by telephone, fax or e-mail.")
    recipient = values.recipient.strip()
    if not recipient or len(recipient) > RECIPIENT_MAX:
        raise TaskRefused("recipient", f"请填写告知对象（最多{RECIPIENT_MAX}个字符）。",
                          f"Say whom the notice went to (at most {RECIPIENT_MAX} characters).")
    if values.channel == "email" and not _EMAIL.fullmatch(recipient):
        raise TaskRefused("recipient", f"“{recipient}”不是有效的电子邮件地址。",
                          f"“{recipient}” is not a valid e-mail address.")
    by_id = {item.id: item for item in task.items}
    chosen = [by_id[i] for i in dict.fromkeys(values.item_ids) if i in by_id]
    if not chosen or len(chosen) != len(set(values.item_ids)):
        raise TaskRefused("items", "请选择本任务中要告知的检查事项。", "Choose the task's items the notice names.")
    forbidden = [item for item in chosen if item.notice_forbidden]
    if forbidden:
        raise TaskRefused("notice_forbidden",
                          "法律法规规定检查前不得告知的事项不能告知：" + "、".join(f"“{i.name_zh}”" for i in forbidden) + "。",
                          "The law forbids announcing these items before the check: "
                          + ", ".join(f"“{i.name_en}”" for i in forbidden) + ".")
    notified_at = _notified_at(values, now)
    if notified_at > now + _CLOCK_SLACK:
        raise TaskRefused("notified_at", "告知时间不能晚于现在。", "The notice cannot have been given in the future.")
    if values.visit_on < notified_at.astimezone(ZoneInfo(timezone)).date():
        raise TaskRefused("visit_on", "检查日期不能早于告知日期。", "The visit cannot come before the notice.")
    if (message := values.message) and len(message) > MESSAGE_MAX:
        raise TaskRefused("message", f"附言最多{MESSAGE_MAX}个字符。", f"The message is at most {MESSAGE_MAX} characters.")
    return chosen


def record_notice(db_session: Session, task: Task, values: NoticeValues, by: str, mail: MailSettings | None,
                  timezone: str) -> Notice:
    """Give (an e-mail) or record (a telephone call, a fax) the notice; the notice recorded.

    An e-mail notice is refused while no mail server is configured; one the server does not
    accept is recorded with ``delivery`` "failed" and the server's answer, and the task stays as
    it was.
    """
    now = utcnow()
    items = check_notice(task, values, now, timezone)
    if values.channel == "email" and mail is None:
        raise TaskRefused("email_unconfigured", "本平台未配置邮件服务器，不能发送电子邮件告知；请以电话或传真告知后登记。",
                          "No mail server is configured, so no e-mail can be sent: notify by telephone or fax "
                          "and record that.")
    delivery = error = None
    if values.channel == "email":
        assert mail is not None
        subject, body = notice_text(db_session, task, items, values.visit_on, values.message,
                                    now.astimezone(ZoneInfo(timezone)).date())
        try:
            send(mail, compose(mail, values.recipient.strip(), subject, body))
            delivery = ACCEPTED
        except MailError as failure:
            delivery, error = FAILED, str(failure)
    with scoped(db_session, Scope.system()):
        notice = Notice(department_id=task.department_id, plan_id=task.plan_id, task_id=task.id,
                        channel=values.channel, recipient=values.recipient.strip(),
                        notified_at=_notified_at(values, now),
                        visit_on=values.visit_on, item_codes=[item_code(i) for i in items],
                        message=(values.message or "").strip() or None, delivery=delivery,
                        delivery_error=error, recorded_by=by)
        db_session.add(notice)
        db_session.flush()
    audit.record(db_session, "notice_record", "task_notice", notice.id,
                 {"task": task.id, "channel": notice.channel, "recipient": audit.mask(notice.recipient),
                  "visit_on": notice.visit_on.isoformat(), "items": notice.item_codes, "delivery": delivery})
    if delivery != FAILED and TaskState(task.state) is TaskState.DISPATCHED:
        move(db_session, task, TaskState.NOTIFIED, by)
    return notice


def _notified_at(values: NoticeValues, now: datetime) -> datetime:
    return now if values.channel == "email" or values.notified_at is None else values.notified_at


def notice_text(db_session: Session, task: Task, items: Sequence[TaskItem], visit_on: date,
                message: str | None, sent_on: date) -> tuple[str, str]:
    """Subject and body of an e-mail notice, in Chinese (the target reads it)."""
    with scoped(db_session, Scope.system()):
        target = db_session.scalars(select(Target).where(Target.id == task.target_id)).one()
        departments = dict(db_session.execute(select(Department.code, Department.name_zh)).all())
        initiator = db_session.scalars(select(Department).where(Department.id == task.department_id)).one()
    day = f"{visit_on.year}年{visit_on.month}月{visit_on.day}日"
    lines = [f"{target.name}：", "",
             f"根据部门联合“双随机、一公开”抽查工作安排，由{initiator.name_zh}牵头的联合检查组定于{day}"
             "到贵单位开展检查。检查事项如下：", ""]
    lines += [f"{n}. {item.name_zh}（{departments.get(item.department_code, item.department_code)}）"
              for n, item in enumerate(items, start=1)]
    lines += ["", "请届时安排熟悉情况的人员配合检查，并提前准备好与上述事项有关的证照、账簿、记录等材料。"]
    if message and message.strip():
        lines += ["", message.strip()]
    lines += ["", initiator.name_zh, f"{sent_on.year}年{sent_on.month}月{sent_on.day}日"]
    return f"检查告知：{initiator.name_zh}联合检查组将于{day}到{target.name}检查", "\n".join(lines)
