"""The daily checkpoint sweep, and the outlets that carry each checkpoint out of the database.

Besides the public portal (``/public/audit-checkpoints``, :mod:`spotcheck.audit.public`), which
anyone may save, a checkpoint goes

- into a file (``AUDIT_CHECKPOINT_FILE``), meant to live on another host's mount or a write-once
  medium: entries already in it are kept as they are, only the new one is added, so rewriting the
  database never rewrites the file;
- by e-mail to ``AUDIT_CHECKPOINT_EMAIL`` (through the ``SMTP_*`` server), e.g. to the discipline
  inspection office or the security administrator's own mailbox;
- by an HTTP POST of the checkpoint document to ``AUDIT_CHECKPOINT_URL`` (a timestamping or
  archiving service of the government cloud, say).

An outlet that fails is reported in the sweep's output and the trail; the checkpoint stands.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy.orm import Session

from spotcheck.audit import checkpoint as checkpoints, service
from spotcheck.audit.checkpoint import CheckpointRefused, Published
from spotcheck.inspection.mailer import MailError, MailSettings, compose, send

_POST_TIMEOUT = 30


@dataclass(frozen=True)
class Outcome:
    """What taking a checkpoint did, as lines to print; ``refused`` when none could be taken."""

    lines: list[str]
    refused: bool = False


def take_and_publish(db_session: Session) -> Outcome:
    """Checkpoint the chain's head in ``db_session`` (not committed) and publish it.

    A refusal (the chain does not hold the last checkpoint, or is broken) is recorded in the trail
    and reported, never certified.
    """
    try:
        made = checkpoints.make_checkpoint(db_session)
    except CheckpointRefused as refused:
        service.record(db_session, "checkpoint_refused", "audit_checkpoint", None, {"reason": str(refused)})
        return Outcome([f"REFUSED: {refused}"], refused=True)
    if made is None:
        return Outcome([])
    entry = checkpoints.published(made)
    lines = [f"checkpoint {made.id}: record {entry.record_id} {entry.hash}"]
    for outlet, outcome in _publish(current_app.config, entry):
        service.record(db_session, "checkpoint_publish", "audit_checkpoint", made.id,
                       {"outlet": outlet, "outcome": outcome})
        lines.append(f"{outlet}: {outcome}")
    return Outcome(lines)


def checkpoint_sweep(db_session: Session, _today: date) -> list[str]:
    """The ``audit-checkpoint`` sweep of ``spotcheck sweep``: :func:`take_and_publish`."""
    return take_and_publish(db_session).lines


def _publish(config: dict[str, Any], entry: Published) -> list[tuple[str, str]]:
    outcomes = []
    if config.get("AUDIT_CHECKPOINT_FILE"):
        outcomes.append(("file", append_to_file(Path(config["AUDIT_CHECKPOINT_FILE"]), entry)))
    recipients = _recipients(config.get("AUDIT_CHECKPOINT_EMAIL"))
    if recipients:
        outcomes.append(("e-mail", mail(config, recipients, entry)))
    if config.get("AUDIT_CHECKPOINT_URL"):
        outcomes.append(("url", post(config["AUDIT_CHECKPOINT_URL"], entry)))
    return outcomes


def _recipients(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [item.strip() for item in items if item.strip()]


def append_to_file(path: Path, entry: Published) -> str:
    """Add ``entry`` to the checkpoint document at ``path`` (made if missing); what happened.

    The entries already there are never changed or dropped; a file that is not a checkpoint
    document is left alone and reported.
    """
    try:
        kept = checkpoints.parse(json.loads(path.read_bytes())) if path.exists() else []
    except ValueError as error:  # json.JSONDecodeError is a ValueError too
        return f"FAILED: {path} is not a checkpoint document, left as it is ({error})"
    if any(old.record_id == entry.record_id and old.hash == entry.hash for old in kept):
        return f"already in {path}"
    text = json.dumps(checkpoints.document([*kept, entry]), ensure_ascii=False, indent=1)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside it and rename: a crash mid-write never leaves half a document.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        os.replace(temporary, path)
    except OSError as error:
        return f"FAILED: cannot write {path}: {error}"
    return f"written to {path}"


def mail(config: dict[str, Any], recipients: list[str], entry: Published) -> str:
    """Send ``entry`` to ``recipients``; what happened."""
    settings = MailSettings.from_config(config)
    if settings is None:
        return "FAILED: no mail server (SMTP_HOST and SMTP_FROM) is configured"
    with force_locale(config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Audit chain checkpoint: record %(id)d", id=entry.record_id)
        body = _("At %(time)s the newest record of the platform's audit trail was record %(id)d, with "
                 "hash %(hash)s.\n\nKeep this message. Should the trail ever be cut back or rewritten, "
                 "it will no longer hold this record with this hash, and \"spotcheck audit verify "
                 "--against\" a file of these checkpoints shows it.",
                 time=entry.made_at, id=entry.record_id, hash=entry.hash)
    body += "\n\n" + json.dumps(checkpoints.document([entry]), ensure_ascii=False, indent=1) + "\n"
    try:
        send(settings, compose(settings, ", ".join(recipients), subject, body))
    except MailError as error:
        return f"FAILED: {error}"
    return f"sent to {', '.join(recipients)}"


def post(url: str, entry: Published) -> str:
    """POST ``entry``, as a checkpoint document of one, to ``url``; what happened."""
    body = json.dumps(checkpoints.document([entry]), ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=_POST_TIMEOUT) as response:
            return f"posted to {url} ({response.status})"
    except (OSError, ValueError) as error:  # urllib's HTTPError and URLError are OSErrors
        return f"FAILED: {url}: {error}"
