"""The inspector directory's API documents (marshmallow schemas; they become OpenAPI components).

Inputs use the import's field names (see :mod:`.rows`) and are checked by the same validator.
Phone numbers are always masked in what the API answers.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from spotcheck.registry.inspectors.models import InspectorLevel, InspectorStatus


class IneligibilitySchema(Schema):
    """One reason an inspector cannot be drawn."""

    code = fields.String(metadata={"description": "not_active, credential_expired, "
                                   "credential_not_yet_valid, no_authority or area_not_covered"})
    message_zh = fields.String()
    message_en = fields.String()


class InspectorSchema(Schema):
    """An inspector of the directory."""

    id = fields.Integer()
    department = fields.String(metadata={"description": "Department code"})
    code = fields.String(metadata={"description": "Enforcement certificate number (执法证号)"})
    name = fields.String()
    level = fields.String(metadata={"enum": [level.value for level in InspectorLevel]})
    status = fields.String(metadata={"enum": [status.value for status in InspectorStatus]})
    scope = fields.List(fields.String(), metadata={"description": "Authorities held"})
    areas = fields.List(fields.String(), metadata={"description": "Area codes; empty: the whole district"})
    valid_from = fields.Date()
    valid_to = fields.Date()
    expertise = fields.List(fields.String())
    phone = fields.String(allow_none=True, metadata={"description": "Masked"})
    user_id = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)
    ineligible_today = fields.List(fields.Nested(IneligibilitySchema),
                                   metadata={"description": "Why the inspector cannot be drawn "
                                             "today; empty when they can"})


class InspectorInputSchema(Schema):
    """An inspector to create, or the fields to change (PATCH: those left out stay)."""

    code = fields.String()
    name = fields.String()
    level = fields.String(metadata={"description": "district, city or provincial (区级, 市级, 省级)"})
    scope = fields.List(fields.String(), metadata={"description": "Authorities (or item codes)"})
    areas = fields.List(fields.String(), metadata={"description": "Area codes or paths; empty: the whole district"})
    valid_from = fields.Date()
    valid_to = fields.Date()
    expertise = fields.List(fields.String())
    status = fields.String(metadata={"description": "active, on_leave, transferred or retired"})
    phone = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class InspectorQuerySchema(Schema):
    """Filters of the directory."""

    q = fields.String(metadata={"description": "Part of the name or certificate number"})
    status = fields.String()
    level = fields.String()
    authority = fields.String()
    area = fields.String(metadata={"description": "Area code: inspectors covering it"})
    expiring = fields.Boolean(metadata={"description": "Credential ends within 30 days"})
    page = fields.Integer(load_default=1)
    per_page = fields.Integer(load_default=100)


class EligibilityQuerySchema(Schema):
    """What to check an inspector's eligibility for."""

    on = fields.Date(metadata={"description": "Default: today"})
    authority = fields.String()
    area = fields.String(metadata={"description": "Area code"})


class EligibilitySchema(Schema):
    """Whether an inspector may be drawn, and every reason if not."""

    eligible = fields.Boolean()
    reasons = fields.List(fields.Nested(IneligibilitySchema))


class ConflictInputSchema(Schema):
    """A conflict of interest to declare (both fields are needed; checked after the inspector is
    found, so another department's inspector answers 404 whatever the body)."""

    target_code = fields.String(metadata={"description": "The target's code"})
    reason = fields.String()


class ConflictWithdrawSchema(Schema):
    """Why a conflict is withdrawn."""

    reason = fields.String(allow_none=True)


class ConflictSchema(Schema):
    """A declared conflict of interest."""

    id = fields.Integer()
    target_id = fields.Integer()
    reason = fields.String()
    declared_at = fields.DateTime()
    withdrawn_at = fields.DateTime(allow_none=True)
    withdrawn_reason = fields.String(allow_none=True)
