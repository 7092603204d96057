"""The API documents of follow-ups and the owner's action on them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from spotcheck.followup.models import Action, FollowUpState

STATES = [s.value for s in FollowUpState]
ACTIONS = [a.value for a in Action]


class FollowUpQuerySchema(Schema):
    """Filters of the follow-up queue."""

    box = fields.String(load_default="own", validate=validate.OneOf(["own", "sent"]),
                        metadata={"description": "own: owned by the caller's department; sent: its findings "
                                                 "owned by another department"})
    state = fields.String(validate=validate.OneOf(STATES))
    action = fields.String(validate=validate.OneOf(ACTIONS))
    page = fields.Integer(load_default=1)
    per_page = fields.Integer(load_default=100)


class FollowUpEventSchema(Schema):
    """One step of a follow-up's history."""

    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    by = fields.String()
    at = fields.DateTime()
    note = fields.String(allow_none=True)


class FollowUpSchema(Schema):
    """A follow-up: the rule, the finding, its owner, state, deadline and history."""

    id = fields.Integer()
    task = fields.Integer()
    department = fields.String(metadata={"description": "Code of the owning department"})
    from_department = fields.String(metadata={"description": "Code of the department whose finding it is"})
    rule = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    finding = fields.String()
    action = fields.String(validate=validate.OneOf(ACTIONS))
    working_days = fields.Integer(allow_none=True)
    next_action = fields.String(allow_none=True)
    state = fields.String(validate=validate.OneOf(STATES))
    deadline = fields.Date(allow_none=True)
    outcome_note = fields.String(allow_none=True)
    parent = fields.Integer(allow_none=True)
    history = fields.List(fields.Nested(FollowUpEventSchema))


class FollowUpActInputSchema(Schema):
    """What the owning department did: corrected, closed, accepted or returned (with ``note``, the
    reason)."""

    to = fields.String(validate=validate.OneOf([s.value for s in FollowUpState]))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
