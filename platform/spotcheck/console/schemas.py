"""The API documents of the console: the query, each department's figures, and its score."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from marshmallow import Schema, fields, validate

from spotcheck.console.metrics import RATES, Figures
from spotcheck.console.periods import PERIOD_CHOICES

PERIODS = [token for token, _label in PERIOD_CHOICES]


class ConsoleQuerySchema(Schema):
    """Whose figures, for which period."""

    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    period = fields.String(load_default="year", validate=validate.OneOf(PERIODS),
                           metadata={"description": "year, h1–h2, q1–q4 or m1–m12"})
    department = fields.String(metadata={"description": "A member unit's code (the office only; anyone "
                                                        "else gets their own department's figures)"})


FiguresSchema = Schema.from_dict(
    {f.name: fields.Integer() for f in dataclass_fields(Figures)}, name="ConsoleFigures")
"""Every count of :class:`~spotcheck.console.metrics.Figures`."""


class DepartmentFiguresSchema(Schema):
    """One member unit's figures, and its plan submission (on_time, late, missing)."""

    department = fields.String(metadata={"description": "The department's code"})
    plan_status = fields.String(validate=validate.OneOf(["on_time", "late", "missing"]))
    figures = fields.Nested(FiguresSchema)


class DashboardSchema(Schema):
    """The figures of a period: one entry per member unit shown, and the total."""

    year = fields.Integer()
    period = fields.String()
    start = fields.Date()
    end = fields.Date()
    department = fields.String(allow_none=True, metadata={"description": "The department chosen; null: all"})
    departments = fields.List(fields.Nested(DepartmentFiguresSchema))
    total = fields.Nested(FiguresSchema)


class ScoreLineSchema(Schema):
    """One figure of a score: its share, target, weight, points and what they were out of."""

    figure = fields.String(validate=validate.OneOf(list(RATES)))
    weight = fields.Float()
    target = fields.Float()
    rate = fields.Float(allow_none=True)
    points = fields.Float(allow_none=True, metadata={"description": "null: nothing to count, left out"})
    out_of = fields.Float()


class ScoreSchema(Schema):
    """A department's score out of 100 (null: nothing to count), with its breakdown."""

    department = fields.String()
    total = fields.Float(allow_none=True)
    lines = fields.List(fields.Nested(ScoreLineSchema))


class AssessmentSchema(Schema):
    """The scores of a period, best first."""

    year = fields.Integer()
    period = fields.String()
    scores = fields.List(fields.Nested(ScoreSchema))
