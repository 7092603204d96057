"""The API's documents of notices, online checks and checklist records.

Inputs declare no required field: what is missing is answered 422 by the resource after the task
is found, so a task the caller does not see is 404 whatever the body. A checklist's answers are
checked against the item's own form (:mod:`spotcheck.inspection.forms`), not here.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from spotcheck.hooks.definitions import METHODS


class NoticeInputSchema(ma.Schema):
    channel = fields.String(metadata={"description": "`phone`, `fax` or `email` (sent now)."})
    recipient = fields.String(metadata={"description": "Whom the notice went to; for e-mail, the address."})
    notified_at = fields.DateTime(metadata={"description": "When a telephone or fax notice was given (default: "
                                                           "now; without a zone, the platform's time zone)."})
    visit_on = fields.Date(metadata={"description": "The day of the visit announced."})
    items = fields.List(fields.Integer(), metadata={"description": "Ids of the task's items announced."})
    message = fields.String(allow_none=True, metadata={"description": "Added to the e-mail."})


class NoticeSchema(ma.Schema):
    id = fields.Integer()
    task = fields.Integer()
    channel = fields.String()
    recipient = fields.String(metadata={"description": "Masked."})
    notified_at = fields.DateTime()
    visit_on = fields.Date()
    items = fields.List(fields.String(), metadata={"description": "`<department>:<item code>` of each item."})
    message = fields.String(allow_none=True)
    delivery = fields.String(allow_none=True, metadata={"description": "E-mail: `accepted` by the mail server or "
                                                                       "`failed`; null otherwise."})
    delivery_error = fields.String(allow_none=True)
    recorded_by = fields.String()


class OnlineSchema(ma.Schema):
    id = fields.Integer(metadata={"description": "The task item."})
    department = fields.String()
    item = fields.String()
    status = fields.String(allow_none=True, metadata={
        "description": "`verified`, `discrepancy`, `not_found`, `unavailable` (the plugin's answer), "
                       "`not_offered` (no online check for the item), `manual` (an inspector's), or null."})
    summary = fields.String(allow_none=True)
    fields_ = fields.List(fields.String(), data_key="fields",
                          metadata={"description": "Questions settled online, not asked again on site."})


class OnlineVerifyInputSchema(ma.Schema):
    fields_ = fields.List(fields.String(), data_key="fields",
                          metadata={"description": "Names of the questions verified online."})
    note = fields.String(metadata={"description": "Where the check looked and what it found."})


class ChoiceSchema(ma.Schema):
    code = fields.String()
    label_zh = fields.String()
    label_en = fields.String()


class ItemRecordSchema(ma.Schema):
    id = fields.Integer()
    task = fields.Integer()
    department = fields.String()
    item = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    notice_forbidden = fields.Boolean()
    form = fields.Dict(metadata={"description": "The checklist form (schemas/checklist-form.schema.json): the one "
                                                "recorded, else the plugin's current one."})
    asked = fields.List(fields.String(), metadata={"description": "The questions still asked (not settled online)."})
    online = fields.Nested(OnlineSchema)
    answers = fields.Dict(allow_none=True)
    methods = fields.List(fields.String())
    findings = fields.List(fields.String())
    method_choices = fields.List(fields.String(), metadata={"description": f"Among {', '.join(METHODS)}."})
    finding_choices = fields.List(fields.Nested(ChoiceSchema))
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.DateTime(allow_none=True)


class ItemRecordInputSchema(ma.Schema):
    answers = fields.Raw(metadata={"description": "Question name → answer: text, number, true/false, "
                                                  "YYYY-MM-DD, a choice's value or a list of them."})
    methods = fields.Raw(metadata={"description": "The methods used (at least one)."})
    findings = fields.Raw(metadata={"description": "The findings (none: no problem found)."})
