"""A target sync source reading an export a plugin ships (seed article 10).

Few districts have a live link to a department's licensing or registration system; what they have
is its export. A plugin ships the export as a CSV file whose rows are targets in the import row
format plus ``changed_at`` (ISO 8601, with its time zone): when the source system last changed the
row, which is how a sync takes only what changed since the last one.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.resources import files
from typing import Any

CHANGED_AT = "changed_at"


@dataclass(frozen=True)
class CsvTargetSource:
    """The target rows of ``filename`` (a ``/``-separated path inside ``package``).

    ``code``, ``name_zh`` and ``name_en`` name the source system, as the sync report shows it.
    """

    package: str
    filename: str
    code: str
    name_zh: str
    name_en: str

    def fetch(self, since: datetime | None) -> Iterator[dict[str, Any]]:
        """Rows changed after ``since`` (all when ``None``), without ``changed_at`` and blank cells."""
        text = files(self.package).joinpath(*self.filename.split("/")).read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            changed_at = datetime.fromisoformat(row.pop(CHANGED_AT))
            if since is None or changed_at > _aware(since):
                yield {key: value for key, value in row.items() if value}


def _aware(moment: datetime) -> datetime:
    # The core may hand over a naive UTC time (SQLite keeps no time zone).
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
