"""The bureau's target sync source (seed article 10): the construction projects under way in the
district, as the wage payment monitoring and early-warning platform exports them.

The district has no live link to the platform (保障农民工工资支付条例 第三十八条), so the plugin
ships its export. Each row of ``data/construction_projects.csv`` is a target in the import row
format plus ``changed_at``, when the platform last changed it; a project has no credit code, so
the directory matches it by kind and name.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timezone
from importlib.resources import files
from typing import Any

PACKAGE = "spotcheck_rsj"
EXPORT = "construction_projects.csv"


class ProjectRegister:
    """Construction projects under wage monitoring (农民工工资支付监控预警平台在建项目)."""

    code = "construction_projects"
    name_zh = "农民工工资支付监控预警平台在建项目"
    name_en = "Construction projects under wage monitoring"

    def fetch(self, since: datetime | None) -> Iterator[dict[str, Any]]:
        """Rows changed after ``since`` (all when ``None``), without blank cells."""
        text = files(PACKAGE).joinpath("data", EXPORT).read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            changed_at = datetime.fromisoformat(row.pop("changed_at"))
            if since is None or changed_at > _aware(since):
                yield {key: value for key, value in row.items() if value}


def _aware(moment: datetime) -> datetime:
    # The core may hand over a naive UTC time (SQLite keeps no time zone).
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
