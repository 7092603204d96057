"""The name a target is published under.

The national enterprise credit information disclosure system publishes an entity's registered
name and its unified social credit code, and nothing about the people behind it beyond what the
law requires. An individual business (个体工商户) is a person trading: its registered name often
contains the operator's own name ("张三明便利店"), or is that name when the business has no trade
name. So the operator's name is masked wherever it appears in an individual business's name, with
:func:`spotcheck.audit.masking.mask`, the platform's one masking of personal data
(``张三明便利店`` → ``张*明便利店``). Every other kind is published under its registered name.
"""

from __future__ import annotations

from spotcheck.audit.masking import mask

MASKED_KINDS = frozenset({"individual_business"})
"""Kinds whose operator is a natural person named in the registered name."""


def public_name(kind: str, name: str, operator: str | None) -> str:
    """``name`` as published: for an individual business, the operator's name masked in it."""
    operator = (operator or "").strip()
    if kind not in MASKED_KINDS or not operator or operator not in name:
        return name
    return name.replace(operator, mask(operator) or "")
