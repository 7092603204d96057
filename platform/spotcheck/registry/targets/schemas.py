"""The documents of the target directory's API (marshmallow; they become OpenAPI components).

Input fields carry text as a person would type it (kinds, areas, statuses by code or Chinese
name); :func:`~spotcheck.registry.targets.rows.validate_target_row` checks them, so the API
accepts exactly what forms and imports accept.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from spotcheck.registry.targets.codes import CREDIT_CLASSES, KINDS, RISK_LEVELS, STATUSES
from spotcheck.registry.targets.rows import MAX_TAG_LENGTH

_TEXT = {"allow_none": True}


class AreaRefSchema(Schema):
    code = fields.String(metadata={"description": "Area code, e.g. 630102001004"})
    path = fields.String(metadata={"description": "Sub-district/community, e.g. 东关大街街道/北关社区"})


class TargetSchema(Schema):
    """A target as the caller's department sees it."""

    id = fields.Integer()
    code = fields.String(metadata={"description": "Unified social credit code, or platform code "
                                                  "(NM-PROD-…, NM-PROJ-…, NM-ACT-…)"})
    name = fields.String()
    kind = fields.String(validate=validate.OneOf(list(KINDS)))
    legal_representative = fields.String(allow_none=True, metadata={
        "description": "Masked (张*明) in lists; in full for one target the caller supervises"})
    address = fields.String(allow_none=True)
    area = fields.Nested(AreaRefSchema, allow_none=True)
    industry_code = fields.String(allow_none=True, metadata={"description": "GB/T 4754-2017"})
    status = fields.String(validate=validate.OneOf(list(STATUSES)))
    credit_class = fields.String(allow_none=True, validate=validate.OneOf(CREDIT_CLASSES))
    risk_level = fields.String(allow_none=True, metadata={
        "description": "The caller's department's risk level (high, medium, low)"})
    tags = fields.List(fields.String(), metadata={"description": "The caller's department's tags"})
    supervised_by = fields.List(fields.String(), metadata={
        "description": "Codes of the departments supervising the target (one target only)"})
    version = fields.Integer(metadata={"description": "Send it back when updating"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class TargetPageSchema(Schema):
    items = fields.List(fields.Nested(TargetSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer(metadata={"description": "Matches, counted up to 10,000"})
    total_capped = fields.Boolean(metadata={"description": "Whether more than 10,000 match"})


class TargetQuerySchema(Schema):
    """Search filters; every one is optional and they combine with AND."""

    q = fields.String(metadata={"description": "Name prefix, or a whole code"})
    area = fields.String(metadata={"description": "Area code, name or sub-district/community"})
    industry = fields.String(metadata={"description": "Section letter or code prefix"})
    kind = fields.String(validate=validate.OneOf(list(KINDS)))
    risk_level = fields.String(validate=validate.OneOf(list(RISK_LEVELS)))
    credit_class = fields.String(validate=validate.OneOf(CREDIT_CLASSES))
    tag = fields.String()
    status = fields.String(validate=validate.OneOf(list(STATUSES)))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))


class TargetInputSchema(Schema):
    """A target to create: the columns of the import template, by their English aliases."""

    code = fields.String(**_TEXT, metadata={"description": "Required for entities; leave out for "
                                                          "products, projects and behaviours"})
    name = fields.String(**_TEXT)
    kind = fields.String(**_TEXT, metadata={"description": "Code or Chinese name (公司, 个体工商户…)"})
    legal_representative = fields.String(**_TEXT)
    address = fields.String(**_TEXT)
    area = fields.String(**_TEXT, metadata={"description": "Area code, name or sub-district/community"})
    industry = fields.String(**_TEXT, metadata={"description": "GB/T 4754-2017 code"})
    status = fields.String(**_TEXT)
    risk_level = fields.String(**_TEXT)
    credit_class = fields.String(**_TEXT)
    tags = fields.List(fields.String(validate=validate.Length(max=MAX_TAG_LENGTH)))


class TargetUpdateSchema(Schema):
    """Fields to change (only those sent; ``null`` clears a field) and the version read."""

    version = fields.Integer(metadata={"description": "The version the change is based on; "
                                                      "required"})
    name = fields.String(**_TEXT)
    kind = fields.String(**_TEXT)
    legal_representative = fields.String(**_TEXT)
    address = fields.String(**_TEXT)
    area = fields.String(**_TEXT)
    industry = fields.String(**_TEXT)
    status = fields.String(**_TEXT)
    credit_class = fields.String(**_TEXT)


class TagChangeSchema(Schema):
    add = fields.List(fields.String(validate=validate.Length(min=1, max=MAX_TAG_LENGTH)),
                      load_default=list)
    remove = fields.List(fields.String(), load_default=list)
