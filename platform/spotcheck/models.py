"""Every model of the core, imported in one place so the metadata is complete.

Used by migrations (autogenerate and the models-match-migrations test) and by test fixtures.
"""

from spotcheck.audit.models import AuditRecord
from spotcheck.db import Base
from spotcheck.tenancy.models import ApiToken, Department, User, UserSession

metadata = Base.metadata

__all__ = ["ApiToken", "AuditRecord", "Department", "User", "UserSession", "metadata"]
