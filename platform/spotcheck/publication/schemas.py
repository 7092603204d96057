"""The API documents of the open data: the filters and a page of published results.

The results themselves are written by :func:`spotcheck.publication.opendata.document`, the one
writer of every open-data format; these schemas describe them for the OpenAPI document, in step
with ``schemas/open-data-result.schema.json`` (a test holds the API's answers to that file).
"""

from __future__ import annotations

from datetime import timezone

from marshmallow import Schema, fields, validate

from spotcheck.inspection.models import NON_COOPERATION_LABELS, ResultCategory
from spotcheck.planning.models import PlanType
from spotcheck.registry.targets.codes import KINDS

CATEGORIES = [c.value for c in ResultCategory]
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


class OpenDataQuerySchema(Schema):
    """Filters of the published results, and the page wanted."""

    year = fields.Integer(validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "Year of the check"})
    department = fields.String(validate=validate.Length(min=1, max=32),
                               metadata={"description": "Code of a department that took part, e.g. SCJG"})
    area = fields.String(validate=validate.Regexp(r"^[0-9]{6,12}$"),
                         metadata={"description": "Area code; a sub-district or town includes its "
                                                  "communities and villages"})
    category = fields.String(validate=validate.OneOf(CATEGORIES), metadata={"description": "Result category"})
    updated_since = fields.AwareDateTime(default_timezone=timezone.utc, metadata={
        "description": "Only results published or amended at or after this time (ISO 8601; UTC "
                       "when no offset is given)"})
    target = fields.String(validate=validate.Length(min=1, max=32),
                           metadata={"description": "Code of the target (unified social credit code)"})
    after = fields.Integer(validate=validate.Range(min=0),
                           metadata={"description": "The last id of the previous page: this page "
                                                    "starts after it"})
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT),
                           metadata={"description": f"Results per page (at most {MAX_LIMIT})"})


class PublicTargetSchema(Schema):
    """The target as published: its code, public name and kind."""

    code = fields.String()
    name = fields.String(metadata={"description": "An individual business's operator masked"})
    kind = fields.String(metadata={"enum": list(KINDS)})


class PublicDepartmentSchema(Schema):
    """A department that took part; the initiator first."""

    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()


class PublicItemSchema(Schema):
    """A spot-check item the check covered."""

    department_code = fields.String()
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()


class PublicResultCategorySchema(Schema):
    """The result category, in the national disclosure system's words and in English."""

    category = fields.String(metadata={"enum": CATEGORIES})
    label_zh = fields.String()
    label_en = fields.String()


class PublicSituationSchema(Schema):
    """A situation of serious non-cooperation (article 18)."""

    code = fields.String(metadata={"enum": list(NON_COOPERATION_LABELS)})
    label_zh = fields.String()
    label_en = fields.String()


class PublicResultSchema(Schema):
    """A published result (schemas/open-data-result.schema.json)."""

    id = fields.Integer()
    target = fields.Nested(PublicTargetSchema)
    area_code = fields.String(allow_none=True)
    checked_on = fields.String(metadata={"format": "date", "description": "The day the check ended"})
    year = fields.Integer()
    check_type = fields.String(metadata={"enum": [t.value for t in PlanType],
                                         "description": "The plan's type: random for 双随机抽查"})
    departments = fields.List(fields.Nested(PublicDepartmentSchema))
    items = fields.List(fields.Nested(PublicItemSchema))
    result = fields.Nested(PublicResultCategorySchema)
    non_cooperation = fields.List(fields.Nested(PublicSituationSchema))
    followup_status = fields.String(allow_none=True, metadata={"description": "null until follow-up exists"})
    plan_id = fields.Integer()
    batch_id = fields.Integer()
    draw_id = fields.Integer()
    proof_url = fields.String(metadata={"description": "Path of the draw's public proof"})
    published_on = fields.String(metadata={"format": "date"})
    due_on = fields.String(metadata={"format": "date",
                                     "description": "20 working days after the results were entered"})
    late = fields.Boolean(metadata={"description": "Published after due_on: counted against the department"})
    working_days_late = fields.Integer()
    updated_at = fields.String(metadata={"format": "date-time"})


class PublicResultsPageSchema(Schema):
    """A page of published results, in id order; ``next`` is the next page's URL (``null`` at the end)."""

    results = fields.List(fields.Nested(PublicResultSchema))
    next = fields.String(allow_none=True)
