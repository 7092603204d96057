"""Every model of the core, imported in one place so the metadata is complete.

Used by migrations (autogenerate and the models-match-migrations test) and by test fixtures.
"""

from spotcheck.audit.models import AuditCheckpoint, AuditRecord
from spotcheck.calendar.models import CalendarDay, CalendarYear
from spotcheck.db import Base
from spotcheck.draw.models import (Draw, DrawCandidate, DrawDepartment, DrawExclusion, DrawSelection,
                                   DrawStratum, DrawTally, MatchExclusion, Replacement, Team,
                                   TeamMember)
from spotcheck.followup.credit import CreditEvent
from spotcheck.followup.models import FollowUp, FollowUpEvent
from spotcheck.inspection.models import Evidence, Notice, Task, TaskEvent, TaskItem
from spotcheck.planning.models import AnnualPlan, PlanItem, PlanParticipant
from spotcheck.publication.models import Publication, PublicationDepartment, PublicTarget
from spotcheck.punishment.models import CreditRepair, PunishmentBasisEvent, PunishmentEntry
from spotcheck.registry.areas import Area
from spotcheck.registry.experts.models import Expert, ExpertSpeciality
from spotcheck.registry.importing.models import ImportRun
from spotcheck.registry.inspectors.models import (Inspector, InspectorArea, InspectorAuthority,
                                                  InspectorConflict)
from spotcheck.registry.items.models import CheckItem, CheckItemVersion
from spotcheck.registry.targets.models import Target, TargetEvent, TargetSupervision, TargetTag
from spotcheck.tenancy.models import ApiToken, Department, User, UserSession

metadata = Base.metadata

__all__ = [
    "AnnualPlan", "ApiToken", "Area", "AuditCheckpoint", "AuditRecord", "CalendarDay", "CalendarYear", "CheckItem",
    "CheckItemVersion", "CreditEvent", "CreditRepair", "Department", "Draw", "DrawCandidate", "DrawDepartment",
    "DrawExclusion", "DrawSelection", "DrawStratum", "DrawTally", "Evidence", "Expert",
    "ExpertSpeciality", "FollowUp", "FollowUpEvent", "ImportRun", "Inspector", "InspectorArea", "InspectorAuthority",
    "InspectorConflict", "MatchExclusion", "Notice", "PlanItem", "PlanParticipant", "Publication",
    "PublicationDepartment", "PublicTarget", "PunishmentBasisEvent", "PunishmentEntry", "Replacement", "Target", "TargetEvent",
    "TargetSupervision", "TargetTag", "Task", "TaskEvent", "TaskItem", "Team", "TeamMember", "User",
    "UserSession", "metadata"
]
