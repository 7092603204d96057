"""The hooks of the bureau: the entry point ``spotcheck.departments: wlj``.

Its department, items, forms and follow-up rules are the data files of this package. Its target
sync source (seed article 10) is the holders of entertainment, network culture and travel agency
licences, as the culture market licensing system exports them. The district has no live link to
the licensing system, so the plugin ships its export.
"""

from __future__ import annotations

from spotcheck.plugin_api import CsvTargetSource, DataPlugin

PACKAGE = "spotcheck_wlj"

PLUGIN = DataPlugin(PACKAGE, sync_source=CsvTargetSource(
    PACKAGE, "data/culture_tourism_licences.csv", code="culture_tourism_licences", name_zh="文化和旅游经营许可信息",
    name_en="Culture and tourism business licences"))
