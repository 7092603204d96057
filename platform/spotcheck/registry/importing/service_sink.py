"""The sink of the small directories (inspectors, experts): rows written through their services.

A department has hundreds of inspectors and experts, not millions: their validated rows are kept
in memory, compared with the directory by the service's own upsert in dry-run mode, and written
by the same upsert through the ORM, so each created or changed inspector or expert is audited row
by row, like an edit in a form, and the tenancy layer checks every write.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from spotcheck.api.i18n import N_
from spotcheck.registry.errors import FieldError
from spotcheck.registry.importing.engine import ImportContext, Progress
from spotcheck.registry.importing.report import Report, RowOutcome, problem

DUPLICATE = N_("%(what)s is also in rows %(rows)s of this file: keep one row for each.")

Upsert = Callable[..., Any]
"""``upsert(session, department_id, rows, dry_run=…)`` returning lists ``created``, ``updated``
and ``unchanged`` of row keys."""


class ServiceSink:
    """Collects valid rows; compares and writes them with a directory service's upsert."""

    def __init__(self, context: ImportContext,
                 validate: Callable[[Mapping[str, str]], tuple[Any | None, list[FieldError]]],
                 key: Callable[[Any], Hashable], describe: Callable[[Any], tuple[str, str]],
                 upsert: Upsert, key_field: str) -> None:
        self.context = context
        self.validate = validate
        self.key = key
        self.describe = describe
        self.upsert = upsert
        self.key_field = key_field
        self.rows: list[tuple[int, Any]] = []

    def add(self, rows: list[tuple[int, Any]]) -> None:
        self.rows.extend(rows)

    def finish(self, report: Report) -> None:
        by_key: dict[Hashable, list[tuple[int, Any]]] = {}
        for number, row in self.rows:
            by_key.setdefault(self.key(row), []).append((number, row))
        kept: list[tuple[int, Any]] = []
        for members in by_key.values():
            if len(members) == 1:
                kept.extend(members)
                continue
            for number, row in members:
                key, name = self.describe(row)
                others = "、".join(str(n) for n, _r in members if n != number)
                report.add_problem(problem("duplicate_in_file", DUPLICATE, row=number,
                                           field=self.key_field,
                                           column=report.columns.get(self.key_field),
                                           what=f"{key} {name}".strip(), rows=others))
                report.add_row(RowOutcome(number, "invalid", key, name))
        self.rows = sorted(kept, key=lambda item: item[0])
        planned = self.upsert(self.context.session, self.context.department.id,
                              self._valid(), dry_run=True)
        actions = {**{k: "create" for k in planned.created}, **{k: "update" for k in planned.updated},
                   **{k: "unchanged" for k in planned.unchanged}}
        for number, row in self.rows:
            key, name = self.describe(row)
            report.add_row(RowOutcome(number, actions[self.key(row)], key, name))

    def apply(self, progress: Progress | None) -> None:
        self.upsert(self.context.session, self.context.department.id, self._valid())
        self.context.session.flush()
        if progress:
            progress("write", 1, 1)

    def close(self) -> None:
        self.rows = []

    def _valid(self) -> Sequence[Any]:
        return [row for _number, row in self.rows]
