"""Personal data is masked the same way wherever it appears in the trail."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

import pytest

from spotcheck.audit import mask
from spotcheck.audit.masking import canonical_json, plain


@pytest.mark.parametrize(("value", "masked"), [
    ("13812345678", "138****5678"),
    ("630102199001011234", "6301**********1234"),
    ("63010219900101123X", "6301**********123X"),
    ("zhang@example.com", "z***@example.com"),
    ("0971-6123456", "097*****3456"),
    ("12345", "*****"),
    ("", ""),
    (None, None),
])
def test_mask(value, masked):
    assert mask(value) == masked


def test_plain_values_are_json_values():
    class Colour(str, enum.Enum):
        RED = "red"

    at = datetime(2026, 3, 1, 8, 30, 0, 5, tzinfo=timezone.utc)
    assert plain(Colour.RED) == "red"
    assert plain(at) == "2026-03-01T08:30:00.000005+00:00"
    assert plain(b"\x00\x01") == "<2 bytes>"


def test_canonical_json_is_sorted_compact_and_keeps_chinese():
    assert canonical_json({"b": 1, "a": "联席办"}) == '{"a":"联席办","b":1}'
