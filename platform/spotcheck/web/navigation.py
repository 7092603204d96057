"""What the layout offers each role: the navigation bar and the duties listed on the workbench.

Both follow the role's permissions (:mod:`spotcheck.tenancy.roles`), so a link is shown exactly to
the users its page admits. A concept that adds a page adds its entry to :data:`NAVIGATION`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from spotcheck.tenancy.roles import Permission, Role, has_permission


@dataclass(frozen=True)
class NavItem:
    """One link of the navigation bar; shown to a role holding any of ``permissions``.

    An empty ``permissions`` means every signed-in user.
    """

    endpoint: str
    label: LazyString
    permissions: frozenset[Permission] = frozenset()

    def visible_to(self, role: Role) -> bool:
        """Whether ``role`` may open the page this item links to."""
        return not self.permissions or any(has_permission(role, p) for p in self.permissions)


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home.index", _l("Workbench")),
    NavItem("targets.index", _l("Target directory"), frozenset({Permission.WORK})),
    NavItem("items.index", _l("Item list"), frozenset({Permission.WORK})),
    NavItem("inspectors.index", _l("Inspectors"), frozenset({Permission.WORK})),
    NavItem("experts.index", _l("Expert pool"), frozenset({Permission.WORK})),
    NavItem("imports.index", _l("Bulk import"), frozenset({Permission.WORK})),
    NavItem("plans.index", _l("Annual plans"), frozenset({Permission.WORK})),
    NavItem("draws.index", _l("Draws"), frozenset({Permission.WORK})),
    NavItem("teams.index", _l("Teams"), frozenset({Permission.WORK, Permission.INSPECT})),
    NavItem("tasks.index", _l("Inspection tasks"),
            frozenset({Permission.WORK, Permission.INSPECT, Permission.OVERSEE})),
    NavItem("followups.index", _l("Follow-up"), frozenset({Permission.WORK})),
    NavItem("punishments.index", _l("Joint punishment"), frozenset({Permission.WORK})),
    NavItem("console.index", _l("Console"), frozenset({Permission.WORK})),
    NavItem("calendar.index", _l("Working-day calendar"), frozenset({Permission.OVERSEE})),
    NavItem("admin_users.index", _l("User accounts"),
            frozenset({Permission.MANAGE_USERS, Permission.ASSIGN_ROLES})),
    NavItem("plugins_admin.index", _l("Department plugins"), frozenset({Permission.MANAGE_PLATFORM})),
    NavItem("system_settings.index", _l("System settings"), frozenset({Permission.MANAGE_PLATFORM})),
    NavItem("audit_log.index", _l("Audit trail"), frozenset({Permission.READ_AUDIT})),
)


def navigation_for(role: Role) -> list[NavItem]:
    """The navigation bar of a user holding ``role``, in display order."""
    return [item for item in NAVIGATION if item.visible_to(role)]


DUTIES: dict[Permission, LazyString] = {
    Permission.MANAGE_USERS: _l("Create user accounts, disable them and reset their passwords."),
    Permission.MANAGE_PLATFORM: _l("Check that every department plugin loaded, and why one was "
                                   "refused."),
    Permission.ASSIGN_ROLES: _l("Grant roles and unlock locked accounts."),
    Permission.READ_AUDIT: _l("Search, verify and export the audit trail."),
    Permission.OVERSEE: _l("Coordinate the member units: compile the district's annual plan, "
                           "follow progress and assess the work."),
    Permission.APPROVE: _l("Approve your department's plans, inspector replacements and the "
                           "publication of results."),
    Permission.WORK: _l("Keep your department's item list and two directories up to date, and "
                        "prepare plans, work plans and draws."),
    Permission.INSPECT: _l("Carry out the inspection tasks assigned to you and record their "
                           "results within the deadline."),
    Permission.VIEW_MEMBERS: _l("See the accounts of your department's members."),
}
"""What each permission lets a user do, as the workbench explains it."""


def duties_for(role: Role) -> list[LazyString]:
    """The sentences describing what a user holding ``role`` can do."""
    return [text for permission, text in DUTIES.items() if has_permission(role, permission)]
