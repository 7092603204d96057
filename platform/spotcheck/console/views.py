"""The console's pages: the dashboard, the assessment, the coverage breakdowns and the progress
report's downloads. The office sees every member unit (or the one it chose); a department sees
itself, and asking for another answers 404."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, g, render_template, request
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from spotcheck import audit
from spotcheck.console import report, service
from spotcheck.console.assessment import LABELS
from spotcheck.console.charts import Bar, bar_chart, percent
from spotcheck.console.coverage import DIMENSIONS
from spotcheck.console.forms import ConsoleFilterForm
from spotcheck.console.metrics import Dashboard
from spotcheck.console.periods import PeriodError, period_from
from spotcheck.db import session
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.roles import Permission

bp = Blueprint("console", __name__, url_prefix="/console")

COVERAGE_COLUMNS = frozenset({"directory", "checked"})


def _locale() -> str:
    return str(get_locale() or "zh")


def _filters() -> tuple[ConsoleFilterForm, service.Choice]:
    """The filter form and the choice it makes; 404 for a department the user may not see."""
    units = service.member_units(session) if service.oversees(current_user) else []
    form = ConsoleFilterForm(request.args, departments=[(d.code, d.name(_locale())) for d in units])
    valid = form.validate()
    year = form.year.data if valid and form.year.data else today().year
    form.year.data = year
    try:
        period = period_from(year, form.period.data if valid else None)
    except PeriodError:
        abort(404)
    user_session = g.get("user_session")
    acting = user_session.acting_department_id if user_session is not None else None
    try:
        choice = service.choose(session, current_user, period, request.args.get("department") or None, acting)
    except service.NotVisible:
        abort(404)
    return form, choice


def _args(choice: service.Choice) -> dict[str, str]:
    """The query string that makes ``choice`` again (for links between the console's pages)."""
    args = {"year": str(choice.period.year), "period": choice.period.token}
    if choice.department is not None and service.oversees(current_user):
        args["department"] = choice.department.code
    return args


def _rate_chart(title: str, dashboard: Dashboard, rate: str) -> object:
    bars = [Bar(row.department.name(_locale()), row.figures.rate(rate) or 0.0, percent(row.figures.rate(rate)))
            for row in dashboard.rows]
    return bar_chart(title, bars)


@bp.get("/")
@require_permission(Permission.WORK)
def index() -> str:
    """The dashboard: every figure of the period, per member unit and in total, with charts."""
    form, choice = _filters()
    # Every unit's coverage counts the whole directory: the coverage page and the assessment show
    # it, the page of every unit shows the total (docs/performance.md).
    dashboard = service.figures(session, choice, unit_coverage=not choice.all_units)
    columns = report.COLUMNS if not choice.all_units else tuple(
        (name, label) for name, label in report.COLUMNS if name not in COVERAGE_COLUMNS)
    charts = {name: _rate_chart(str(label), dashboard, name) for name, label in (
        ("tasks_completed", LABELS["tasks_completed"]), ("tasks_completed_on_time", LABELS["tasks_completed_on_time"]),
        ("published_on_time", LABELS["published_on_time"]))} if len(dashboard.rows) > 1 else {}
    return render_template("console/dashboard.html", form=form, choice=choice, dashboard=dashboard,
                           args=_args(choice), charts=charts, columns=columns, cell=report.cell,
                           total_plans=report.total_plans, percent=percent, locale=_locale())


@bp.get("/assessment")
@require_permission(Permission.WORK)
def assessment() -> str:
    """The assessment: each department's score for the period, and how it was reached."""
    form, choice = _filters()
    dashboard = service.figures(session, choice)
    scores = service.scores(dashboard)
    chart = bar_chart(_("Score"), [
        Bar(s.department.name(_locale()), (s.total or 0) / 100, "—" if s.total is None else f"{s.total:.1f}")
        for s in scores]) if len(scores) > 1 else None
    return render_template("console/assessment.html", form=form, choice=choice, scores=scores,
                           criteria=service.criteria(), args=_args(choice), chart=chart, percent=percent,
                           locale=_locale())


@bp.get("/coverage")
@require_permission(Permission.WORK)
def coverage() -> str:
    """Coverage of the directory in the period, by kind, area, industry and credit class."""
    form, choice = _filters()
    shares = service.shares(session, choice)
    charts = {d: bar_chart(str(report.DIMENSION_LABELS[d]), [Bar(s.label, s.rate or 0.0, percent(s.rate))
                                                              for s in shares[d]]) for d in DIMENSIONS}
    return render_template("console/coverage.html", form=form, choice=choice, shares=shares, charts=charts,
                           dimensions=DIMENSIONS, labels=report.DIMENSION_LABELS, args=_args(choice),
                           percent=percent)


@bp.get("/report.xlsx")
@require_permission(Permission.WORK)
def report_xlsx() -> Response:
    """The period's progress report as an Excel workbook (recorded in the audit trail)."""
    return _download("xlsx")


@bp.get("/report.pdf")
@require_permission(Permission.WORK)
def report_pdf() -> Response:
    """The period's progress report as PDF, its Chinese font embedded (recorded in the audit trail)."""
    return _download("pdf")


def _download(file_format: str) -> Response:
    _form, choice = _filters()
    dashboard = service.figures(session, choice)
    made = report.Report(dashboard, service.scores(dashboard), service.shares(session, choice))
    body = report.workbook(made) if file_format == "xlsx" else report.pdf(made)
    audit.record(session, "export", "progress_report", None, {
        "format": file_format, "period": choice.period.slug,
        "department": choice.department.code if choice.department else None})
    session.commit()
    who = choice.department.code if choice.department else "all"
    name = f"工作通报-{choice.period.slug}-{who}.{file_format}"
    mimetype = report.XLSX_MIMETYPE if file_format == "xlsx" else "application/pdf"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
