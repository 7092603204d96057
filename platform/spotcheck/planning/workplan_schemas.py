"""The API documents of work plans, batches, strata and dry runs."""

from __future__ import annotations

from marshmallow import Schema, fields

from spotcheck.planning.dryrun import REASONS
from spotcheck.planning.models import WorkPlanState
from spotcheck.planning.schemas import TargetScopeSchema


class SelectorSchema(Schema):
    """Which targets of the batch a stratum takes; an empty list means any value."""

    credit_classes = fields.List(fields.String(), metadata={"description": "A, B, C or D"})
    risk_levels = fields.List(fields.String(), metadata={"description": "high, medium or low"})
    kinds = fields.List(fields.String())
    areas = fields.List(fields.String(), metadata={"description": "Area codes"})
    industries = fields.List(fields.String(), metadata={"description": "GB/T 4754-2017 codes"})


class StratumSchema(Schema):
    """A stratum: key (no line feeds), selector and quota rule — ``count``, or ``ratio_bp``
    (0–10000) with ``min``."""

    key = fields.String(required=True)
    selector = fields.Nested(SelectorSchema)
    ratio_bp = fields.Integer(allow_none=True)
    min = fields.Integer(allow_none=True)
    count = fields.Integer(allow_none=True)


class BatchSchema(Schema):
    """A batch of a work plan."""

    id = fields.Integer()
    number = fields.Integer()
    name = fields.String()
    target_scope = fields.Nested(TargetScopeSchema)
    window_start = fields.Date()
    window_end = fields.Date()
    coordination = fields.String(allow_none=True)
    strata = fields.List(fields.Nested(StratumSchema))


class WorkPlanSchema(Schema):
    """The work plan of an annual plan."""

    id = fields.Integer()
    plan = fields.Integer(metadata={"description": "Id of the annual plan"})
    initiator = fields.String(metadata={"description": "Code of the initiating department"})
    state = fields.String(metadata={"enum": [s.value for s in WorkPlanState]})
    note = fields.String(allow_none=True)
    approved_by = fields.String(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    batches = fields.List(fields.Nested(BatchSchema))


class WorkPlanInputSchema(Schema):
    """Start a work plan."""

    note = fields.String(allow_none=True)


class BatchInputSchema(Schema):
    """A new batch; without ``strata`` it starts from the credit-risk default (A 3%, B 5%, C 10%,
    D 30%, each at least 1)."""

    name = fields.String()
    kinds = fields.List(fields.String())
    areas = fields.List(fields.String())
    industries = fields.List(fields.String())
    tags = fields.List(fields.String())
    statuses = fields.List(fields.String())
    window_start = fields.Date()
    window_end = fields.Date()
    coordination = fields.String(allow_none=True)
    strata = fields.List(fields.Nested(StratumSchema))


class StrataInputSchema(Schema):
    """The strata replacing a batch's."""

    strata = fields.List(fields.Nested(StratumSchema), metadata={"description": "Required"})


class DryRunStratumSchema(Schema):
    """A stratum of the dry run."""

    key = fields.String()
    rule = fields.Dict(metadata={"description": '{"ratio_bp": R, "min": M} or {"count": C}'})
    candidates = fields.List(fields.String(), metadata={"description": "Target ids by bytes"})
    quota = fields.Integer()


class ExclusionSchema(Schema):
    """A target in scope that is not a candidate, and why."""

    id = fields.String()
    reason = fields.String(metadata={"enum": list(REASONS)})


class DepartmentLoadSchema(Schema):
    """A department's expected workload."""

    department = fields.String()
    per_target = fields.Integer()
    pool = fields.Integer(metadata={"description": "Eligible inspectors"})
    targets = fields.Integer(metadata={"description": "Most drawn targets that need the department"})
    assignments = fields.Integer()
    per_inspector = fields.Integer(allow_none=True)
    staffable = fields.Boolean()


class DryRunSchema(Schema):
    """The dry run of a batch."""

    batch = fields.Integer()
    strata = fields.List(fields.Nested(DryRunStratumSchema))
    excluded = fields.List(fields.Nested(ExclusionSchema))
    workload = fields.List(fields.Nested(DepartmentLoadSchema))
    staffable = fields.Boolean()
