"""The office's calendar editor: the years and their state, a year as twelve month grids with its
holidays and make-up workdays, adding and removing them, and marking a year complete."""

from __future__ import annotations

from datetime import date

from babel.dates import get_day_names, get_month_names
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _

from spotcheck.calendar import editing
from spotcheck.calendar.editing import CalendarError
from spotcheck.calendar.forms import ActionForm, DayForm, RemoveDayForm, StartYearForm
from spotcheck.calendar.models import CalendarYear, DayKind
from spotcheck.calendar.months import month_grids
from spotcheck.calendar.service import missing_years
from spotcheck.db import session
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.roles import Permission

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def _locale() -> str:
    return str(get_locale() or "zh")


def _calendar_year(year: int) -> CalendarYear:
    calendar_year = editing.year_of(session, year)
    if calendar_year is None:
        abort(404)
    return calendar_year


def _index_page(form: StartYearForm) -> str:
    return render_template("calendar/index.html", years=editing.year_overview(session), form=form,
                           missing_calendar_years=missing_years(session, today()))


@bp.get("/")
@require_permission(Permission.OVERSEE)
def index() -> str:
    """Every year's calendar and its state, and a warning for the years deadlines will need."""
    return _index_page(StartYearForm())


@bp.post("/years")
@require_permission(Permission.OVERSEE)
def start() -> Response | str:
    """Begin a year's calendar (typically next year's, once the State Council publishes it)."""
    form = StartYearForm()
    if not form.validate_on_submit():
        return _index_page(form)
    try:
        calendar_year = editing.start_year(session, form.year.data)
    except CalendarError as error:
        form.year.errors = [error.message(_locale())]
        return _index_page(form)
    session.commit()
    flash(_("The calendar for %(year)s is started: enter its holidays and make-up workdays.",
            year=calendar_year.year), "success")
    return redirect(url_for(".year", year=calendar_year.year))


def _year_page(calendar_year: CalendarYear, form: DayForm) -> str:
    locale = _locale()
    overrides = {day.day: day for day in calendar_year.days}
    return render_template(
        "calendar/year.html", calendar_year=calendar_year, form=form, remove_form=RemoveDayForm(),
        action_form=ActionForm(), months=month_grids(calendar_year.year, overrides),
        month_names=get_month_names("wide", locale=locale),
        day_names=get_day_names("abbreviated", locale=locale),
        holidays=[d for d in calendar_year.days if d.kind == DayKind.HOLIDAY.value],
        workdays=[d for d in calendar_year.days if d.kind == DayKind.WORKDAY.value])


@bp.get("/<int:year>")
@require_permission(Permission.OVERSEE)
def year(year: int) -> str:
    """A year as twelve month grids, its overrides, and the form to change them; a day clicked in
    a grid fills in the form's date."""
    calendar_year = _calendar_year(year)
    form = DayForm(formdata=None)
    form.day.data = _day_argument(year)
    return _year_page(calendar_year, form)


def _day_argument(year: int) -> date | None:
    try:
        chosen = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None
    return chosen if chosen.year == year else None


@bp.post("/<int:year>/days")
@require_permission(Permission.OVERSEE)
def set_day(year: int) -> Response | str:
    """Make a day a holiday or a make-up workday (or change its kind or festival)."""
    calendar_year = _calendar_year(year)
    form = DayForm()
    if not form.validate_on_submit():
        return _year_page(calendar_year, form)
    try:
        day = editing.set_day(session, calendar_year, form.day.data, DayKind(form.kind.data),
                              form.name.data)
    except CalendarError as error:
        form.day.errors = [error.message(_locale())]
        return _year_page(calendar_year, form)
    session.commit()
    flash(_("%(day)s is now %(kind)s (%(name)s).", day=day.day.isoformat(), kind=day.kind_label,
            name=day.name), "success")
    return redirect(url_for(".year", year=year))


@bp.post("/<int:year>/days/remove")
@require_permission(Permission.OVERSEE)
def remove_day(year: int) -> Response:
    """Let a day follow the Monday–Friday rule again."""
    calendar_year = _calendar_year(year)
    form = RemoveDayForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        editing.remove_day(session, calendar_year, form.day.data)
    except CalendarError as error:
        flash(error.message(_locale()), "error")
        return redirect(url_for(".year", year=year))
    session.commit()
    flash(_("%(day)s follows the Monday to Friday rule again.", day=form.day.data.isoformat()),
          "success")
    return redirect(url_for(".year", year=year))


@bp.post("/<int:year>/complete")
@require_permission(Permission.OVERSEE)
def complete(year: int) -> Response:
    """Declare the year's schedule complete: deadlines in it are computed from now on."""
    calendar_year = _calendar_year(year)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        editing.mark_complete(session, calendar_year)
    except CalendarError as error:
        flash(error.message(_locale()), "error")
        return redirect(url_for(".year", year=year))
    session.commit()
    flash(_("The calendar for %(year)s is complete: deadlines in it can be computed.", year=year),
          "success")
    return redirect(url_for(".year", year=year))
