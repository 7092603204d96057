"""The hooks of the bureau: the entry point ``spotcheck.departments: rsj``.

Its department, items, forms and follow-up rules are the data files of this package. Its target
sync source (seed article 10) is the construction projects under way in the district, as the wage
payment monitoring and early-warning platform exports them. The district has no live link to the
platform (保障农民工工资支付条例 第三十八条), so the plugin ships its export; a project has no credit
code, so the directory matches it by kind and name.
"""

from __future__ import annotations

from spotcheck.plugin_api import CsvTargetSource, DataPlugin

PACKAGE = "spotcheck_rsj"

PLUGIN = DataPlugin(PACKAGE, sync_source=CsvTargetSource(
    PACKAGE, "data/construction_projects.csv", code="construction_projects", name_zh="农民工工资支付监控预警平台在建项目",
    name_en="Construction projects under wage monitoring"))
