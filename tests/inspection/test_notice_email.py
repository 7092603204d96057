"""An e-mail notice is really sent: a real SMTP server (aiosmtpd) listens on this machine, and the
message that reaches it is read back."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.inspection.form_testing import make_form_task
from spotcheck.inspection.models import Notice, TaskState
from spotcheck.tenancy.scope import Scope, scoped

VISIT = date.today() + timedelta(days=3)
SENDER = "spotcheck@cdq.example.gov.cn"


@dataclass
class Inbox:
    """An SMTP handler keeping what it is sent, or refusing it when ``refuse`` is set."""

    refuse: bool = False
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refuse:
            return "554 5.7.1 Message rejected by policy"
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(app, monkeypatch) -> Iterator[Inbox]:
    """A running SMTP server on 127.0.0.1, and the app configured to send through it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": controller.port, "SMTP_STARTTLS": False,
                       "SMTP_FROM": SENDER}.items():
        monkeypatch.setitem(app.config, key, value)
    try:
        yield handler
    finally:
        controller.stop()


def send_notice(client, task, recipient: str = "contact@qhhs-jz.example.com"):
    return client.post(f"/tasks/{task.id}/notice", data={
        "channel": "email", "recipient": recipient, "visit_on": VISIT.isoformat(),
        "items": [str(i.id) for i in task.items], "message": "请准备好近三年的年度报告。"})


def only_notice(db_session, task) -> Notice:
    with scoped(db_session, Scope.system()):
        return db_session.scalars(select(Notice).where(Notice.task_id == task.id)).one()


def test_the_email_reaches_the_mail_server_in_chinese(factories, db_session, login_as, inbox):
    task = make_form_task(db_session, [factories.department("BBB")])
    assert send_notice(login_as("staff", "SCJG"), task).status_code == 302

    [(recipients, message)] = inbox.messages
    assert recipients == ["contact@qhhs-jz.example.com"]
    assert message["From"] == SENDER
    day = f"{VISIT.year}年{VISIT.month}月{VISIT.day}日"
    assert message["Subject"] == f"检查告知：城东区市场监督管理局联合检查组将于{day}到{task.target.name}检查"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert body.startswith(f"{task.target.name}：")
    assert f"定于{day}到贵单位开展检查" in body
    assert "1. 食品经营者的检查（城东区市场监督管理局）" in body
    assert "2. 食品经营者的检查（BBB局）" in body
    assert "请准备好近三年的年度报告。" in body

    notice = only_notice(db_session, task)
    assert (notice.channel, notice.delivery, notice.delivery_error) == ("email", "accepted", None)
    db_session.expire_all()
    assert task.state == TaskState.NOTIFIED.value


def test_a_message_the_server_refuses_is_recorded_and_the_task_stays_unnotified(db_session, login_as, inbox):
    inbox.refuse = True
    task = make_form_task(db_session)
    client = login_as("staff", "SCJG")
    answer = send_notice(client, task)
    assert answer.status_code == 302
    assert "Message rejected by policy" in client.get(answer.headers["Location"]).get_data(as_text=True)

    notice = only_notice(db_session, task)
    assert notice.delivery == "failed" and "554" in notice.delivery_error
    db_session.expire_all()
    assert task.state == TaskState.DISPATCHED.value
    audit = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "notice_record",
                                                         AuditRecord.object_id == str(notice.id))).one()
    assert '"delivery":"failed"' in audit.summary


def test_a_server_that_does_not_answer_is_a_failed_delivery(db_session, login_as, app, monkeypatch):
    for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": free_port(), "SMTP_STARTTLS": False,
                       "SMTP_FROM": SENDER}.items():
        monkeypatch.setitem(app.config, key, value)
    task = make_form_task(db_session)
    assert send_notice(login_as("staff", "SCJG"), task).status_code == 302
    notice = only_notice(db_session, task)
    assert notice.delivery == "failed" and "ConnectionRefusedError" in notice.delivery_error
