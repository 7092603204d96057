"""The hooks of the bureau: the entry point ``spotcheck.departments: wsjk``.

Its department, items, forms and follow-up rules are the data files of this package. Its target
sync source (seed article 10) is the holders of public place hygiene licences, as the licensing
system exports them. The district has no live link to the licensing system, so the plugin ships
its export.
"""

from __future__ import annotations

from spotcheck.plugin_api import CsvTargetSource, DataPlugin

PACKAGE = "spotcheck_wsjk"

PLUGIN = DataPlugin(PACKAGE, sync_source=CsvTargetSource(
    PACKAGE, "data/hygiene_licences.csv", code="hygiene_licences", name_zh="公共场所卫生许可证发放信息",
    name_en="Public place hygiene licences"))
