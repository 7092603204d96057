"""The expert pool's API documents. Inputs use the import's field names (see :mod:`.rows`)."""

from __future__ import annotations

from marshmallow import Schema, fields

from spotcheck.registry.experts.models import ExpertKind, ExpertStatus


class ExpertSchema(Schema):
    """A member of the expert pool; the phone number is masked."""

    id = fields.Integer()
    department = fields.String(metadata={"description": "Code of the department that registered it"})
    kind = fields.String(metadata={"enum": [kind.value for kind in ExpertKind]})
    name = fields.String()
    organisation = fields.String(allow_none=True)
    specialities = fields.List(fields.String())
    qualification = fields.String(allow_none=True)
    contact = fields.String(allow_none=True, metadata={"description": "Masked"})
    valid_until = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": [status.value for status in ExpertStatus]})
    note = fields.String(allow_none=True)


class ExpertInputSchema(Schema):
    """A member to create, or the fields to change (PATCH: those left out stay)."""

    kind = fields.String(metadata={"description": "expert, testing_body or research_institution"})
    name = fields.String()
    organisation = fields.String(allow_none=True)
    specialities = fields.List(fields.String())
    qualification = fields.String(allow_none=True)
    contact = fields.String(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    status = fields.String(metadata={"description": "active, suspended or removed"})
    note = fields.String(allow_none=True)


class ExpertQuerySchema(Schema):
    """Filters of the pool."""

    q = fields.String(metadata={"description": "Part of the name or organisation"})
    kind = fields.String()
    speciality = fields.String()
    status = fields.String()
    page = fields.Integer(load_default=1)
    per_page = fields.Integer(load_default=100)
