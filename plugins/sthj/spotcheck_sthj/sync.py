"""The bureau's target sync source (seed article 10): the holders of pollutant discharge permits,
as the national permit management platform exports them.

The branch downloads the platform's list of permits in the district; the plugin ships that export.
Each row of ``data/discharge_permits.csv`` is a target in the import row format plus
``changed_at``, when the source system last changed it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timezone
from importlib.resources import files
from typing import Any

PACKAGE = "spotcheck_sthj"
EXPORT = "discharge_permits.csv"


class PermitRegister:
    """Pollutant discharge permits (排污许可证核发信息)."""

    code = "discharge_permits"
    name_zh = "排污许可证核发信息"
    name_en = "Pollutant discharge permits"

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
