"""The API documents of annual plans."""

from __future__ import annotations

from marshmallow import Schema, fields

from spotcheck.planning.models import Confirmation, PlanState, PlanType


class ParticipantSchema(Schema):
    """A participating department and its answer."""

    department = fields.String(metadata={"description": "Department code"})
    status = fields.String(metadata={"enum": [c.value for c in Confirmation]})
    reason = fields.String(allow_none=True)
    answered_by = fields.String(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)


class PlanItemSchema(Schema):
    """An item of a department's list in the plan, pinned to a version."""

    department = fields.String(metadata={"description": "Department code"})
    item_version_id = fields.Integer()
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    target_kinds = fields.List(fields.String())
    methods = fields.List(fields.String())


class TargetScopeSchema(Schema):
    """Which targets the plan covers; an empty list means no restriction."""

    kinds = fields.List(fields.String())
    areas = fields.List(fields.String(), metadata={"description": "Area codes"})
    industries = fields.List(fields.String(), metadata={"description": "GB/T 4754-2017 codes"})
    tags = fields.List(fields.String())
    statuses = fields.List(fields.String(), metadata={"description": "Registration statuses"})


class PlanSchema(Schema):
    """An annual joint plan."""

    id = fields.Integer()
    name = fields.String()
    year = fields.Integer()
    plan_type = fields.String(metadata={"enum": [t.value for t in PlanType]})
    counts_towards_cap = fields.Boolean(metadata={"description": "Only random plans do"})
    initiator = fields.String(metadata={"description": "Code of the initiating department"})
    target_scope = fields.Nested(TargetScopeSchema)
    window_start = fields.Date()
    window_end = fields.Date()
    ratio_bp = fields.Integer(metadata={"description": "Sampling ratio in basis points"})
    state = fields.String(metadata={"enum": [s.value for s in PlanState]})
    note = fields.String(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    late = fields.Boolean(metadata={"description": "Submitted after the end of February"})
    published_at = fields.DateTime(allow_none=True)
    merged_into = fields.Integer(allow_none=True, metadata={"description": "Id of the joint plan"})
    participants = fields.List(fields.Nested(ParticipantSchema))
    items = fields.List(fields.Nested(PlanItemSchema))


class PlanInputSchema(Schema):
    """A plan to create, or the fields to change (PATCH: those left out stay)."""

    name = fields.String()
    year = fields.Integer()
    plan_type = fields.String(metadata={"enum": [t.value for t in PlanType]})
    kinds = fields.List(fields.String())
    areas = fields.List(fields.String())
    industries = fields.List(fields.String())
    tags = fields.List(fields.String())
    statuses = fields.List(fields.String())
    window_start = fields.Date()
    window_end = fields.Date()
    ratio_bp = fields.Integer()
    participants = fields.List(fields.String(), metadata={"description": "Department codes"})
    note = fields.String(allow_none=True)


class ItemsInputSchema(Schema):
    """The caller's department's items for the plan (ids of its list's items).

    Required fields are checked after the plan is found, so a plan the caller cannot see answers
    404 whatever the body."""

    items = fields.List(fields.Integer(), metadata={"description": "Required"})


class AnswerInputSchema(Schema):
    """A participant's answer (``confirmed`` is checked after the plan is found)."""

    confirmed = fields.Boolean(metadata={"description": "Required"})
    reason = fields.String(allow_none=True, metadata={"description": "Required to decline"})


class YearQuerySchema(Schema):
    """The year asked about, and optionally a state."""

    year = fields.Integer(required=True)
    state = fields.String(metadata={"enum": [s.value for s in PlanState]})


class SubmissionSchema(Schema):
    """Whether a member unit submitted a plan for the year."""

    department = fields.String()
    status = fields.String(metadata={"enum": ["on_time", "late", "missing"]})
    plans = fields.List(fields.Integer())


class ReasonSchema(Schema):
    """One overlap of a merge suggestion."""

    code = fields.String()
    message_zh = fields.String()
    message_en = fields.String()


class SuggestionSchema(Schema):
    """Two submitted plans the office might merge, and why."""

    plans = fields.List(fields.Integer())
    reasons = fields.List(fields.Nested(ReasonSchema))


class MergeInputSchema(Schema):
    """Plans to merge, the joint plan's initiating department and name."""

    plans = fields.List(fields.Integer(), required=True)
    initiator = fields.String(required=True, metadata={"description": "Department code"})
    name = fields.String(required=True)


class PublishInputSchema(Schema):
    """The year whose district plan is published."""

    year = fields.Integer(required=True)
