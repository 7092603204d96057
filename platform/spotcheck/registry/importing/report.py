"""The import report: every problem found, what each row would do (or did), and the counts.

A report is what the user reads after a dry run or an import, and what an :class:`ImportRun`
keeps (as JSON) so it can be opened again later. Each problem names the row as the user sees it
in Excel or a text editor (the header is row 1), the column by its header as written in the file,
and the reason in Chinese and English.

Reports are bounded: a file with a systematic mistake (a wrong column in 200,000 rows) would
otherwise make a report larger than the file. The first ``IMPORT_REPORT_MAX_ERRORS`` problems and
the first ``IMPORT_REPORT_MAX_ROWS`` row outcomes are listed; the counts always cover every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from spotcheck.api.i18n import N_, bilingual
from spotcheck.registry.errors import FieldError

Action = Literal["create", "update", "supervise", "unchanged", "invalid"]
ACTIONS: tuple[Action, ...] = ("create", "update", "supervise", "unchanged", "invalid")
"""What an import does with a row: ``supervise`` is a target already in the directory that the
importing department does not supervise yet, and starts to (its record is updated too when the
row differs from it)."""

ACTION_LABELS = {
    "create": N_("New"),
    "update": N_("Changed"),
    "supervise": N_("Start supervising"),
    "unchanged": N_("Unchanged"),
    "invalid": N_("Invalid"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the file, a header, or one cell of one row."""

    code: str
    message_zh: str
    message_en: str
    row: int | None = None
    column: str | None = None
    field: str | None = None

    def message(self, locale: str) -> str:
        """The message in ``locale`` (Chinese unless English is asked for)."""
        return self.message_en if locale.startswith("en") else self.message_zh


def problem(code: str, msgid: str, *, row: int | None = None, column: str | None = None,
            field: str | None = None, **values: Any) -> Problem:
    """A :class:`Problem` whose messages are the catalog's translations of ``msgid``."""
    messages = bilingual(msgid, row=row, column=column, **values)
    return Problem(code, messages["zh"], messages["en"], row=row, column=column, field=field)


def from_field_error(error: FieldError, row: int, column: str | None) -> Problem:
    """A validator's :class:`FieldError` placed at its row and column."""
    return Problem(error.code, error.message_zh, error.message_en, row=row, column=column,
                   field=error.field)


class FileProblem(Exception):
    """The file cannot be imported at all (unreadable, too large, bad headers): nothing is read
    further. Carries every problem found so far."""

    def __init__(self, problems: Problem | Iterable[Problem]) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(p.message_en for p in self.problems))


@dataclass(slots=True)
class RowOutcome:
    """What a row does: its action, the record's key and name, the fields it changes, and a note
    (for a target starting to be supervised: who supervises it already)."""

    row: int
    action: Action
    key: str
    name: str
    changed: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    """Everything one run found: counts, problems (bounded) and row outcomes (bounded)."""

    max_problems: int
    max_rows: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    problems: list[Problem] = field(default_factory=list)
    problems_total: int = 0
    rows: list[RowOutcome] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    """Field → its header as the file writes it."""

    @property
    def ok(self) -> bool:
        """Whether nothing at all is wrong."""
        return self.problems_total == 0

    @property
    def rows_total(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_listed_all(self) -> bool:
        return len(self.rows) == self.rows_total

    def add_problem(self, found: Problem) -> None:
        """Count ``found``; list it while the report has room."""
        self.problems_total += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(found)

    def add_row(self, outcome: RowOutcome) -> None:
        """Count ``outcome``; list it while the report has room."""
        self.counts[outcome.action] += 1
        self.list_row(outcome)

    def list_row(self, outcome: RowOutcome) -> None:
        """List an outcome already counted (see :meth:`count`), while the report has room."""
        if len(self.rows) < self.max_rows:
            self.rows.append(outcome)

    def count(self, action: str, number: int) -> None:
        """Count ``number`` rows of ``action`` without listing them."""
        self.counts[action] += number

    def discard_rows(self) -> None:
        """Forget the rows counted and listed (the file turned out unreadable further on)."""
        self.counts = dict.fromkeys(ACTIONS, 0)
        self.rows = []

    def sort(self) -> None:
        """Put the listed problems (the file's own first) and outcomes in file order, keeping
        the first rows when over the bound."""
        self.problems.sort(key=lambda found: -1 if found.row is None else found.row)
        self.rows.sort(key=lambda outcome: outcome.row)
        del self.rows[self.max_rows:]

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-able data (what :class:`ImportRun` stores)."""
        return {"counts": self.counts, "problems": [asdict(p) for p in self.problems],
                "problems_total": self.problems_total,
                "rows": [[o.row, o.action, o.key, o.name, o.changed, o.note] for o in self.rows],
                "columns": self.columns, "max_problems": self.max_problems,
                "max_rows": self.max_rows}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """A report read back from :meth:`as_dict`'s data."""
        return cls(max_problems=data["max_problems"], max_rows=data["max_rows"],
                   counts=dict(data["counts"]),
                   problems=[Problem(**p) for p in data["problems"]],
                   problems_total=data["problems_total"],
                   rows=[RowOutcome(r[0], r[1], r[2], r[3], list(r[4]), r[5]) for r in data["rows"]],
                   columns=dict(data.get("columns", {})))
