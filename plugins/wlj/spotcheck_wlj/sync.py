"""The bureau's target sync source (seed article 10): the holders of entertainment,
network culture and travel agency licences, as the culture market licensing system exports them.

The district has no live link to the licensing system, so the plugin ships its export. Each row of
``data/culture_tourism_licences.csv`` is a target in the import row format plus ``changed_at``,
when the source system last changed it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timezone
from importlib.resources import files
from typing import Any

PACKAGE = "spotcheck_wlj"
EXPORT = "culture_tourism_licences.csv"


class CultureLicenceRegister:
    """Culture and tourism business licences (文化和旅游经营许可信息)."""

    code = "culture_tourism_licences"
    name_zh = "文化和旅游经营许可信息"
    name_en = "Culture and tourism business licences"

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
