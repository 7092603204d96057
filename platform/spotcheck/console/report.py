"""The progress report (工作通报) of a period: every department's figures, the assessment with its
breakdown, and the coverage, as an Excel workbook and as a PDF ready to circulate.

The report is an official Chinese document: it is written in Chinese whatever the reader's
language. The PDF is laid out by WeasyPrint from ``console/report_pdf.html`` with the system's
Noto Sans CJK font, embedded as a subset (see :mod:`spotcheck.inspection.pdf`).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from flask import render_template
from flask_babel import force_locale, lazy_gettext as _l
from flask_babel.speaklater import LazyString
from openpyxl import Workbook
from openpyxl.styles import Font

from spotcheck.console.assessment import Score
from spotcheck.console.charts import percent
from spotcheck.console.coverage import DIMENSIONS, Share
from spotcheck.console.metrics import Dashboard, Figures
from spotcheck.inspection.pdf import FONT_FAMILY

LOCALE = "zh"

COLUMNS: tuple[tuple[str, LazyString], ...] = (
    ("plan_status", _l("Annual plan")),
    ("draws_executed", _l("Draws executed")),
    ("targets_drawn", _l("Targets drawn")),
    ("tasks", _l("Tasks dispatched")),
    ("tasks_completed", _l("Tasks completed")),
    ("tasks_completed_on_time", _l("Completed within 7 working days")),
    ("tasks_overdue", _l("Tasks overdue")),
    ("published", _l("Results published")),
    ("published_on_time", _l("Published within 20 working days")),
    ("followups_open", _l("Follow-ups open")),
    ("followups_overdue", _l("Follow-ups overdue")),
    ("followups_closed", _l("Follow-ups closed")),
    ("replacements", _l("Replacement requests")),
    ("replacements_approved", _l("Replacements approved")),
    ("visits", _l("Joint visits")),
    ("department_checks", _l("Separate visits needed")),
    ("directory", _l("Targets in the directory")),
    ("checked", _l("Targets checked")),
)
"""The columns of the figures table, in the report and on the dashboard."""

PLAN_STATUS = {"on_time": _l("On time"), "late": _l("Late"), "missing": _l("Not submitted")}

DIMENSION_LABELS = {"kind": _l("By target kind"), "area": _l("By area"),
                    "industry": _l("By industry"), "credit_class": _l("By credit class")}

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(figures: Figures, column: str) -> Any:
    """What the figures table shows in ``column``."""
    if column == "plan_status":
        return str(PLAN_STATUS[figures.plan_status])
    return getattr(figures, column)


def total_plans(figures: Figures) -> str:
    """The total row's plan column: how many units were on time, late, missing."""
    return f"{figures.plans_on_time} / {figures.plans_late} / {figures.plans_missing}"


@dataclass(frozen=True)
class Report:
    """What a report holds: the dashboard, the scores and the coverage breakdowns."""

    dashboard: Dashboard
    scores: list[Score]
    coverage: dict[str, list[Share]]

    @property
    def title(self) -> str:
        return str(_l("Progress report of the joint spot checks: %(period)s",
                      period=self.dashboard.period.label()))


def workbook(report: Report) -> bytes:
    """The report as an .xlsx workbook: figures, assessment and coverage sheets."""
    with force_locale(LOCALE):
        book = Workbook()
        _figures_sheet(book.active, report)
        _assessment_sheet(book.create_sheet(), report)
        _coverage_sheet(book.create_sheet(), report)
        out = BytesIO()
        book.save(out)
    return out.getvalue()


def _heading(sheet: Any, title: str, header: list[str]) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(header)
    for item in sheet[2]:
        item.font = Font(bold=True)


def _figures_sheet(sheet: Any, report: Report) -> None:
    sheet.title = str(_l("Figures"))
    _heading(sheet, report.title, [str(_l("Department")), *(str(label) for _n, label in COLUMNS)])
    for row in report.dashboard.rows:
        sheet.append([row.department.name_zh, *(cell(row.figures, name) for name, _label in COLUMNS)])
    total = report.dashboard.total
    if report.dashboard.department is None:
        sheet.append([str(_l("All member units")),
                      *(total_plans(total) if name == "plan_status" else cell(total, name)
                        for name, _label in COLUMNS)])


def _assessment_sheet(sheet: Any, report: Report) -> None:
    sheet.title = str(_l("Assessment"))
    criteria = report.scores[0].lines if report.scores else []
    header = [str(_l("Department")), str(_l("Score"))]
    for line in criteria:
        header += [f"{line.criterion.label}", f"{line.criterion.label} · {_l('Points')}"]
    _heading(sheet, report.title, header)
    for item in report.scores:
        values: list[Any] = [item.department.name_zh, item.total]
        for line in item.lines:
            values += [percent(line.rate), line.points]
        sheet.append(values)


def _coverage_sheet(sheet: Any, report: Report) -> None:
    sheet.title = str(_l("Coverage"))
    _heading(sheet, report.title, [str(_l("Breakdown")), str(_l("Value")), str(_l("Targets in the directory")),
                                   str(_l("Targets checked")), str(_l("Coverage"))])
    for dimension in DIMENSIONS:
        for share in report.coverage[dimension]:
            sheet.append([str(DIMENSION_LABELS[dimension]), share.label, share.directory, share.checked,
                          percent(share.rate)])


def pdf(report: Report) -> bytes:
    """The report as a PDF with its Chinese font embedded."""
    with force_locale(LOCALE):
        html = render_template("console/report_pdf.html", report=report, columns=COLUMNS, cell=cell,
                               total_plans=total_plans, percent=percent, dimensions=DIMENSIONS,
                               dimension_labels=DIMENSION_LABELS, font_family=FONT_FAMILY)
    # Imported here: WeasyPrint loads Pango when imported, and the rest of the platform runs without it.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
