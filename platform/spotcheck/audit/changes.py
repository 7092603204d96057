"""From a row's values to a record's summary: which columns, and how much of each to show.

A model says what is sensitive with class attributes, each a set of attribute names:
``__audit_personal__`` (shown masked), ``__audit_secret__`` (never shown; the summary says only
that it changed) and ``__audit_ignore__`` (bookkeeping: a change to these alone is not recorded,
e.g. a session's ``last_seen_at`` bumped on every request).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column
from sqlalchemy.orm import Mapper

from spotcheck.audit.masking import SECRET_CHANGED, mask, plain



@dataclass(frozen=True)
class Policy:
    """How a model's columns appear in the trail."""

    personal: frozenset[str]
    secret: frozenset[str]
    ignore: frozenset[str]

    def show(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` as the trail may show them."""
        return {key: SECRET_CHANGED if key in self.secret else mask(value) if key in self.personal
                else plain(value) for key, value in values.items()}


@functools.cache
def policy_of(mapper: Mapper[Any]) -> Policy:
    """The audit policy of a mapped class (its ``__audit_personal/secret/ignore__`` sets)."""

    def declared(kind: str) -> frozenset[str]:
        return frozenset(getattr(mapper.class_, f"__audit_{kind}__", ()))

    return Policy(personal=declared("personal"), secret=declared("secret"), ignore=declared("ignore"))


@functools.cache
def columns_of(mapper: Mapper[Any]) -> tuple[tuple[str, Column[Any]], ...]:
    """The (attribute name, column) pairs stored in a mapped class's own table(s)."""
    return tuple((prop.key, prop.columns[0]) for prop in mapper.column_attrs
                 if isinstance(prop.columns[0], Column) and prop.columns[0].table in mapper.tables)


def object_type(mapper: Mapper[Any]) -> str:
    """How records name a mapped class: its table, which outlives class renames."""
    return mapper.local_table.name  # type: ignore[attr-defined,no-any-return]


def created(policy: Policy, after: Mapping[str, Any]) -> dict[str, Any]:
    """The summary of a new row: its values (empty ones left out)."""
    return {"after": policy.show({k: v for k, v in after.items() if v is not None})}


def updated(policy: Policy, before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any] | None:
    """The summary of a changed row: before and after of each changed column.

    ``before`` and ``after`` hold the changed columns only. ``None`` when only bookkeeping changed.
    """
    keys = sorted(key for key in after if key not in policy.ignore)
    if not keys:
        return None
    return {"before": policy.show({k: before.get(k) for k in keys if k not in policy.secret}),
            "after": policy.show({k: after[k] for k in keys})}


def deleted(policy: Policy, before: Mapping[str, Any]) -> dict[str, Any]:
    """The summary of a removed row: what it held (secrets and empty values left out)."""
    return {"before": policy.show({k: v for k, v in before.items()
                                   if v is not None and k not in policy.secret})}
