"""What a record may say about a value: JSON-able, personal data masked, secrets withheld."""

from __future__ import annotations

import enum
import json
from datetime import date, datetime, time
from typing import Any

SECRET_CHANGED = "changed"
"""Stands in for a secret's value: the trail says that it changed, never what it is."""


def mask(value: Any) -> str | None:
    """A personal value with its middle hidden, keeping enough to tell two apart.

    The one masking of personal data, in the audit trail and on every page, list, export and API
    answer: ``13812345678`` → ``138****5678``; ``630102199001011234`` (ID number, 18 characters)
    → ``6301**********1234``; ``zhang@example.com`` → ``z***@example.com``; a person's name (no
    digits) keeps its first and last character: ``张三明`` → ``张*明``, ``欧阳小明`` → ``欧**明``,
    ``张三`` → ``张*``. Other short values (numbers under 7 characters) are hidden entirely.
    """
    if value is None:
        return None
    text = str(plain(value))
    if "@" in text:
        local, _, domain = text.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if not any(character.isdigit() for character in text):
        return _mask_name(text)
    if len(text) >= 15:  # ID numbers (15 or 18), unified social credit codes (18)
        return text[:4] + "*" * (len(text) - 8) + text[-4:]
    if len(text) >= 7:  # phone numbers
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return "*" * len(text)


def _mask_name(name: str) -> str:
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def plain(value: Any) -> Any:
    """``value`` as a JSON value (timestamps in ISO 8601 with their offset)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    return str(value)  # Decimal, UUID and the like: their text is their exact value


def canonical_json(data: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, Chinese kept readable (the hashed form)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=plain)
