"""The public portal (``/public/``, seed articles 8, 9, 12, 16(3)): no sign-in, Chinese first.

Each department's item list, the district's published annual plan, every executed draw with its
commitment, counts and proof, the published results by target (search by name prefix or code,
a page per target with its credit class and public credit record), the joint punishment list, and
the open-data downloads. Only what is published appears:

- items: the current versions of enabled items of active departments
  (:func:`spotcheck.registry.items.service.published_items`);
- plans: the plans the office published; a draw names its plan only once that plan is published;
- draws: executed ones (a prepared draw has no public page, like a missing one);
- results: the public tables of :mod:`spotcheck.publication.models` alone, never the directory;
- credit: the class and the public events of the record, the listed entries with a public basis
  (:mod:`spotcheck.punishment.public`).

Plans, draws and items are department rows, read here in the system scope with those conditions
written out and copied into plain rows for the templates, so nothing else of them reaches a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, stream_with_context, url_for
from flask_babel import get_locale
from marshmallow import EXCLUDE, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from spotcheck.db import session, utcnow
from spotcheck.draw.models import Draw, DrawState
from spotcheck.inspection.models import RESULT_LABELS, ResultCategory
from spotcheck.planning.models import AnnualPlan, PlanState
from spotcheck.planning.service import published_plans
from spotcheck.publication import opendata, service
from spotcheck.publication.public_api import filters_from
from spotcheck.publication.schemas import OpenDataQuerySchema
from spotcheck.punishment.public import public_credit, public_list
from spotcheck.registry.areas import TOP_KINDS, Area
from spotcheck.registry.items.service import published_items
from spotcheck.registry.items.vocabulary import method_label, target_kind_label
from spotcheck.registry.targets.codes import KINDS
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped
from spotcheck.web.csvexport import csv_response
from spotcheck.web.pagination import Page

bp = Blueprint("portal", __name__, url_prefix="/public")

DRAWS_PER_PAGE = 50
PUNISHMENTS_PER_PAGE = 50
LATEST = 10
SCHEMAS = ("open-data-result", "open-data-results", "open-data-result-csv", "national-disclosure")
"""The JSON Schemas of the open data, served under /public/open-data/ (``spotcheck/contracts`` is
``schemas/``, shipped with the package)."""


def _locale() -> str:
    return str(get_locale() or "zh")


def _page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


@bp.get("/")
def index() -> str:
    """The portal's front page: what is published here, a search box and the latest results."""
    return render_template("portal/index.html", latest=service.latest(session, LATEST), locale=_locale())


@dataclass(frozen=True)
class DepartmentItems:
    """A department's published item list."""

    department: Department
    items: list[dict[str, Any]]


@bp.get("/items")
def items() -> str:
    """Each department's spot-check item list (抽查事项清单, art. 9), current versions only."""
    locale = _locale()
    groups: dict[int, DepartmentItems] = {}
    for row in published_items(session):
        content = row.version.content
        group = groups.setdefault(row.department.id, DepartmentItems(row.department, []))
        group.items.append({
            "code": content["code"], "name": row.version.name(locale),
            "legal_basis": [f"{b['law']}{b['article']}" for b in content.get("legal_basis") or ()],
            "target_kinds": [target_kind_label(k) for k in content.get("target_kinds") or ()],
            "methods": [method_label(m) for m in content.get("methods") or ()],
            "key_item": bool(content.get("key_item"))})
    return render_template("portal/items.html", groups=list(groups.values()), locale=locale)


@dataclass(frozen=True)
class PublicPlan:
    """A published annual plan, as the portal shows it."""

    id: int
    name: str
    type_label: str
    initiator: Department
    participants: list[Department]
    window_start: date
    window_end: date
    ratio_bp: int
    kinds: list[str]
    areas: list[str]
    items: list[tuple[str, str]]


def _public_plan(plan: AnnualPlan, locale: str) -> PublicPlan:
    return PublicPlan(plan.id, plan.name, plan.type_label, plan.initiator,
                      [p.department for p in plan.participants], plan.window_start, plan.window_end,
                      plan.ratio_bp, [target_kind_label(k) for k in plan.scope_list("kinds")],
                      plan.scope_list("areas"), [(i.department.code, i.name(locale)) for i in plan.items])


@bp.get("/plans")
def plans() -> str:
    """The district's published annual plan (年度部门联合抽查计划, art. 12), year by year."""
    locale = _locale()
    with scoped(session, Scope.system()):
        years = list(session.scalars(
            select(AnnualPlan.year).where(AnnualPlan.state == PlanState.PUBLISHED.value)
            .distinct().order_by(AnnualPlan.year.desc())))
        year = request.args.get("year", type=int)
        if year not in years:
            year = years[0] if years else None
        shown = [_public_plan(p, locale) for p in published_plans(session, year)] if year else []
    return render_template("portal/plans.html", plans=shown, years=years, year=year, locale=locale)


@dataclass(frozen=True)
class PublicDraw:
    """An executed draw, as the portal shows it: no person's name."""

    id: int
    year: int
    plan_name: str | None
    initiator: Department
    drawn_at: Any
    commitment: str
    candidates_digest: str
    candidate_count: int
    excluded_count: int
    selected_count: int | None
    public_entropy: str | None
    server_secret: str
    seed: str | None
    strata: list[dict[str, Any]]


def _public_draw(draw: Draw) -> PublicDraw:
    published = draw.plan.state == PlanState.PUBLISHED.value
    return PublicDraw(draw.id, draw.year, draw.plan.name if published else None, draw.initiator,
                      draw.drawn_at, draw.commitment, draw.candidates_digest, draw.candidate_count, draw.excluded_count,
                      draw.selected_count, draw.public_entropy, draw.server_secret, draw.seed,
                      [{"key": s.key, "rule": dict(s.rule), "candidates": s.candidate_count, "quota": s.quota}
                       for s in draw.strata])


def _executed() -> Any:
    return (select(Draw).where(Draw.state == DrawState.EXECUTED.value)
            .options(selectinload(Draw.plan), selectinload(Draw.initiator), selectinload(Draw.strata)))


@bp.get("/draws")
def draws() -> str:
    """Every executed draw, the latest first: commitment, counts and the proof to verify it."""
    number = _page()
    with scoped(session, Scope.system()):
        total = session.scalar(select(func.count()).where(Draw.state == DrawState.EXECUTED.value)) or 0
        last = max(1, -(-total // DRAWS_PER_PAGE))
        number = min(number, last)
        rows = [_public_draw(d) for d in session.scalars(
            _executed().order_by(Draw.drawn_at.desc(), Draw.id.desc())
            .offset((number - 1) * DRAWS_PER_PAGE).limit(DRAWS_PER_PAGE))]
    return render_template("portal/draws.html", page=Page(rows, number, DRAWS_PER_PAGE, total),
                           locale=_locale())


@bp.get("/draws/<int:draw_id>")
def draw(draw_id: int) -> str:
    """An executed draw: its commitment, public random number, seed, strata and counts, and how
    anyone checks it. A draw not executed answers 404 like a missing one."""
    with scoped(session, Scope.system()):
        found = session.scalars(_executed().where(Draw.id == draw_id)).one_or_none()
        if found is None:
            abort(404)
        shown = _public_draw(found)
    return render_template("portal/draw.html", draw=shown, locale=_locale())


@bp.get("/results")
def results() -> str:
    """Published results by target: a search by name prefix or unified social credit code."""
    query = (request.args.get("q") or "").strip()[:100]
    found = service.search_targets(session, query, _page()) if query else None
    # Each kind translated once, and each row's link made by joining the code to the prefix: a
    # page of fifty rows would otherwise translate and build URLs fifty times over.
    return render_template("portal/results.html", query=query, found=found, locale=_locale(),
                           kinds={code: str(term.label) for code, term in KINDS.items()},
                           target_prefix=url_for(".index") + "targets/")


@bp.get("/targets/<code>")
def target(code: str) -> str:
    """A target's published checks: day, departments, items, result and follow-up. A target with
    none answers 404, like one that does not exist."""
    shown = service.public_target(session, code.strip().upper())
    if shown is None:
        abort(404)
    return render_template("portal/target.html", target=shown, kinds=KINDS, locale=_locale(),
                           publications=service.publications_of(session, shown),
                           credit=public_credit(session, shown, _locale()),
                           area=session.scalars(select(Area).where(Area.code == shown.area_code))
                           .one_or_none())


@bp.get("/punishments")
def punishments() -> str:
    """The joint punishment list (联合惩戒): the listed targets with their published basis."""
    return render_template("portal/punishments.html", locale=_locale(),
                           page=public_list(session, _page(), PUNISHMENTS_PER_PAGE, _locale()))


@bp.get("/open-data")
def open_data() -> str:
    """The open data: what each download holds, its filters and its JSON Schema."""
    return render_template(
        "portal/open_data.html", years=opendata.years(session), locale=_locale(),
        schemas=[(f"{name}.schema.json", url_for(f".schema_{name.replace('-', '_')}")) for name in SCHEMAS],
        departments=list(session.scalars(select(Department).where(Department.active.is_(True),
                                                                  Department.is_office.is_(False))
                                          .order_by(Department.code))),
        areas=list(session.scalars(select(Area).where(Area.kind.in_(sorted(TOP_KINDS))).order_by(Area.code))),
        categories=[(c.value, RESULT_LABELS[c]) for c in ResultCategory], args=request.args)


def _filters() -> opendata.Filters:
    """The download's filters from the query, or a 400 naming each invalid one in both languages."""
    try:
        # As the API does with its query: parameters of no filter (page, limit…) are left alone.
        query = OpenDataQuerySchema(unknown=EXCLUDE).load(
            {k: v for k, v in request.args.items() if v and k != "limit"})
    except ValidationError as invalid:
        names = ", ".join(sorted(invalid.normalized_messages()))
        abort(Response(f"查询参数无效：{names}\nInvalid query parameters: {names}\n", status=400,
                       mimetype="text/plain"))
    return filters_from(query)


def _stamp() -> str:
    return utcnow().strftime("%Y%m%d")


@bp.get("/open-data/results.csv")
def results_csv() -> Response:
    """Every published result matching the filters, as CSV (UTF-8 with BOM), streamed."""
    filters, names = _filters(), opendata.labels()
    # The rows are read while the response streams, after this view returns: from this unit of
    # work itself, not the per-context proxy.
    db = session._get_current_object()  # type: ignore[attr-defined]
    rows = (opendata.csv_row(opendata.document(row, names)) for row in opendata.rows(db, filters))
    return csv_response(f"spot-check-results-{_stamp()}.csv", opendata.CSV_COLUMNS, rows)


@bp.get("/open-data/results.json")
def results_json() -> Response:
    """Every published result matching the filters, as one JSON document, streamed."""
    filters = _filters()
    db = session._get_current_object()  # type: ignore[attr-defined]
    chunks: Iterator[str] = opendata.json_chunks(db, filters, utcnow())
    response = Response(stream_with_context(chunks), mimetype="application/json")
    response.headers["Content-Disposition"] = f"attachment; filename=spot-check-results-{_stamp()}.json"
    return response


@bp.get("/open-data/national.csv")
def national_csv() -> Response:
    """The market entities' results in the columns the national disclosure system imports."""
    filters = _filters()
    db = session._get_current_object()  # type: ignore[attr-defined]
    return csv_response(f"抽查检查结果-{_stamp()}.csv", opendata.NATIONAL_COLUMNS,
                        opendata.national_rows(db, filters))


def _schema_view(name: str) -> Any:
    def view() -> Response:
        from importlib.resources import files

        text = (files("spotcheck") / "contracts" / f"{name}.schema.json").read_text(encoding="utf-8")
        return Response(text, mimetype="application/schema+json")

    view.__name__ = f"schema_{name.replace('-', '_')}"
    view.__doc__ = f"The JSON Schema {name}.schema.json."
    return view


for _name in SCHEMAS:
    bp.add_url_rule(f"/open-data/{_name}.schema.json", view_func=_schema_view(_name))
