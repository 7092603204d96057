"""The assessment (绩效考评) of each member unit's spot-check work for a period (seed article 21).

Each scored figure is a share from 0 to 1 (:data:`spotcheck.console.metrics.RATES`) with a weight
and a target. A figure earns ``weight × min(1, share / target)`` points: reaching the target earns
the whole weight, falling short earns in proportion. A figure with nothing to count in the period
(no task dispatched, no follow-up opened…) is left out and the other weights are scaled up, so a
department is neither rewarded nor punished for work it was not given. The score is out of 100.

The weights and targets are the office's to set: ``CONSOLE_ASSESSMENT`` in the configuration
(``docs/console.md``), a mapping of figure name to ``{"weight": …, "target": …}`` replacing
:data:`DEFAULT_SCHEME` as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from spotcheck.console.metrics import RATES, Dashboard, Figures

DEFAULT_SCHEME: dict[str, dict[str, float]] = {
    "plans_on_time": {"weight": 10, "target": 1.0},
    "tasks_completed": {"weight": 20, "target": 1.0},
    "tasks_completed_on_time": {"weight": 20, "target": 0.95},
    "published_on_time": {"weight": 20, "target": 0.95},
    "followups_closed": {"weight": 15, "target": 0.8},
    "coverage": {"weight": 15, "target": 0.05},
}
"""The scheme used unless ``CONSOLE_ASSESSMENT`` is set: weights add up to 100."""

LABELS: dict[str, LazyString] = {
    "plans_on_time": _l("Annual plan submitted by the end of February"),
    "tasks_completed": _l("Tasks completed"),
    "tasks_completed_on_time": _l("Tasks completed within 7 working days"),
    "published_on_time": _l("Results published within 20 working days"),
    "followups_closed": _l("Follow-ups closed"),
    "coverage": _l("Coverage of the directory"),
}
"""What each scored figure is, as the breakdown names it."""


class SchemeError(ValueError):
    """A ``CONSOLE_ASSESSMENT`` the console cannot score with; says which figure and why."""


@dataclass(frozen=True)
class Criterion:
    figure: str
    weight: float
    target: float

    @property
    def label(self) -> str:
        return str(LABELS[self.figure])


def scheme_from(config: Mapping[str, Any] | None) -> list[Criterion]:
    """The criteria of ``config`` (``None``: :data:`DEFAULT_SCHEME`), checked."""
    raw = DEFAULT_SCHEME if config is None else config
    criteria = []
    for figure, setting in raw.items():
        if figure not in RATES:
            raise SchemeError(f"CONSOLE_ASSESSMENT: unknown figure {figure!r} (one of {', '.join(RATES)})")
        try:
            weight, target = float(setting["weight"]), float(setting["target"])
        except (KeyError, TypeError, ValueError) as error:
            raise SchemeError(f"CONSOLE_ASSESSMENT[{figure!r}]: needs a numeric weight and target") from error
        if weight < 0 or not 0 < target <= 1:
            raise SchemeError(f"CONSOLE_ASSESSMENT[{figure!r}]: weight ≥ 0 and 0 < target ≤ 1")
        criteria.append(Criterion(figure, weight, target))
    if not any(c.weight for c in criteria):
        raise SchemeError("CONSOLE_ASSESSMENT: at least one figure needs a weight")
    return criteria


@dataclass(frozen=True)
class Line:
    """One criterion of one department's score: its share, and the points it earned (``None``:
    nothing to count, left out)."""

    criterion: Criterion
    rate: float | None
    points: float | None
    out_of: float


@dataclass(frozen=True)
class Score:
    department: Any
    lines: list[Line]

    @property
    def total(self) -> float | None:
        """Points out of 100; ``None`` when no criterion had anything to count."""
        counted = [line for line in self.lines if line.points is not None]
        if not counted:
            return None
        return round(sum(line.points for line in counted if line.points is not None), 1)


def score(figures: Figures, criteria: list[Criterion], department: Any = None) -> Score:
    """The score of ``figures`` under ``criteria``, with the breakdown."""
    rates = {c.figure: figures.rate(c.figure) for c in criteria}
    weight_counted = sum(c.weight for c in criteria if rates[c.figure] is not None)
    scale = 100 / weight_counted if weight_counted else 0.0
    lines = []
    for criterion in criteria:
        rate = rates[criterion.figure]
        out_of = criterion.weight * scale if rate is not None else 0.0
        points = None if rate is None else round(out_of * min(1.0, rate / criterion.target), 1)
        lines.append(Line(criterion, rate, points, round(out_of, 1)))
    return Score(department, lines)


def assess(dashboard: Dashboard, criteria: list[Criterion]) -> list[Score]:
    """Every department of ``dashboard``, scored, best first (unscored ones last)."""
    scores = [score(row.figures, criteria, row.department) for row in dashboard.rows]
    return sorted(scores, key=lambda s: (s.total is None, -(s.total or 0), s.department.code))
