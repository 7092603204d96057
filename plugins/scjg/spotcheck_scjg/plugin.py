"""The hooks of the bureau: the entry point ``spotcheck.departments: scjg``.

Its department, items, forms and follow-up rules are the data files of this package; the online
pre-check of enterprise disclosure (:mod:`spotcheck_scjg.online`) is the one part that needs code.
"""

from __future__ import annotations

from spotcheck.plugin_api import DataPlugin
from spotcheck_scjg import online

PACKAGE = "spotcheck_scjg"

PLUGIN = DataPlugin(PACKAGE, precheck=online.precheck)
