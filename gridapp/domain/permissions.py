"""Which role may do what: one table, checked by every service (not only the GUI).

Permissions are named ``<object>.<verb>``.  Record-level limits (a grid
manager only in their own grids, a liaison only for their department) are
checked by the services with the ids involved, on top of this table.
"""

from __future__ import annotations

from gridapp.domain.enums import Role

_A, _O, _D, _L, _M, _R = (Role.ADMIN, Role.OFFICE, Role.DISPATCHER, Role.LIAISON,
                          Role.MANAGER, Role.LEADER)
_EVERYONE = frozenset(Role)

PERMISSIONS: dict[str, frozenset[Role]] = {
    "workspace.read": _EVERYONE,
    "workspace.settings": frozenset({_A}),
    "workspace.check": frozenset({_A, _O}),
    "workspace.outside_edits": frozenset({_A}),  # accept / revert edits made outside
    "user.manage": frozenset({_A}),
    "audit.read": frozenset({_A, _R}),
    "street.edit": frozenset({_A, _O}),
    "community.edit": frozenset({_A, _O}),
    "grid.edit": frozenset({_A, _O}),
    "building.edit": frozenset({_A, _O, _M}),
    "manager.edit": frozenset({_A, _O}),
    "assignment.edit": frozenset({_A, _O}),
    "report.file": frozenset({_A, _O, _D, _M}),
    "report.import": frozenset({_A, _O, _D}),
    "case.transition": frozenset({_A, _O, _D, _L, _M}),
    "category.edit": frozenset({_A, _O}),
    "calendar.load": frozenset({_A, _O}),
    "department.edit": frozenset({_A, _O}),
    "cluster.find": frozenset({_A, _O, _D, _R}),
    "task.manage": frozenset({_A, _D}),
    "task.respond": frozenset({_A, _D, _L}),
    "print.maps": frozenset({_A, _O, _D, _R}),
    "export.data": frozenset({_A, _O, _D, _R}),
    "personal_data.view": frozenset({_A, _O, _D}),
    "assessment.read": frozenset({_A, _O, _D, _R}),  # indicators, dashboard, Excel
    "assessment.configure": frozenset({_A}),  # formulas and 红黄蓝 thresholds
    "case.callback": frozenset({_A, _O, _D}),  # 回访 residents and 12345 callers
    "case.supervise": frozenset({_A, _O, _D}),  # automatic escalation and reminders
    "resident.edit": frozenset({_A, _O, _M}),  # a manager: residents of their own grids
    "resident.erase": frozenset({_A, _O}),
    "patrol.record": frozenset({_A, _M}),  # one's own track (the account's manager)
    "patrol.import": frozenset({_A, _O}),  # tracks of any manager, from files
    "field.serve": frozenset({_A, _O}),  # open the field service to phones (issue 20)
    "workspace.backup": frozenset({_A}),  # back up and restore (issue 19)
    "district.publish": frozenset({_A}),  # a street's file onto the district server (issue 16)
    "district.checkout": frozenset({_A, _O, _M}),  # offline copies for laptops, and back
    "district.checkin": frozenset({_A, _O, _M}),
}


def allowed(role: Role, permission: str) -> bool:
    """True when *role* holds *permission* (unknown permissions are refused)."""
    return role in PERMISSIONS.get(permission, frozenset())
