"""The API documents of the joint punishment list and credit repair."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from spotcheck.punishment.models import Basis, EntryState, RepairState

STATES = [s.value for s in EntryState]
BASES = [b.value for b in Basis]


class PunishmentQuerySchema(Schema):
    """Filters of the list."""

    state = fields.String(validate=validate.OneOf(STATES), metadata={"description": "listed, expired or repaired"})
    basis = fields.String(validate=validate.OneOf(BASES))
    department = fields.String(validate=validate.Length(max=16),
                               metadata={"description": "Code of the listing department"})
    page = fields.Integer(load_default=1)
    per_page = fields.Integer(load_default=100)


class PunishmentBasisEventSchema(Schema):
    """A credit event an entry rests on."""

    id = fields.Integer()
    on = fields.Date()
    kind = fields.String(metadata={"description": "non_cooperation or department_rule"})
    code = fields.String(metadata={"description": "The situation of article 18, or the department rule's code"})
    department = fields.String(allow_none=True, metadata={"description": "Code of the department"})
    description_zh = fields.String()
    description_en = fields.String()
    points = fields.Integer()
    task = fields.Integer(allow_none=True)


class CreditRepairSchema(Schema):
    """A credit repair of an entry and its decision."""

    id = fields.Integer()
    reason = fields.String()
    requested_by = fields.String()
    requested_at = fields.DateTime()
    state = fields.String(validate=validate.OneOf([s.value for s in RepairState]))
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)


class PunishmentEntrySchema(Schema):
    """A target on the joint punishment list: its basis, period and repairs."""

    id = fields.Integer()
    target = fields.Integer()
    target_code = fields.String(allow_none=True, metadata={"description": "The target's public code"})
    target_name = fields.String(allow_none=True, metadata={"description": "The target's public (masked) name"})
    department = fields.String(metadata={"description": "Code of the listing department"})
    basis = fields.String(validate=validate.OneOf(BASES))
    state = fields.String(validate=validate.OneOf(STATES))
    listed_on = fields.Date()
    last_event_on = fields.Date()
    ends_on = fields.Date()
    removed_on = fields.Date(allow_none=True)
    events = fields.List(fields.Nested(PunishmentBasisEventSchema))
    repairs = fields.List(fields.Nested(CreditRepairSchema))


class CreditRepairInputSchema(Schema):
    """A credit repair: the reason (what the target corrected)."""

    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class RepairDecisionInputSchema(Schema):
    """The head's decision on the pending repair; ``note`` is required to reject."""

    # Not required here: whether the caller sees the entry is answered first (404), as for a missing one.
    decision = fields.String(validate=validate.OneOf(["approve", "reject"]))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
