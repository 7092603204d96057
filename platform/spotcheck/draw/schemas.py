"""The API documents of draws, joint teams and replacements."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from spotcheck.draw.models import REPLACEMENT_GROUNDS, DrawState, ReplacementState, TeamState
from spotcheck.draw.service import ENTROPY_MAX
from spotcheck.planning.dryrun import PER_TARGET, REASONS


class DrawQuerySchema(Schema):
    """Filters of the draws list."""

    plan = fields.Integer(metadata={"description": "Id of the annual plan"})
    batch = fields.Integer(metadata={"description": "Id of the batch"})
    state = fields.String(validate=validate.OneOf([s.value for s in DrawState]))
    page = fields.Integer(load_default=1)
    per_page = fields.Integer(load_default=100)


class TargetRefSchema(Schema):
    """A drawn target."""

    code = fields.String()
    name = fields.String()


class DrawStratumSchema(Schema):
    """A stratum as the draw froze it; ``selected`` once the draw is made."""

    key = fields.String()
    rule = fields.Dict(metadata={"description": '{"ratio_bp": R, "min": M} or {"count": C}'})
    digest = fields.String(metadata={"description": "Digest of the stratum's candidates"})
    candidates = fields.Integer(metadata={"description": "How many candidates"})
    quota = fields.Integer()
    selected = fields.List(fields.Nested(TargetRefSchema), allow_none=True,
                           metadata={"description": "The drawn targets in rank order; null before the draw"})


class DrawSchema(Schema):
    """A draw of a batch. ``server_secret`` is null until the draw is made: before it only the
    commitment to the secret is known."""

    id = fields.Integer()
    plan = fields.Integer()
    batch = fields.Integer()
    initiator = fields.String(metadata={"description": "Code of the initiating department"})
    year = fields.Integer()
    counts_towards_cap = fields.Boolean()
    state = fields.String(metadata={"enum": [s.value for s in DrawState]})
    per_target = fields.Integer()
    max_load = fields.Integer(allow_none=True)
    commitment = fields.String(metadata={"description": "SHA-256 of the server secret"})
    candidates_digest = fields.String()
    candidates = fields.Integer()
    excluded = fields.Integer()
    exclusions = fields.Dict(keys=fields.String(metadata={"enum": list(REASONS)}), values=fields.Integer(),
                             metadata={"description": "Excluded targets by reason"})
    strata = fields.List(fields.Nested(DrawStratumSchema))
    prepared_by = fields.String()
    prepared_at = fields.DateTime()
    public_entropy = fields.String(allow_none=True)
    server_secret = fields.String(allow_none=True)
    seed = fields.String(allow_none=True)
    selected = fields.Integer(allow_none=True, metadata={"description": "How many targets were drawn"})
    drawn_by = fields.String(allow_none=True)
    drawn_at = fields.DateTime(allow_none=True)
    voided_at = fields.DateTime(allow_none=True)
    void_reason = fields.String(allow_none=True)
    proof = fields.String(allow_none=True, metadata={"description": "Public address of the proof, once drawn"})


class PrepareInputSchema(Schema):
    """Prepare a batch's draw."""

    per_target = fields.Integer(load_default=PER_TARGET, metadata={"description": "Inspectors each department sends to a target (2: enforcement takes two)"})
    max_load = fields.Integer(allow_none=True, load_default=None, metadata={"description": "Most targets per inspector; null for no limit"})


class ExecuteInputSchema(Schema):
    """The public entropy entered at the draw."""

    entropy = fields.String(load_default="", metadata={
        "description": f"Dice rolled by witnesses, a lottery number…; may be empty, at most {ENTROPY_MAX} "
                       "characters, no line feed"})


class VoidInputSchema(Schema):
    """Why a preparation is voided (checked once the draw is found)."""

    reason = fields.String(validate=validate.Length(min=1, max=1000), metadata={"description": "Required"})


class MemberSchema(Schema):
    """An inspector on a team."""

    id = fields.Integer()
    inspector = fields.String(metadata={"description": "Enforcement certificate number"})
    name = fields.String()
    department = fields.String()
    leader = fields.Boolean()
    active = fields.Boolean(metadata={"description": "False once replaced"})
    replaces = fields.Integer(allow_none=True, metadata={"description": "Id of the member replaced"})


class TeamQuerySchema(Schema):
    """Filters of the teams list."""

    draw = fields.Integer()
    plan = fields.Integer()
    page = fields.Integer(load_default=1)
    per_page = fields.Integer(load_default=100)


class TeamSchema(Schema):
    """A joint team: one per drawn target, led by the initiating department."""

    id = fields.Integer()
    draw = fields.Integer()
    plan = fields.Integer()
    batch = fields.Integer()
    target = fields.Nested(TargetRefSchema)
    state = fields.String(metadata={"enum": [s.value for s in TeamState]})
    leader = fields.String(allow_none=True, metadata={"description": "Certificate number of the leader"})
    members = fields.List(fields.Nested(MemberSchema))
    created_at = fields.DateTime()


class ReplacementQuerySchema(Schema):
    """Filters of the replacements list."""

    state = fields.String(validate=validate.OneOf([s.value for s in ReplacementState]))


class ReplacementInputSchema(Schema):
    """Ask to replace a drawn inspector of the caller's department. Required fields are checked
    once the team is found, so that another department's team answers 404 whatever the body."""

    inspector = fields.String(metadata={"description": "Required: certificate number of the member to replace"})
    ground = fields.String(validate=validate.OneOf(list(REPLACEMENT_GROUNDS)), metadata={"description": "Required"})
    reason = fields.String(validate=validate.Length(min=1, max=2000), metadata={"description": "Required"})


class DecisionInputSchema(Schema):
    """The head's decision; ``note`` is required to reject."""

    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class ReplacementSchema(Schema):
    """A replacement request and its outcome."""

    id = fields.Integer()
    draw = fields.Integer()
    team = fields.Integer()
    target = fields.String()
    department = fields.String()
    out = fields.String(metadata={"description": "Certificate number of the inspector replaced"})
    incoming = fields.String(allow_none=True, data_key="in",
                             metadata={"description": "Certificate number of the replacement, once approved"})
    ground = fields.String(metadata={"enum": list(REPLACEMENT_GROUNDS)})
    reason = fields.String()
    state = fields.String(metadata={"enum": [s.value for s in ReplacementState]})
    requested_by = fields.String()
    requested_at = fields.DateTime()
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    note = fields.String(allow_none=True)
