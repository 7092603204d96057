"""Sending e-mail through the SMTP server the operator configures (``SMTP_*`` settings).

The standard library's :mod:`smtplib` and :mod:`email` do the work: a government intranet has its
own mail relay, and nothing beyond plain SMTP (with STARTTLS or implicit TLS, and an optional
login) is needed to hand it a message. Messages are UTF-8, their text base64-encoded, so a relay
without 8BITMIME passes Chinese text intact.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any


class MailError(Exception):
    """The mail server could not be reached, refused the login, or refused the message."""


@dataclass(frozen=True)
class MailSettings:
    """Where and how to hand a message over; see ``docs/configuration.md``, "E-mail"."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    ssl: bool = False
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings | None:
        """The app's settings, or ``None`` while no server (or no sender address) is set."""
        if not config.get("SMTP_HOST") or not config.get("SMTP_FROM"):
            return None
        return cls(host=config["SMTP_HOST"], port=int(config["SMTP_PORT"]), sender=config["SMTP_FROM"],
                   username=config.get("SMTP_USERNAME") or None, password=config.get("SMTP_PASSWORD"),
                   starttls=bool(config["SMTP_STARTTLS"]), ssl=bool(config["SMTP_SSL"]),
                   timeout=float(config["SMTP_TIMEOUT"]))


def compose(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message from the configured sender to ``to``."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body, charset="utf-8", cte="base64")
    return message


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Hand ``message`` to the server; :class:`MailError` (with the server's reason) otherwise.

    Success means the server accepted the message for delivery, which is all SMTP can tell.
    """
    try:
        if settings.ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.starttls and not settings.ssl:
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                client.login(settings.username, settings.password or "")
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error
