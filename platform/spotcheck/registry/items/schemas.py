"""The item list's API documents (marshmallow schemas; they become OpenAPI components)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from spotcheck.plugin_api import METHODS, TARGET_KINDS


class LegalBasisSchema(Schema):
    """One provision an item rests on."""

    law = fields.String(metadata={"description": "The law, in book-title marks: 《…》"})
    article = fields.String(metadata={"description": "The article: 第…条"})


class FindingSchema(Schema):
    """A problem an inspection of the item can record."""

    code = fields.String()
    label_zh = fields.String()
    label_en = fields.String()


class ItemContentSchema(Schema):
    """What a version of an item says: the plugin's definition and the department's adjustments."""

    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    legal_basis = fields.List(fields.Nested(LegalBasisSchema))
    target_kinds = fields.List(fields.String(validate=validate.OneOf(TARGET_KINDS)))
    methods = fields.List(fields.String(validate=validate.OneOf(METHODS)))
    notice_forbidden = fields.Boolean(metadata={"description": "Advance notice forbidden by law"})
    form = fields.String(metadata={"description": "Code of the checklist form"})
    authority = fields.String(metadata={"description": "Authority an inspector needs"})
    key_item = fields.Boolean(metadata={"description": "Key item: outside the yearly cap"})
    item_version = fields.Integer(metadata={"description": "The plugin's own version of the item"})
    findings = fields.List(fields.Nested(FindingSchema))
    enabled = fields.Boolean()
    withdrawn = fields.Boolean(metadata={"description": "The plugin no longer supplies the item"})
    local_name_zh = fields.String(allow_none=True)
    local_name_en = fields.String(allow_none=True)
    local_note = fields.String(allow_none=True)


class ItemVersionSchema(Schema):
    """One immutable version of an item; plans refer to its ``id``."""

    id = fields.Integer()
    number = fields.Integer()
    reason = fields.String(metadata={"description": "plugin, local or withdrawn"})
    plugin_version = fields.String(allow_none=True)
    created_at = fields.DateTime()
    content = fields.Nested(ItemContentSchema)


class ItemSchema(Schema):
    """An item of a department's list, with its current version."""

    id = fields.Integer()
    department = fields.String(metadata={"description": "Department code"})
    code = fields.String()
    enabled = fields.Boolean()
    withdrawn = fields.Boolean()
    current_version = fields.Nested(ItemVersionSchema)


class ItemDetailSchema(ItemSchema):
    """An item with every version, newest first."""

    versions = fields.List(fields.Nested(ItemVersionSchema))


class ItemQuerySchema(Schema):
    """Filters of the item list."""

    department = fields.String(metadata={"description": "Department code (the office reads all)"})
    target_kind = fields.String(validate=validate.OneOf(TARGET_KINDS))
    method = fields.String(validate=validate.OneOf(METHODS))
    key_item = fields.Boolean()


class ItemAdjustSchema(Schema):
    """The department's adjustments; fields left out stay as they are, blank text clears."""

    enabled = fields.Boolean()
    local_name_zh = fields.String(allow_none=True, validate=validate.Length(max=200))
    local_name_en = fields.String(allow_none=True, validate=validate.Length(max=200))
    local_note = fields.String(allow_none=True, validate=validate.Length(max=2000))
