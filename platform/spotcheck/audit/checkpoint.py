"""Checkpoints of the chain's head, published outside the database (等保: tamper evidence).

The hash chain proves that no record inside it was altered or removed from the middle, but someone
with the database in hand can cut records off the end, or rewrite the chain from some record on and
recompute every hash after it: the shorter or rewritten chain still verifies. A checkpoint names the
head (record id and hash) at a moment; once copies of it are out of the database's reach (the public
portal's list, which anyone may save; an e-mail; a file on another host), any later chain must still
hold that record with that hash. :func:`compare` checks exactly that.

A new checkpoint is made only from a chain verified up to the head, starting from the previous
checkpoint (which must itself still hold), so a break is reported instead of being certified.
"""

from __future__ import annotations

import enum
import json
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.audit import chain
from spotcheck.audit.chain import ChainHead, VerifyResult
from spotcheck.audit.models import AuditCheckpoint, AuditRecord
from spotcheck.db import utcnow

FORMAT = "spotcheck-audit-checkpoints-v1"
"""The ``format`` of the published document (the portal's JSON, the file outlet, e-mails)."""

_CHUNK = 500  # ids per query when comparing, well under every backend's parameter limit
_FETCH_TIMEOUT = 30


class CheckpointRefused(Exception):
    """No checkpoint was made: the chain does not hold what the last one certified, or is broken."""


@dataclass(frozen=True)
class Published:
    """One checkpoint as published: the head's record id and hash, and when it was taken."""

    record_id: int
    hash: str
    made_at: str

    def as_json(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "hash": self.hash, "made_at": self.made_at}


def published(checkpoint: AuditCheckpoint) -> Published:
    """``checkpoint`` as it is published."""
    return Published(checkpoint.record_id, checkpoint.record_hash,
                     checkpoint.made_at.isoformat(timespec="seconds"))


def document(checkpoints: Iterable[Published]) -> dict[str, Any]:
    """The published document: every checkpoint, oldest first."""
    return {"format": FORMAT,
            "checkpoints": [c.as_json() for c in sorted(checkpoints, key=lambda c: c.record_id)]}


class Mismatch(str, enum.Enum):
    """How the chain disagrees with a published checkpoint."""

    MISSING = "missing"  # the chain was cut back (truncated) before the checkpoint's record
    REWRITTEN = "rewritten"  # the record is there with another hash: rewritten from there on


@dataclass(frozen=True)
class Disagreement:
    """A published checkpoint the chain no longer holds."""

    checkpoint: Published
    mismatch: Mismatch
    found_hash: str | None

    def __str__(self) -> str:
        where = f"checkpoint of {self.checkpoint.made_at} (record {self.checkpoint.record_id})"
        if self.mismatch is Mismatch.MISSING:
            return f"{where}: the record is missing: the chain was truncated"
        return (f"{where}: published hash {self.checkpoint.hash}, the chain holds {self.found_hash}: "
                "the chain was rewritten")


# -- making one ---------------------------------------------------------------------------------

def stored(db_session: Session) -> list[AuditCheckpoint]:
    """Every checkpoint kept in the database, newest first."""
    return list(db_session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())))


def make_checkpoint(db_session: Session) -> AuditCheckpoint | None:
    """Take a checkpoint of the chain's head in ``db_session`` (not committed); ``None`` if the
    trail is empty.

    The chain is verified from the last checkpoint on first; raises :class:`CheckpointRefused`
    naming the problem instead of certifying a chain that does not hold.
    """
    connection = db_session.connection(bind_arguments={"mapper": AuditRecord})
    last = db_session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).first()
    start = None
    if last is not None:
        start = ChainHead(last.record_id, last.record_hash)
        held = compare(db_session, [published(last)])
        if held:
            raise CheckpointRefused(str(held[0]))
    result: VerifyResult = chain.verify(connection, after=start)
    if result.broken is not None:
        raise CheckpointRefused(f"the chain is broken at {result.broken}")
    if result.head is None:
        return None
    checkpoint = AuditCheckpoint(made_at=utcnow(), record_id=result.head.id, record_hash=result.head.hash)
    db_session.add(checkpoint)
    db_session.flush()
    return checkpoint


# -- checking against published copies ----------------------------------------------------------

def compare(db_session: Session, checkpoints: Sequence[Published]) -> list[Disagreement]:
    """The published ``checkpoints`` the chain no longer holds (empty when it holds them all)."""
    found: dict[int, str] = {}
    ids = sorted({c.record_id for c in checkpoints})
    for start in range(0, len(ids), _CHUNK):
        found.update((record_id, digest) for record_id, digest in db_session.execute(
            select(AuditRecord.id, AuditRecord.hash).where(AuditRecord.id.in_(ids[start:start + _CHUNK]))))
    disagreements = []
    for checkpoint in sorted(checkpoints, key=lambda c: c.record_id):
        held = found.get(checkpoint.record_id)
        if held is None:
            disagreements.append(Disagreement(checkpoint, Mismatch.MISSING, None))
        elif held != checkpoint.hash:
            disagreements.append(Disagreement(checkpoint, Mismatch.REWRITTEN, held))
    return disagreements


def load(source: str) -> list[Published]:
    """The checkpoints of a published document: a file path, or an ``http(s)://`` URL.

    Raises :class:`ValueError` naming what is wrong with the document.
    """
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=_FETCH_TIMEOUT) as response:
            raw = response.read()
    else:
        raw = Path(source).read_bytes()
    return parse(json.loads(raw))


def parse(doc: Any) -> list[Published]:
    """The checkpoints of a published document (see :func:`document`)."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"not a checkpoint document: its format is not {FORMAT!r}")
    entries = doc.get("checkpoints")
    if not isinstance(entries, list):
        raise ValueError("not a checkpoint document: 'checkpoints' is not a list")
    parsed = []
    for index, entry in enumerate(entries):
        try:
            parsed.append(Published(int(entry["record_id"]), str(entry["hash"]), str(entry["made_at"])))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"checkpoints[{index}]: {error!r} is missing or invalid") from error
    return parsed
