"""The hooks of the bureau: the entry point ``spotcheck.departments: yjgl``.

Its department, items, forms and follow-up rules are the data files of this package. Its target
sync source (seed article 10) is the holders of hazardous chemicals business licences, as the
licensing system exports them. The district has no live link to the provincial licensing system, so
the plugin ships its export.
"""

from __future__ import annotations

from spotcheck.plugin_api import CsvTargetSource, DataPlugin

PACKAGE = "spotcheck_yjgl"

PLUGIN = DataPlugin(PACKAGE, sync_source=CsvTargetSource(
    PACKAGE, "data/hazardous_chemicals_licences.csv", code="hazchem_licences", name_zh="危险化学品经营许可证核发信息",
    name_en="Hazardous chemicals business licences"))
