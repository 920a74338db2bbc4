"""Every public service function, every role: allowed or refused (issue 15).

The functions are found by walking :mod:`gridapp.services`: public (no leading
underscore), defined in the module itself, first parameter named ``session``.
What each one needs is written down here, in :data:`REQUIRES` (function →
permission name, a tuple of names that must all be held, :class:`AnyOf` names
one of which is enough, :class:`ByArg` when an argument decides (each value is
tried), or ``None`` for helpers no role is refused); which roles hold a
permission comes from the rules, :data:`gridapp.domain.permissions.PERMISSIONS`.
The code under test is never asked what it needs.

Each function is called once per role with placeholder arguments and a
session whose store explodes when touched (:class:`_Reached`): a refused role
must get :class:`PermissionDenied` before anything is read, and an allowed one
must get past the check (to the store, or to its own argument checks).
Record scope (own grids, own department) needs real records: :data:`SCOPE`
lists cases on a small street (a liaison and the tasks and cases sent to their
department, a grid manager and their own grids, DESIGN.md §1), each called by
a user inside and a user outside the record's scope.  The domain tests
(test_auth, test_case_query, test_tasks...) go further.

Functions not mapped yet are listed in :data:`UNMAPPED`; the test reports
them and fails when one is found that is in neither list, or when a listed
one no longer exists, so the list can only shrink.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import gridapp.services
from gridapp.domain.enums import Role
from gridapp.domain.permissions import PERMISSIONS
from gridapp.errors import PermissionDenied
from gridapp.services.session import Session, User
from tests.services.matrix_base import _NONE, _READ, AnyOf, ByArg, Needs  # noqa: F401

# function (module path below gridapp.services, then name) → what it needs
REQUIRES: dict[str, Needs | ByArg] = {
    # -- people ----------------------------------------------------------
    "people.assignments.current_assignments": _READ,
    "people.assignments.assignment_history": _READ,
    "people.assignments.primary_manager_by_grid": _READ,
    "people.assignments.assign_grids": "assignment.edit",
    "people.assignments.unassign": "assignment.edit",
    "people.assignments.reassign_all": "assignment.edit",  # + manager.edit to deactivate
    "people.assignments.carry_over": "assignment.edit",
    "people.assignments.assignment_warnings": _READ,
    "people.assignments.current_grid_ids": _READ,
    "people.audit_view.query_audit": "audit.read",
    "people.audit_view.history_of": "audit.read",
    "people.audit_view.audit_actors": "audit.read",
    "people.audit_view.audit_tables": "audit.read",
    "people.audit_view.verify_chain": "audit.read",
    "people.auth.is_locked": "user.manage",
    "people.auth.change_password": _READ,  # one's own password
    "people.auth.reset_password": "user.manage",
    "people.auth.unlock": "user.manage",
    "people.auth.user_id_of": "user.manage",
    "people.managers.check_staff_no_free": _READ,
    "people.managers.photo_max_bytes": _READ,
    "people.managers.add_manager": "manager.edit",
    "people.managers.update_manager": "manager.edit",
    "people.managers.get_manager": _READ,
    "people.managers.list_managers": _READ,
    "people.managers.manager_by_staff_no": _READ,
    "people.managers.has_history": _READ,
    "people.managers.deactivate_manager": ("manager.edit", "assignment.edit"),
    "people.managers.reactivate_manager": "manager.edit",
    "people.managers.delete_manager": "manager.edit",
    "people.managers.set_manager_photo": "manager.edit",
    "people.managers.manager_photo": _READ,
    "people.manager_import.preview_manager_import": "manager.edit",
    "people.manager_import.import_managers": "manager.edit",
    "people.personal_data.log_full_view": _NONE,
    "people.personal_data.sees_case_in_full": _NONE,
    "people.personal_data.reveal_cases": _NONE,
    "people.personal_data.reveal_audit": _NONE,
    # refuses include_personal without personal_data.view (see test_masking_reads)
    "people.personal_data.personal_export_columns": _NONE,
    "people.users.add_user": "user.manage",
    "people.users.list_users": "user.manage",
    "people.users.disable_user": "user.manage",
    "people.users.enable_user": "user.manage",
    "people.users.set_display_name": "user.manage",
    "people.users.update_user": "user.manage",
    "people.users.departments": "user.manage",
    "people.users.department_by_ref": "user.manage",
    # -- cases (reports, workflow, queries, photos, routing, calendar) ---------
    "cases.holidays.load_schedule": "calendar.load",
    "cases.holidays.unsure_deadline_years": _READ,
    "cases.holidays.unsure_for_cases": _READ,
    "cases.holidays.year_overview": _READ,
    "cases.lookups.category_choices": _READ,
    "cases.lookups.category_tree": _READ,
    "cases.lookups.department_choices": _READ,
    "cases.lookups.grid_choices": _READ,
    # filing roles add photos to their reports, handling roles to cases they handle
    "cases.photos.add_photos": AnyOf(("report.file", "case.transition")),
    "cases.photos.photo_data": _READ,
    "cases.photos.report_photos": _READ,
    "cases.placement.address_hint": _READ,
    "cases.placement.find_near_duplicates": _READ,
    "cases.placement.locate": _READ,
    "cases.query.case_ids_for_numbers": _READ,
    "cases.query.grid_ids_for_codes": _READ,
    "cases.query.list_cases": _READ,
    "cases.query.my_work": _READ,  # a filter; the list applies the record scope
    "cases.report_import.commit_report_import": "report.import",
    "cases.report_import.prepare_report_import": "report.import",
    "cases.reports.attach_to_case": "case.transition",
    "cases.reports.category_row": _READ,
    "cases.reports.check_report": "report.file",
    "cases.reports.file_report": "report.file",
    "cases.reports.get_case": _READ,
    "cases.reports.search_categories": _READ,
    "cases.routing.decide_routing": _READ,
    "cases.routing.department_name": _READ,
    "cases.routing.propose_handler": _READ,
    "cases.routing.resolve_department": _READ,
    "cases.scope.check_grid_scope": "report.file",  # + own grids (SCOPE)
    "cases.scope.visible_case": _READ,
    "cases.supervision.build_notice": _READ,
    "cases.workflow.advance_case": "case.transition",
    "cases.workflow.advance_cases": "case.transition",
    "cases.workflow.available_actions": _READ,  # none without case.transition
    "cases.workflow.case_timeline": _READ,
    "cases.workflow.overdue_to_escalate": "case.transition",
    "cases.workflow.was_escalated": _READ,
    # -- grids -----------------------------------------------------------------
    "grids.communities.communities": _READ,
    "grids.communities.community_choices": _READ,
    "grids.communities.community_code": _READ,
    "grids.communities.find_community": _READ,
    "grids.division.accept_division": "grid.edit",
    "grids.division.propose_division": _READ,
    "grids.edit.read_near": _READ,
    "grids.edit.save_edit": "grid.edit",
    "grids.export.export_grids": "export.data",
    "grids.export.grid_export_frame": "export.data",
    "grids.history.all_versions": _READ,
    "grids.history.as_of": _READ,
    "grids.history.current_codes": _READ,
    "grids.history.current_grids": _READ,
    "grids.history.grid_history": _READ,
    "grids.history.grid_version": _READ,
    "grids.importer.import_communities": "community.edit",
    "grids.importer.import_file": ByArg("kind", {"street": "street.edit",
                                                 "community": "community.edit",
                                                 "grid": "grid.edit"}),
    "grids.importer.import_grids": "grid.edit",
    "grids.importer.plan_communities": "community.edit",
    "grids.importer.plan_grids": "grid.edit",
    "grids.street_import.import_street": "street.edit",
    "grids.street_import.plan_street": "street.edit",
    "grids.tools.add_grid": "grid.edit",
    "grids.tools.check_workspace": _READ,
    "grids.tools.delete_grids": "grid.edit",
    "grids.tools.fix_grids": "grid.edit",
    "grids.tools.match_neighbours": "grid.edit",
    "grids.tools.merge_grids": "grid.edit",
    "grids.tools.plan_fix": "grid.edit",
    "grids.tools.reshape_grids": "grid.edit",
    "grids.tools.save_fix": "grid.edit",
    "grids.tools.split_grid": "grid.edit",
    "grids.tools.update_attributes": "grid.edit",
    # -- joint enforcement -----------------------------------------------------
    "joint.clustering.default_params": "cluster.find",
    "joint.clustering.find_clusters": "cluster.find",
    "joint.clustering.load_report_points": "cluster.find",
    "joint.proposals.accept": "task.manage",
    "joint.proposals.dismiss": "task.manage",
    "joint.proposals.get_proposal": _READ,
    "joint.proposals.list_proposals": _READ,
    "joint.proposals.merge": "task.manage",
    "joint.proposals.rank_clusters": "cluster.find",
    "joint.proposals.save_proposals": ("task.manage", "cluster.find"),
    "joint.proposals.split": "task.manage",
    "joint.reference.case_numbers": _READ,
    "joint.reference.reference_names": _READ,
    "joint.reference.task_footprints": _READ,
    "joint.task_order.map_context": _READ,
    "joint.task_order.task_order_data": _READ,  # + summoned department (SCOPE)
    "joint.task_print.escalation_print": "task.manage",
    "joint.task_print.latest_escalation": "task.manage",
    "joint.task_print.task_order_print": "task.respond",  # + summoned department
    "joint.tasks.add_photo": "task.respond",  # + summoned department (SCOPE)
    "joint.tasks.check_in": "task.respond",  # + own department (SCOPE)
    "joint.tasks.create_task": "task.manage",
    "joint.tasks.edit_task": "task.manage",
    "joint.tasks.escalate": "task.manage",
    "joint.tasks.evaluate": "task.manage",
    "joint.tasks.find_department": _READ,
    "joint.tasks.finish": "task.manage",
    "joint.tasks.get_task": _READ,  # + summoned department (SCOPE)
    "joint.tasks.record_action": "task.manage",
    "joint.tasks.report_department_action": "task.respond",  # + own department
    "joint.tasks.summon": "task.manage",
    "joint.tasks.task_board": _READ,
    # -- maps out (printing data, web map) -------------------------------------
    "maps_out.print_data.load_print_data": "print.maps",
    "maps_out.printing.atlas_job": "print.maps",
    "maps_out.printing.communities": _READ,
    "maps_out.printing.default_folder": _READ,
    "maps_out.printing.poster_job": "print.maps",
    "maps_out.webmap.export_webmap": "export.data",
    # -- workspace core --------------------------------------------------------
    "integrity.accept_foreign_schema": "workspace.outside_edits",
    "integrity.audit_head": _READ,
    "integrity.check_workspace": "workspace.check",
    "integrity.import_audit_key": "workspace.check",
    "integrity.remove_foreign_schema": "workspace.outside_edits",
    "outside_edits.accept_outside_edits": "workspace.outside_edits",
    "outside_edits.count_outside_edits": _READ,
    "outside_edits.pending_outside_edits": "workspace.check",
    "outside_edits.revert_outside_edits": "workspace.outside_edits",
    "workspace.map_setup": _READ,
    "workspace.read_map_layer": _READ,
    "workspace.workspace_info": _READ,
    # -- session: record-scope helpers, not actions ------------------------
    "session.visible_department_ids": _NONE,
    "session.own_grid_ids": _NONE,
    "session.department_filter": _NONE,
    "session.grid_filter": _NONE,
    "session.require_department": _NONE,  # refuses by record, not by role
    "session.require_own_grid": _NONE,  # refuses by record, not by role
    "session.should_mask_personal": _NONE,
}

# Later domains keep their rows in tests/services/matrix_<domain>.py (``REQUIRES``
# and optionally ``SCOPE_CALLS``/``SCOPE``), so parallel work does not edit one table.
for _info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]),
                    key=lambda i: i.name):
    if _info.name.startswith("matrix_") and _info.name != "matrix_base":
        _extra = importlib.import_module(f"tests.services.{_info.name}")
        _clash = set(REQUIRES) & set(_extra.REQUIRES)
        assert not _clash, f"{_info.name} maps functions already mapped: {sorted(_clash)}"
        REQUIRES.update(_extra.REQUIRES)

# Not mapped yet: each should move into REQUIRES as its domain is reviewed.
UNMAPPED: set[str] = set()


# -- discovery ---------------------------------------------------------------
def service_functions() -> dict[str, Callable[..., Any]]:
    """``{"people.users.add_user": add_user, ...}`` for every public session function."""
    found: dict[str, Callable[..., Any]] = {}
    prefix = gridapp.services.__name__ + "."
    for info in pkgutil.walk_packages(gridapp.services.__path__, prefix):
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params and params[0] == "session":
                found[f"{info.name[len(prefix):]}.{name}"] = fn
    return found


FUNCTIONS = service_functions()


# -- the probe -----------------------------------------------------------------
class _Reached(Exception):
    """The function got past its permission check and touched the store."""


class _ExplodingStore:
    readonly = False

    def __getattr__(self, name: str) -> Any:
        raise _Reached(name)


def _placeholder(param: inspect.Parameter) -> Any:
    text = str(param.annotation)
    for marker, value in (("bool", False), ("int", 1), ("float", 1.0), ("str", "x"),
                          ("Path", "x"), ("dict", {}), ("Mapping", {}), ("list", []),
                          ("Iterable", []), ("Sequence", []), ("set", set())):
        if marker in text:
            return value
    return None


class _ProbeSession(Session):
    """A session that remembers every permission it was asked about."""

    asked: list[str]

    def can(self, permission: str) -> bool:
        self.asked.append(permission)
        return super().can(permission)


def _call(fn: Callable[..., Any], role: Role,
          given: dict[str, Any] | None = None) -> tuple[bool, list[str]]:
    """(whether *role* got past the permission checks, the permissions asked).

    Arguments are placeholders, except those named in *given*.
    """
    given = given or {}
    user = User(1, "probe", "probe", role, department_id=1, manager_id=1)
    session = _ProbeSession(_ExplodingStore(), user)  # type: ignore[arg-type]
    session.asked = []
    signature = inspect.signature(fn).parameters.values()

    def value(p: inspect.Parameter) -> Any:
        return given[p.name] if p.name in given else _placeholder(p)

    args = [value(p) for p in list(signature)[1:]
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    kwargs = {p.name: value(p) for p in signature
              if p.default is inspect.Parameter.empty and p.kind is p.KEYWORD_ONLY}
    try:
        result = fn(session, *args, **kwargs)
        if inspect.isgenerator(result):
            next(result, None)
    except PermissionDenied:
        return False, session.asked
    except Exception:  # noqa: BLE001 - past the check: the store, or argument checks
        return True, session.asked
    return True, session.asked


def _names(needs: Needs) -> tuple[str, ...]:
    if needs is None:
        return ()
    names = (needs,) if isinstance(needs, str) else (
        needs.names if isinstance(needs, AnyOf) else needs)
    for name in names:
        assert name in PERMISSIONS, f"the table names an unknown permission {name!r}"
    return names


def _expected(needs: Needs, role: Role) -> bool:
    held = [role in PERMISSIONS[name] for name in _names(needs)]
    return any(held) if isinstance(needs, AnyOf) else all(held)


def _not_asked(needs: Needs, role: Role, asked: list[str]) -> list[str]:
    """What an allowed call should have asked and did not (for AnyOf: one it holds)."""
    if isinstance(needs, AnyOf):
        held = [n for n in needs.names if role in PERMISSIONS[n]]
        return [] if set(held) & set(asked) else held
    return sorted(set(_names(needs)) - set(asked))


# -- the tests -------------------------------------------------------------------
def test_every_service_function_is_mapped_or_listed_as_unmapped():
    found = set(FUNCTIONS)
    missing = sorted(found - set(REQUIRES) - UNMAPPED)
    assert not missing, f"service functions with no entry in REQUIRES or UNMAPPED: {missing}"
    gone = sorted((set(REQUIRES) | UNMAPPED) - found)
    assert not gone, f"entries for functions that no longer exist: {gone}"
    both = sorted(set(REQUIRES) & UNMAPPED)
    assert not both, f"mapped and listed as unmapped at once: {both}"
    if UNMAPPED:
        warnings.warn(f"{len(UNMAPPED)} service functions not in the permission matrix "
                      f"yet: {', '.join(sorted(UNMAPPED))}", stacklevel=1)


def test_the_people_domain_is_fully_mapped():
    assert not {f for f in UNMAPPED if f.startswith("people.")}


def _rows() -> list[tuple[str, Role, dict[str, Any], Needs]]:
    """(function, role, arguments given, what it needs): one row per ByArg value."""
    rows = []
    for name in sorted(REQUIRES):
        if name not in FUNCTIONS:
            continue
        entry = REQUIRES[name]
        variants = ([({entry.param: v}, needs) for v, needs in entry.needs.items()]
                    if isinstance(entry, ByArg) else [({}, entry)])
        rows += [(name, role, given, needs) for given, needs in variants for role in Role]
    return rows


MATRIX = _rows()


@pytest.mark.parametrize(("name", "role", "given", "needs"), MATRIX,
                         ids=[f"{n}-{r.value}" + "".join(f"-{v}" for v in g.values())
                              for n, r, g, _ in MATRIX])
def test_role_is_allowed_or_refused(name, role, given, needs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing a probe might write lands in the tree
    expected = _expected(needs, role)
    got, asked = _call(FUNCTIONS[name], role, given)
    verb = "allowed" if expected else "refused"
    assert got == expected, f"{name} {given or ''} should be {verb} for the role {role.value}"
    if expected:
        # Asked, not only held: a check everyone passes (workspace.read) still counts.
        missing = _not_asked(needs, role, asked)
        assert not missing, f"{name} does not check {missing}"


def test_every_function_is_mapped():
    assert not UNMAPPED


# -- record scope ----------------------------------------------------------------
# DESIGN.md §1: a department liaison "sees the tasks and cases sent to their
# department, records check-in, action and result"; a grid manager logs findings
# "in their own grids; sees their cases".  One case in grid 0 (manager's grid;
# manager2 has grid 3), dispatched to 城管 (CG) with 市场监管 (SCJG) assisting,
# and one joint task summoning CG and SCJG, not the street's team (JD).
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@dataclass
class World:
    street: Any  # tests.services.test_reports.Street
    case_id: int
    task_id: int
    cg: int  # department ids
    scjg: int

    def session(self, who: str) -> Session:
        if who == "liaison_scjg":
            return Session(self.street.store, User(None, who, who, Role.LIAISON, self.scjg))
        return self.street.session(who)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from shapely.geometry import box

    from gridapp.services.cases.reports import ReportDraft, file_report
    from gridapp.services.cases.workflow import advance_case
    from gridapp.services.joint.tasks import create_task, summon
    from gridapp.services.workspace import StreetSpec, create_workspace
    from tests.services.test_reports import DX, DY, X0, Y0, make_street

    store = create_workspace(
        tmp_path_factory.mktemp("scope") / "scope.gpkg",
        StreetSpec("520102", "520102003", "测试街道"),
        admin_username="admin", admin_password="Admin-pass-2026")
    street = make_street(store)
    cg, scjg = street.departments["CG"], street.departments["SCJG"]
    disp = street.session("dispatcher")
    lon, lat = street.inside(0)
    rid = file_report(disp, ReportDraft(category="0401", lon=lon, lat=lat,
                                        description="占道经营")).report_id
    advance_case(disp, rid, "register", "立案")
    advance_case(disp, rid, "dispatch", "派遣", handler="CG", assist=["SCJG"])
    task_id = create_task(disp, title="占道经营联合整治", footprint=box(X0, Y0, X0 + DX, Y0 + DY),
                          report_ids=[rid], lead_department_id=cg, department_ids=[cg, scjg],
                          action_at=T0 + timedelta(hours=1), deadline=T0 + timedelta(days=5))
    summon(disp, task_id, now=T0)
    yield World(street, rid, task_id, cg, scjg)
    store.close()


def _scope_calls() -> dict[str, Callable[[World, Session], Any]]:
    from gridapp.services.cases import photos, reports, scope, workflow
    from gridapp.services.joint import task_order, task_print, tasks

    def draft(w: World) -> Any:
        lon, lat = w.street.inside(0)
        return reports.ReportDraft(category="0401", lon=lon, lat=lat, description="又见占道")

    return {
        "joint.tasks.get_task": lambda w, s: tasks.get_task(s, w.task_id),
        "joint.task_order.task_order_data":
            lambda w, s: task_order.task_order_data(s, w.task_id),
        "joint.task_print.task_order_print":
            lambda w, s: task_print.task_order_print(s, w.task_id),
        "joint.tasks.add_photo":
            lambda w, s: tasks.add_photo(s, w.task_id, b"\xff\xd8jpeg", phase="before"),
        "joint.tasks.check_in":  # for 城管
            lambda w, s: tasks.check_in(s, w.task_id, w.cg, now=T0 + timedelta(minutes=20)),
        "joint.tasks.report_department_action":  # for 城管
            lambda w, s: tasks.report_department_action(s, w.task_id, w.cg, "清理摊点"),
        "cases.scope.visible_case": lambda w, s: scope.visible_case(s, w.case_id),
        "cases.workflow.case_timeline": lambda w, s: workflow.case_timeline(s, w.case_id),
        "cases.photos.report_photos": lambda w, s: photos.report_photos(s, w.case_id),
        "cases.photos.add_photos": lambda w, s: photos.add_photos(s, w.case_id, []),
        "cases.workflow.advance_case":  # refused before any write, or not tried
            lambda w, s: workflow.advance_case(s, w.case_id, "start", "开始处置"),
        "cases.scope.check_grid_scope":
            lambda w, s: scope.check_grid_scope(s, w.street.grids[0]),
        "cases.reports.check_report": lambda w, s: reports.check_report(s, draft(w)),
    }


# (function, user, allowed): users inside and outside the record's scope
SCOPE: list[tuple[str, str, bool]] = [
    # a liaison: the tasks their department is summoned to, and only for it
    ("joint.tasks.get_task", "liaison", True),
    ("joint.tasks.get_task", "liaison_scjg", True),
    ("joint.tasks.get_task", "liaison_jd", False),
    ("joint.task_order.task_order_data", "liaison", True),
    ("joint.task_order.task_order_data", "liaison_jd", False),
    ("joint.task_print.task_order_print", "liaison", True),
    ("joint.task_print.task_order_print", "liaison_jd", False),
    ("joint.tasks.add_photo", "liaison", True),
    ("joint.tasks.add_photo", "liaison_jd", False),
    ("joint.tasks.check_in", "liaison_scjg", False),  # another department's check-in
    ("joint.tasks.check_in", "liaison_jd", False),
    ("joint.tasks.check_in", "liaison", True),
    ("joint.tasks.report_department_action", "liaison_scjg", False),
    ("joint.tasks.report_department_action", "liaison_jd", False),
    ("joint.tasks.report_department_action", "liaison", True),
    # a liaison: the cases sent to their department, or that it assists (协办)
    ("cases.scope.visible_case", "liaison", True),
    ("cases.scope.visible_case", "liaison_scjg", True),
    ("cases.scope.visible_case", "liaison_jd", False),
    ("cases.photos.report_photos", "liaison", True),
    ("cases.photos.report_photos", "liaison_jd", False),
    ("cases.photos.add_photos", "liaison", True),
    ("cases.photos.add_photos", "liaison_jd", False),
    ("cases.workflow.advance_case", "liaison_jd", False),
    # a grid manager: cases in their own grids, reports only there
    ("cases.scope.visible_case", "manager", True),
    ("cases.scope.visible_case", "manager2", False),
    ("cases.workflow.case_timeline", "manager", True),
    ("cases.workflow.case_timeline", "manager2", False),
    ("cases.scope.check_grid_scope", "manager", True),
    ("cases.scope.check_grid_scope", "manager2", False),
    ("cases.reports.check_report", "manager", True),
    ("cases.reports.check_report", "manager2", False),
    # roles without a record scope
    ("joint.tasks.get_task", "leader", True),
    ("cases.scope.visible_case", "leader", True),
]


def test_scope_rows_name_mapped_functions():
    assert {name for name, _, _ in SCOPE} <= set(REQUIRES)
    assert {name for name, _, _ in SCOPE} == set(_scope_calls())


@pytest.mark.parametrize(("name", "who", "allowed"), SCOPE,
                         ids=[f"{n}-{w}" for n, w, _ in SCOPE])
def test_record_scope(world, name, who, allowed):
    call = _scope_calls()[name]
    if allowed:
        call(world, world.session(who))
    else:
        with pytest.raises(PermissionDenied):
            call(world, world.session(who))
