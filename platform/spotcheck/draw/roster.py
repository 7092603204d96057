"""What the pages show of a draw's results: drawn targets with their names, teams with their
leader and members by department, replacements with who went out and who came in.

A joint team works across departments: a participant must know the target it visits and the
colleagues it visits with, though its own scope reads neither another department's inspectors
nor targets it does not supervise. So once the caller has established that the draw or team is
visible, the names shown here are read in the system scope — codes and names only (plus the
target's address, where the team goes), never other fields of the directories.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spotcheck.draw.models import Draw, DrawExclusion, DrawSelection, Replacement, Team, TeamMember
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped


@dataclass(frozen=True)
class TargetName:
    """A drawn target as a team sees it."""

    code: str
    name: str
    address: str | None = None


@dataclass(frozen=True)
class MemberRow:
    """An inspector on a team (or replaced on it)."""

    id: int
    code: str
    name: str
    department_id: int
    leader: bool
    active: bool


@dataclass
class DepartmentGroup:
    """A department's members on a team."""

    department: Department
    members: list[MemberRow] = field(default_factory=list)


@dataclass
class TeamRow:
    """A team with its target, leader, members by department and the members replaced on it."""

    team: Team
    target: TargetName
    leader: MemberRow | None
    groups: list[DepartmentGroup]
    replaced: list[MemberRow]

    def group_of(self, department_id: int) -> DepartmentGroup | None:
        return next((g for g in self.groups if g.department.id == department_id), None)


CHUNK = 5000
"""Ids per IN list when names of a whole draw's targets are read."""


def target_names(db_session: Session, target_ids: Iterable[int]) -> dict[int, TargetName]:
    """Code, name and address of each target, by id (the caller has checked the draw is visible)."""
    ids = sorted(set(target_ids))
    names: dict[int, TargetName] = {}
    with scoped(db_session, Scope.system()):
        for start in range(0, len(ids), CHUNK):
            names.update((row[0], TargetName(row[1], row[2], row[3])) for row in db_session.execute(
                select(Target.id, Target.code, Target.name, Target.address)
                .where(Target.id.in_(ids[start:start + CHUNK]))))
    return names


def inspector_names(db_session: Session, inspector_ids: Iterable[int]) -> dict[int, str]:
    """The name of each inspector, by id (the caller has checked the team is visible)."""
    ids = list(set(inspector_ids))
    if not ids:
        return {}
    with scoped(db_session, Scope.system()):
        return dict(db_session.execute(select(Inspector.id, Inspector.name).where(Inspector.id.in_(ids))).all())


def departments(db_session: Session, department_ids: Iterable[int]) -> dict[int, Department]:
    ids = list(set(department_ids))
    return {d.id: d for d in db_session.scalars(select(Department).where(Department.id.in_(ids)))}


def team_rows(db_session: Session, teams: Sequence[Team]) -> list[TeamRow]:
    """The rows of visible ``teams``, in their order, in a fixed number of queries."""
    if not teams:
        return []
    members = db_session.scalars(select(TeamMember).where(TeamMember.team_id.in_([t.id for t in teams]))
                                 .order_by(TeamMember.team_id, TeamMember.seq)).all()
    names = inspector_names(db_session, (m.inspector_id for m in members))
    targets = target_names(db_session, (t.target_id for t in teams))
    by_id = departments(db_session, (m.department_id for m in members))
    of_team: dict[int, list[TeamMember]] = {}
    for member in members:
        of_team.setdefault(member.team_id, []).append(member)
    rows = []
    for team in teams:
        groups: dict[int, DepartmentGroup] = {}
        replaced = []
        leader = None
        for member in of_team.get(team.id, []):
            row = MemberRow(member.id, member.inspector_code, names.get(member.inspector_id, ""),
                            member.department_id, member.leader, member.active)
            if not member.active:
                replaced.append(row)
                continue
            # Picks come initiator first, then the participants in matching order.
            groups.setdefault(member.department_id, DepartmentGroup(by_id[member.department_id])).members.append(row)
            if member.leader:
                leader = row
        rows.append(TeamRow(team, targets.get(team.target_id, TargetName("?", "")), leader,
                            list(groups.values()), replaced))
    return rows


@dataclass(frozen=True)
class ReplacementRow:
    """A replacement as the pages list it."""

    replacement: Replacement
    target: TargetName
    out: MemberRow
    incoming: MemberRow | None


def replacement_rows(db_session: Session, replacements: Sequence[Replacement]) -> list[ReplacementRow]:
    """The rows of visible ``replacements``, with the names of the inspectors going and coming."""
    members = [m for r in replacements for m in (r.member, r.incoming) if m is not None]
    names = inspector_names(db_session, (m.inspector_id for m in members))
    targets = target_names(db_session, (r.team.target_id for r in replacements))

    def row(member: TeamMember | None) -> MemberRow | None:
        if member is None:
            return None
        return MemberRow(member.id, member.inspector_code, names.get(member.inspector_id, ""),
                         member.department_id, member.leader, member.active)

    return [ReplacementRow(r, targets.get(r.team.target_id, TargetName("?", "")),
                           row(r.member), row(r.incoming))  # type: ignore[arg-type]
            for r in replacements]


def replacements_of_draw(db_session: Session, draw: Draw) -> list[Replacement]:
    """Every replacement request of ``draw``: the approved in proof order, then the others."""
    return list(db_session.scalars(select(Replacement).where(Replacement.draw_id == draw.id)
                                   .order_by(Replacement.seq.is_(None), Replacement.seq, Replacement.id)))


def exclusion_counts(db_session: Session, draw: Draw) -> list[tuple[str, int]]:
    """How many targets of the batch's scope the preparation excluded, by reason."""
    return [(reason, count) for reason, count in db_session.execute(
        select(DrawExclusion.reason, func.count()).where(DrawExclusion.draw_id == draw.id)
        .group_by(DrawExclusion.reason).order_by(DrawExclusion.reason))]


def selected_counts(db_session: Session, draw: Draw) -> dict[int, int]:
    """How many targets the draw took from each stratum position."""
    return dict(db_session.execute(select(DrawSelection.stratum, func.count()).where(
        DrawSelection.draw_id == draw.id).group_by(DrawSelection.stratum)).all())


def stratum_positions(db_session: Session, draw: Draw, target_ids: Iterable[int]) -> dict[int, int]:
    """The stratum position each of the drawn ``target_ids`` was drawn from."""
    return dict(db_session.execute(select(DrawSelection.target_id, DrawSelection.stratum).where(
        DrawSelection.draw_id == draw.id, DrawSelection.target_id.in_(list(target_ids)))).all())


def selected_by_stratum(db_session: Session, draw: Draw, limit: int | None = None
                        ) -> dict[int, list[TargetName]]:
    """The drawn targets of each stratum position in rank order (the first ``limit`` of each)."""
    statement = (select(DrawSelection.stratum, DrawSelection.rank, DrawSelection.target_id)
                 .where(DrawSelection.draw_id == draw.id)
                 .order_by(DrawSelection.stratum, DrawSelection.rank))
    if limit is not None:
        statement = statement.where(DrawSelection.rank < limit)
    rows = db_session.execute(statement).all()
    names = target_names(db_session, (r.target_id for r in rows))
    chosen: dict[int, list[TargetName]] = {}
    for stratum, _rank, target_id in rows:
        chosen.setdefault(stratum, []).append(names[target_id])
    return chosen
