"""The district's areas (所属区域): sub-districts (街道) and towns (镇) with their communities (社区)
and villages (村).

Areas are platform-wide (every department places its targets in the same district) and are loaded
from a JSON file in the shape of ``demo/data/chengdong-areas.json`` by ``spotcheck areas load FILE``.

Codes follow the structure of the national statistical division codes (统计用区划代码): the
district's six-digit division code, then three digits numbering the sub-district or town, then
three more numbering the community or village within it — ``630102001`` is the first sub-district
of the district, ``630102001004`` its fourth community. Numbers are given in file order when an
area is first loaded and never change afterwards: a reload matches areas by name, keeps their
codes and numbers new areas after the highest one in use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from spotcheck.db import Base

AREA_KINDS: dict[str, Any] = {
    "subdistrict": _l("Sub-district"),  # 街道
    "town": _l("Town"),                 # 镇
    "community": _l("Community"),       # 社区
    "village": _l("Village"),           # 村
}
"""The kinds of area, by stored code, with their display names."""

KIND_BY_CHINESE = {"街道": "subdistrict", "镇": "town", "乡": "town", "社区": "community",
                   "村": "village"}
TOP_KINDS = frozenset({"subdistrict", "town"})
PATH_SEPARATOR = "/"


class Area(Base):
    """One area of the district: a sub-district or town, or a community or village within one."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # "东关大街街道/北关社区": how people name an area in imports and forms.
    path: Mapped[str] = mapped_column(String(201), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Area | None] = relationship(remote_side=[id])

    @property
    def kind_label(self) -> str:
        return str(AREA_KINDS.get(self.kind, self.kind))

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.path}>"


class AreaFileError(ValueError):
    """An areas file that cannot be loaded; the message says where and why."""


@dataclass
class AreaLoadReport:
    """What loading an areas file did."""

    created: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_area_file(path: Path) -> dict[str, Any]:
    """Read and check an areas file (the shape of ``demo/data/chengdong-areas.json``)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AreaFileError(f"{path}: not a readable JSON file ({error})") from None
    check_area_document(document)
    return document


def check_area_document(document: Any) -> None:
    """Raise :class:`AreaFileError` naming the first thing wrong with an areas document."""
    if not isinstance(document, dict):
        raise AreaFileError("the file must hold a JSON object")
    code = str(document.get("district", {}).get("division_code", ""))
    if not (len(code) == 6 and code.isdigit()):
        raise AreaFileError("district.division_code must be the district's six-digit division code")
    areas = document.get("areas")
    if not isinstance(areas, list) or not areas:
        raise AreaFileError("areas must be a non-empty list")
    for number, area in enumerate(areas, start=1):
        where = f"areas[{number}]"
        if not isinstance(area, dict) or not str(area.get("name", "")).strip():
            raise AreaFileError(f"{where}: every area needs a name")
        if KIND_BY_CHINESE.get(area.get("kind", "")) not in TOP_KINDS:
            raise AreaFileError(f"{where} ({area['name']}): kind must be 街道 or 镇")
        children = area.get("communities", [])
        if not isinstance(children, list) or not all(isinstance(c, str) and c.strip()
                                                     for c in children):
            raise AreaFileError(f"{where} ({area['name']}): communities must be a list of names")
        if PATH_SEPARATOR in area["name"] or any(PATH_SEPARATOR in c for c in children):
            raise AreaFileError(f"{where} ({area['name']}): names may not contain '/'")


def child_kind(name: str) -> str:
    """A community (社区) or a village (村), told by the name's ending, as gazetteers write them."""
    return "village" if name.endswith("村") else "community"


def load_areas(db_session: Session, document: dict[str, Any]) -> AreaLoadReport:
    """Create the areas of ``document`` that do not exist yet (see the module's docstring).

    Loading the same file again changes nothing; existing areas keep their codes and names.
    """
    check_area_document(document)
    division = str(document["district"]["division_code"])
    existing = {area.path: area for area in db_session.scalars(select(Area))}
    report = AreaLoadReport()

    def next_code(prefix: str, siblings: Iterable[Area]) -> str:
        numbers = [int(a.code[len(prefix):]) for a in siblings if a.code.startswith(prefix)]
        return f"{prefix}{max(numbers, default=0) + 1:03d}"

    def ensure(name: str, kind: str, parent: Area | None, position: int) -> Area:
        path = name if parent is None else f"{parent.path}{PATH_SEPARATOR}{name}"
        area = existing.get(path)
        if area is not None:
            report.unchanged += 1
            return area
        prefix = division if parent is None else parent.code
        siblings = [a for a in existing.values() if a.parent is parent]
        area = Area(code=next_code(prefix, siblings), name=name, path=path, kind=kind,
                    parent=parent, position=position)
        db_session.add(area)
        existing[path] = area
        report.created.append(path)
        return area

    for position, item in enumerate(document["areas"]):
        top = ensure(item["name"].strip(), KIND_BY_CHINESE[item["kind"]], None, position)
        for child_position, child in enumerate(item.get("communities", [])):
            ensure(child.strip(), child_kind(child.strip()), top, child_position)
    db_session.flush()
    return report


def normalise_area_name(text: str) -> str:
    """An area as typed by a person, in the form :class:`AreaIndex` looks up."""
    return PATH_SEPARATOR.join(part.strip() for part in text.replace("／", PATH_SEPARATOR)
                               .split(PATH_SEPARATOR))


@dataclass(frozen=True)
class AreaIndex:
    """Every way of naming an area, mapped to its id: code, path ("东关大街街道/北关社区") and
    plain name where that name is unique in the district. Built once, then looked up per row."""

    ids: dict[str, int]
    labels: dict[int, str]

    def resolve(self, text: str) -> int | None:
        """The id of the area ``text`` names, or ``None``."""
        return self.ids.get(normalise_area_name(text))

    def label(self, area_id: int | None) -> str:
        """The path of an area, for display."""
        return "" if area_id is None else self.labels.get(area_id, "")


def area_index(db_session: Session) -> AreaIndex:
    """The :class:`AreaIndex` of the areas in the database."""
    rows = db_session.execute(select(Area.id, Area.code, Area.name, Area.path)).all()
    name_counts: dict[str, int] = {}
    for row in rows:
        name_counts[row.name] = name_counts.get(row.name, 0) + 1
    ids: dict[str, int] = {}
    for row in rows:
        if name_counts[row.name] == 1:
            ids[row.name] = row.id
    for row in rows:
        ids[row.path] = row.id
        ids[row.code] = row.id
    return AreaIndex(ids, {row.id: row.path for row in rows})


def area_tree(db_session: Session) -> list[tuple[Area, list[Area]]]:
    """The district's sub-districts and towns in order, each with its communities and villages."""
    areas = list(db_session.scalars(select(Area).order_by(Area.position, Area.code)))
    children: dict[int, list[Area]] = {}
    for area in areas:
        if area.parent_id is not None:
            children.setdefault(area.parent_id, []).append(area)
    return [(area, children.get(area.id, [])) for area in areas if area.parent_id is None]


areas_cli = AppGroup("areas", help="The district's areas (所属区域).")


@areas_cli.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(file: Path) -> None:
    """Load the district's areas from FILE (JSON); areas already loaded are left as they are."""
    from spotcheck.cli import system_session

    db = system_session()
    try:
        report = load_areas(db, read_area_file(file))
    except AreaFileError as error:
        raise click.ClickException(str(error)) from None
    db.commit()  # each area created is audited as it is written
    click.echo(f"areas created: {len(report.created)}; already there: {report.unchanged}")
