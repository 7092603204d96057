"""Personal data is masked the same way wherever it appears in the trail."""

from __future__ import annotations

import enum
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

import spotcheck.audit
from spotcheck.audit import mask
from spotcheck.audit.masking import canonical_json, plain
from spotcheck.audit.models import AuditRecord
from spotcheck.registry.targets.codes import mask_changes
from spotcheck.registry.targets.models import TargetEvent
from spotcheck.registry.targets.testing import make_target
from spotcheck.tenancy.scope import Scope, scoped


@pytest.mark.parametrize(("value", "masked"), [
    ("13812345678", "138****5678"),
    ("630102199001011234", "6301**********1234"),
    ("63010219900101123X", "6301**********123X"),
    ("zhang@example.com", "z***@example.com"),
    ("0971-6123456", "097*****3456"),
    ("12345", "*****"),
    # Names (no digits) keep their first and last character, as on the target list.
    ("张三明", "张*明"),
    ("张三", "张*"),
    ("欧阳小明", "欧**明"),
    ("张", "*"),
    ("阿卜杜热合曼·买买提", "阿********提"),  # long, yet a name: not masked like a phone number
    ("John Smith", "J********h"),
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


def test_the_trail_masks_a_legal_representative_as_the_directory_does(db_session, factories):
    department = factories.department("SCJG")
    target = make_target(db_session, department, legal_representative="张三明")
    created = db_session.scalars(select(AuditRecord).where(
        AuditRecord.object_type == "target", AuditRecord.object_id == str(target.id),
        AuditRecord.action == "create")).one()
    assert json.loads(created.summary)["after"]["legal_representative"] == "张*明"
    with scoped(db_session, Scope.department(department.id)):
        history = db_session.scalars(select(TargetEvent).where(TargetEvent.target_id == target.id)).all()
    assert [e.changes["legal_representative"] for e in history if "legal_representative" in e.changes] \
        == [[None, "张*明"]]


def test_the_directory_masks_with_the_audit_function():
    assert mask_changes({"legal_representative": ["张三明", "欧阳小明"], "name": "福瑞餐饮店"}) == {
        "legal_representative": ["张*明", "欧**明"], "name": "福瑞餐饮店"}
    assert mask_changes({"legal_representative": "张三"}) == {"legal_representative": "张*"}


def test_the_audit_package_does_not_import_the_registry():
    # The audit trail is the lower layer: the registry imports its masking, never the reverse.
    package = Path(spotcheck.audit.__file__).parent
    for module in package.glob("*.py"):
        assert "spotcheck.registry" not in module.read_text(encoding="utf-8"), module.name
