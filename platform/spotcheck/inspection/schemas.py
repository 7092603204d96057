"""The API documents of inspection tasks and the leader's and the head's actions on them.

Every action carries ``version``, the task's version as last read: a stale one is a conflict (409).
Required fields are checked once the task is found, so that another department's task answers 404
whatever the body.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from spotcheck.inspection.models import NON_COOPERATION_LABELS, ResultCategory, TaskState

STATES = [s.value for s in TaskState]
CATEGORIES = [c.value for c in ResultCategory]
SITUATIONS = list(NON_COOPERATION_LABELS)


class TaskQuerySchema(Schema):
    """Filters of the tasks list."""

    state = fields.String(validate=validate.OneOf(STATES))
    overdue = fields.Boolean(metadata={"description": "Only overdue tasks (true) or only the others (false)"})
    plan = fields.Integer(metadata={"description": "Id of the annual plan"})
    page = fields.Integer(load_default=1)
    per_page = fields.Integer(load_default=100)


class TaskTargetSchema(Schema):
    """The target the team visits."""

    code = fields.String()
    name = fields.String()
    address = fields.String(allow_none=True)


class TaskSummarySchema(Schema):
    """A task as the work queue lists it."""

    id = fields.Integer()
    version = fields.Integer(metadata={"description": "Send it back with every action (optimistic locking)"})
    plan = fields.Integer()
    batch = fields.Integer()
    draw = fields.Integer()
    team = fields.Integer()
    initiator = fields.String(metadata={"description": "Code of the initiating department"})
    target = fields.Nested(TaskTargetSchema)
    leader = fields.String(allow_none=True, metadata={"description": "Certificate number of the leader"})
    state = fields.String(metadata={"enum": STATES})
    scheduled_on = fields.Date(allow_none=True)
    schedule_note = fields.String(allow_none=True)
    check_ended_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True,
                         metadata={"description": "Results due: 7 working days after the check ended"})
    overdue = fields.Boolean(metadata={"description": "Not recorded by the due date: counts as not completed"})
    result_category = fields.String(allow_none=True, metadata={"enum": CATEGORIES})
    non_cooperation = fields.List(fields.String(metadata={"enum": SITUATIONS}),
                                  metadata={"description": "Situations of article 18"})
    recorded_at = fields.DateTime(allow_none=True)
    recorded_by = fields.String(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    reviewed_by = fields.String(allow_none=True)
    review_note = fields.String(allow_none=True, metadata={
        "description": "The head's note; the reason when the results were returned (state on_site)"})


class TaskItemStateSchema(Schema):
    """A department's item on the task."""

    id = fields.Integer()
    department = fields.String()
    item = fields.String(metadata={"description": "Code of the check item"})
    name_zh = fields.String()
    name_en = fields.String()
    notice_forbidden = fields.Boolean(metadata={"description": "The law forbids advance notice"})
    form = fields.String(metadata={"description": "Code of the checklist form"})
    online_status = fields.String(allow_none=True)
    online_fields = fields.List(fields.String(), metadata={"description": "Form fields verified online"})
    verified_online = fields.Boolean(metadata={"description": "Every field of the form was verified online"})
    recorded = fields.Boolean()
    recorded_at = fields.DateTime(allow_none=True)
    recorded_by = fields.String(allow_none=True)
    methods = fields.List(fields.String())
    findings = fields.List(fields.String())


class TaskTrailEventSchema(Schema):
    """A state change of the task."""

    from_state = fields.String(data_key="from", allow_none=True, metadata={"enum": STATES})
    to_state = fields.String(data_key="to", metadata={"enum": STATES})
    by = fields.String()
    at = fields.DateTime()
    note = fields.String(allow_none=True)


class TaskSuggestionSchema(Schema):
    """The result the findings point to; the leader decides."""

    category = fields.String(metadata={"enum": CATEGORIES})
    non_cooperation = fields.List(fields.String(metadata={"enum": SITUATIONS}))


class TaskSchema(TaskSummarySchema):
    """A task with its items, its notices and evidence counted, its trail and the suggested result."""

    items = fields.List(fields.Nested(TaskItemStateSchema))
    notices = fields.Integer(metadata={"description": "How many advance notices were recorded"})
    evidence = fields.Integer(metadata={"description": "How many evidence files are attached"})
    trail = fields.List(fields.Nested(TaskTrailEventSchema))
    suggestion = fields.Nested(TaskSuggestionSchema)
    may_skip_on_site = fields.Boolean(metadata={"description": "The online check verified every item"})


class TaskVersionInputSchema(Schema):
    """An action needing nothing but the version."""

    version = fields.Integer(metadata={"description": "Required: the task's version as last read"})


class TaskScheduleInputSchema(TaskVersionInputSchema):
    """The day of the visit (before the team is on site)."""

    scheduled_on = fields.Date(metadata={"description": "Required"})
    note = fields.String(allow_none=True, validate=validate.Length(max=1000))


class TaskEndCheckInputSchema(TaskVersionInputSchema):
    """The day the check ended, not in the future: the results are due 7 working days later."""

    ended_on = fields.Date(metadata={"description": "Required"})


class TaskResultInputSchema(TaskVersionInputSchema):
    """The result category; for ``non_cooperation`` one or more situations of article 18."""

    category = fields.String(validate=validate.OneOf(CATEGORIES), metadata={"description": "Required"})
    non_cooperation = fields.List(fields.String(validate=validate.OneOf(SITUATIONS)), load_default=list)


class TaskApproveInputSchema(TaskVersionInputSchema):
    """The head's approval, with an optional note."""

    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class TaskReturnInputSchema(TaskVersionInputSchema):
    """The head returns the results to the team, saying why."""

    reason = fields.String(validate=validate.Length(min=1, max=2000), metadata={"description": "Required"})
