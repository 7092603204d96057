"""The hooks of the bureau: the entry point ``spotcheck.departments: sthj``.

Its department, items, forms and follow-up rules are the data files of this package. Its target
sync source (seed article 10) is the holders of pollutant discharge permits, as the national
permit management platform exports them. The branch downloads the platform's list of permits in
the district; the plugin ships that export.
"""

from __future__ import annotations

from spotcheck.plugin_api import CsvTargetSource, DataPlugin

PACKAGE = "spotcheck_sthj"

PLUGIN = DataPlugin(PACKAGE, sync_source=CsvTargetSource(
    PACKAGE, "data/discharge_permits.csv", code="discharge_permits", name_zh="排污许可证核发信息",
    name_en="Pollutant discharge permits"))
