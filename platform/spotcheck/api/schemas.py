"""The documents the API reads and writes (marshmallow schemas; they become the OpenAPI components).

Timestamps are ISO 8601 in UTC with their offset. Departments are named by their code, which is
the same on every installation, rather than by database ids.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from spotcheck.api.tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS
from spotcheck.tenancy.roles import Role


class MessageSchema(Schema):
    """A message in both languages."""

    zh = fields.String(required=True, metadata={"description": "Simplified Chinese"})
    en = fields.String(required=True, metadata={"description": "English"})


class ErrorSchema(Schema):
    """The document of every error answer (4xx and 5xx)."""

    code = fields.Integer(metadata={"description": "HTTP status code"})
    status = fields.String(metadata={"description": "HTTP status name"})
    message = fields.Nested(MessageSchema, metadata={"description": "What went wrong, and what to do"})
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.Nested(MessageSchema)),
        metadata={"description": "Field path → its problems; empty unless fields are invalid"})


class DepartmentSchema(Schema):
    """A department: a member unit of the joint meeting (成员单位), or the office (联席办)."""

    code = fields.String(metadata={"description": "Stable code, e.g. SCJG"})
    name_zh = fields.String()
    name_en = fields.String()
    level = fields.String(metadata={"description": "district or city"})
    is_office = fields.Boolean(metadata={"description": "Whether this is the joint meeting's office"})


class UserSchema(Schema):
    """A user: one department, one role."""

    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.Enum(Role, by_value=True)
    locale = fields.String(metadata={"description": "Preferred interface language (zh or en)"})
    department = fields.Nested(DepartmentSchema)


class TokenSchema(Schema):
    """An API token as its owner sees it: never the secret, only its first characters."""

    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "The first characters of the secret"})
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    last_used_at = fields.DateTime(
        allow_none=True, metadata={"description": "Approximate (noted at most once a minute)"})
    revoked_at = fields.DateTime(allow_none=True)


class TokenCreateSchema(Schema):
    """What a new token needs."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=100),
                         metadata={"description": "What the token is for, e.g. the client's name"})
    expires_in_days = fields.Integer(
        load_default=DEFAULT_LIFETIME_DAYS, validate=validate.Range(min=1, max=MAX_LIFETIME_DAYS),
        metadata={"description": "Days until the token expires"})


class IssuedTokenSchema(Schema):
    """A token just created, with its secret: the only time the secret is shown."""

    token = fields.Nested(TokenSchema)
    secret = fields.String(metadata={"description": 'Send as "Authorization: Bearer <secret>"'})


class PluginDepartmentSchema(Schema):
    """The department a plugin declares."""

    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    level = fields.String()


class LoadedPluginSchema(Schema):
    """A department plugin in use, with the codes of its definitions."""

    name = fields.String(metadata={"description": "Entry-point name"})
    version = fields.String(allow_none=True)
    department = fields.Nested(PluginDepartmentSchema)
    items = fields.List(fields.String(), metadata={"description": "Codes of its spot-check items"})
    forms = fields.List(fields.String(), metadata={"description": "Codes of its checklist forms"})
    rules = fields.List(fields.String(), metadata={"description": "Codes of its follow-up rules"})


class PluginErrorSchema(Schema):
    """One reason a plugin was refused."""

    definition = fields.String(allow_none=True, metadata={"description": "e.g. item 'food_business'"})
    path = fields.String(allow_none=True, metadata={"description": "JSON path inside the definition"})
    message = fields.String()


class RefusedPluginSchema(Schema):
    """A plugin that is not used, and why."""

    name = fields.String()
    version = fields.String(allow_none=True)
    errors = fields.List(fields.Nested(PluginErrorSchema))


class PluginsSchema(Schema):
    """What the plugin manager loaded and refused when the app started."""

    loaded = fields.List(fields.Nested(LoadedPluginSchema))
    refused = fields.List(fields.Nested(RefusedPluginSchema))
