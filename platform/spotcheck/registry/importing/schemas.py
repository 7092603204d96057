"""The API's documents of the bulk import: an upload's options and a run with its report."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from spotcheck.api.schemas import MessageSchema
from spotcheck.registry.importing import encodings


class UploadSchema(Schema):
    """A file to import (multipart/form-data) and how."""

    file = Upload(metadata={"description": "The file: CSV (UTF-8, UTF-8 with BOM, GBK, GB18030) or "
                                           ".xlsx, with the template's headers in its first row"})
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "Check every row and report what would happen; write nothing"})
    valid_only = fields.Boolean(load_default=False, metadata={
        "description": "Import the valid rows even when other rows have problems"})
    encoding = fields.String(load_default=None, validate=validate.OneOf(encodings.CHOICES),
                             metadata={"description": "A CSV file's encoding (default: detected)"})


class ProblemSchema(Schema):
    """One problem: where (row as in Excel, header = row 1; column as written) and why."""

    row = fields.Integer(allow_none=True)
    column = fields.String(allow_none=True)
    field = fields.String(allow_none=True, metadata={"description": "The field's English key"})
    code = fields.String(metadata={"description": "Stable reason code, e.g. check_digit"})
    message = fields.Nested(MessageSchema)


class CountsSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    supervised = fields.Integer(metadata={"description": "Targets the department starts supervising"})
    unchanged = fields.Integer()
    invalid = fields.Integer()


class RowOutcomeSchema(Schema):
    row = fields.Integer()
    action = fields.String(metadata={"description": "create, update, supervise, unchanged or invalid"})
    key = fields.String(metadata={"description": "The record's code"})
    name = fields.String()
    changed = fields.List(fields.String(), metadata={"description": "The fields the row changes"})


class ImportRunSchema(Schema):
    """One run: what was imported, how it went, and its report."""

    id = fields.Integer()
    kind = fields.String(metadata={"description": "targets, inspectors or experts"})
    status = fields.String(metadata={"description": "checked (dry run), refused, applied or failed"})
    dry_run = fields.Boolean()
    mode = fields.String(metadata={"description": "all_or_nothing or valid_only"})
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    file_name = fields.String(allow_none=True)
    file_size = fields.Integer(allow_none=True)
    sha256 = fields.String(allow_none=True)
    file_format = fields.String(allow_none=True)
    encoding = fields.String(allow_none=True)
    counts = fields.Nested(CountsSchema)
    problems_total = fields.Integer()
    problems = fields.List(fields.Nested(ProblemSchema))
    rows = fields.List(fields.Nested(RowOutcomeSchema), metadata={
        "description": "What each row does (the first IMPORT_REPORT_MAX_ROWS rows)"})
