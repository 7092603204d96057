"""The audit trail: an append-only, hash-chained record of every change (seed art. 14, 20).

Every ORM create, update and delete is recorded automatically, in the same transaction, once
:func:`init_app` has installed the capture; sign-ins, failures, exports and other events that are
not row changes are recorded with :func:`record`. ``spotcheck audit verify`` (:mod:`.cli`) checks
the chain, and against the checkpoints of its head published outside the database
(:mod:`.checkpoint`, :mod:`.publishing`, :mod:`.public`) whether it was cut back or rewritten.
"""

from __future__ import annotations

from flask import Flask

from spotcheck.audit.capture import install
from spotcheck.audit.chain import ChainHead, VerifyResult
from spotcheck.audit.masking import mask
from spotcheck.audit.service import chain_head, record, set_actor, verify_chain
from spotcheck.db import get_database

__all__ = ["ChainHead", "VerifyResult", "chain_head", "init_app", "mask", "record", "set_actor",
           "verify_chain"]


def init_app(app: Flask) -> None:
    """Audit every unit of work of ``app`` (call after :func:`spotcheck.db.init_app`)."""
    install(get_database(app).sessionmaker)
