"""``check``: integrity of a workspace, as a readable list of problems.

SQLite's own integrity and foreign-key checks, GeoPackage validity (GDAL's
validator from ``gdal-utils`` when it is installed, else GridApp's own
registration checks), geometry validity of every feature, and the audit
log's hash chain.  A street on a district server: the server's foreign keys,
PostGIS's geometry check, the audit triggers and the server's audit chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gridapp import i18n
from gridapp.errors import ValidationError
from gridapp.progress import NEVER_CANCELLED, CancelToken, Progress, no_progress
from gridapp.services import outside_edits
from gridapp.services.session import Session, as_session
from gridapp.storage.api import Store
from gridapp.storage.queries import workspace as queries

CHECK_PERMISSION = "workspace.check"


@dataclass(frozen=True)
class Problem:
    check: str  # sqlite | foreign_key | geopackage | geometry | audit | registration
    zh: str
    en: str
    table: str | None = None
    row_id: int | None = None
    severity: str = "error"

    @property
    def message(self) -> str:
        return i18n.pick(self.zh, self.en)

    def __str__(self) -> str:
        where = f"{self.table}#{self.row_id}: " if self.row_id is not None else (
            f"{self.table}: " if self.table else "")
        return f"[{self.check}] {where}{self.message}"


def check_workspace(session: Session | Store, *, progress: Progress = no_progress,
                    cancel: CancelToken = NEVER_CANCELLED) -> list[Problem]:
    """Every problem found in the workspace (empty list: all good).

    Needs ``workspace.check``; a bare store (the ``check`` command) checks as
    the system.
    """
    session = as_session(session)
    session.require(CHECK_PERMISSION)
    store = session.store
    if getattr(store, "schema", None):  # a street on a district server
        steps = [_server_foreign_keys, _server_geometries, _server_triggers, _audit, _calendar]
    else:
        steps = [_sqlite_integrity, _foreign_keys, _registration, _geopackage, _geometries,
                 _audit, _calendar, _outside_edits, _foreign_schema]
    problems: list[Problem] = []
    for i, step in enumerate(steps):
        cancel.check()
        progress(i, len(steps), step.__name__.strip("_"))
        problems.extend(step(store))
    progress(len(steps), len(steps), "")
    return problems


def _sqlite_integrity(store: Store) -> list[Problem]:
    rows = queries.sqlite_integrity(store)
    if rows == ["ok"]:
        return []
    return [Problem("sqlite", f"SQLite 完整性检查：{r}", f"SQLite integrity check: {r}")
            for r in rows]


def _foreign_keys(store: Store) -> list[Problem]:
    out = []
    for table, rowid, parent in queries.foreign_key_violations(store):
        out.append(Problem(
            "foreign_key", f"引用了不存在的 {parent} 记录", f"refers to a missing {parent} row",
            table=table, row_id=rowid))
    return out


def _registration(store: Store) -> list[Problem]:
    registered = queries.registered_tables(store)
    ours = queries.initial_tables()
    return [Problem("registration", "数据表未登记在 gpkg_contents 中",
                    "table is not registered in gpkg_contents", table=t)
            for t in ours if t not in registered]


def _geopackage(store: Store) -> list[Problem]:
    try:
        from osgeo_utils.samples import validate_gpkg
    except ImportError:
        return [Problem("geopackage", "未安装 GDAL 的 GeoPackage 校验器（gdal-utils），跳过规范校验",
                        "GDAL's GeoPackage validator (gdal-utils) is not installed; "
                        "specification check skipped", severity="warning")]
    messages: list[str] = []
    try:
        errors = validate_gpkg.check(str(store.path), abort_at_first_error=False,
                                     log_msg=False, warning_msg=False,
                                     myprint=messages.append)
    except Exception as exc:  # the validator raises on the first hard error
        errors = [(None, str(exc))]
    out = []
    for err in errors or []:
        text = err[1] if isinstance(err, tuple) else str(err)
        out.append(Problem("geopackage", f"GeoPackage 规范：{text}",
                           f"GeoPackage specification: {text}"))
    return out


def _geometries(store: Store) -> list[Problem]:
    import numpy as np
    import shapely

    out = []
    for table, gcol in queries.geometry_columns(store).items():
        rows = queries.geometry_blobs(store, table, gcol)
        if not rows:
            continue
        ids = np.array([r[0] for r in rows])
        try:
            geoms = queries.decode_geometries([r[1] for r in rows])
        except Exception:
            geoms = np.array([_safe_decode(r[1]) for r in rows], dtype=object)
        bad_blob = np.array([g is None for g in geoms])
        valid = np.zeros(len(geoms), dtype=bool)
        ok = ~bad_blob
        valid[ok] = shapely.is_valid(geoms[ok])
        for i in np.flatnonzero(bad_blob):
            out.append(Problem("geometry", "几何数据无法解析", "geometry blob cannot be read",
                               table=table, row_id=int(ids[i])))
        for i in np.flatnonzero(ok & ~valid):
            reason = shapely.is_valid_reason(geoms[i])
            out.append(Problem("geometry", f"几何无效：{reason}", f"invalid geometry: {reason}",
                               table=table, row_id=int(ids[i])))
    return out


def _safe_decode(blob):
    try:
        return queries.decode_geometries([blob])[0]
    except Exception:
        return None


def _audit(store: Store) -> list[Problem]:
    if getattr(store, "schema", None):  # the server's chain (gridapp.storage.postgis.audit)
        from gridapp.storage.queries import audit as audit_queries

        found = audit_queries.chain_problems(store)
    else:
        found = queries.audit_problems(store)
    return [Problem("audit", p.reason_zh, p.reason_en, table="audit_log", row_id=p.entry_id,
                    severity=p.severity)
            for p in found]


# A street on a district server: no SQLite file and no GeoPackage to validate;
# the server's foreign keys, PostGIS's geometry check and the audit triggers
# (gridapp.storage.postgis.integrity) instead.
def _server(found: list) -> list[Problem]:
    return [Problem(check, zh, en, table=table, row_id=row_id)
            for check, zh, en, table, row_id in found]


def _server_foreign_keys(store: Store) -> list[Problem]:
    from gridapp.storage.postgis import integrity

    return _server(integrity.foreign_key_problems(store))


def _server_geometries(store: Store) -> list[Problem]:
    from gridapp.storage.postgis import integrity

    return _server(integrity.geometry_problems(store))


def _server_triggers(store: Store) -> list[Problem]:
    from gridapp.storage.postgis import integrity

    return _server(integrity.trigger_problems(store))


def _calendar(store: Store) -> list[Problem]:
    """Open cases whose deadline was counted over a year without a holiday schedule.

    A warning, not an error: the deadline may be right, but nobody checked it.
    """
    from gridapp.services.cases.holidays import unsure_open_deadlines

    out = []
    flagged = unsure_open_deadlines(store)
    for c in flagged[:_CALENDAR_LISTED]:
        years = "、".join(map(str, c.years))
        out.append(Problem(
            "calendar",
            f"案件 {c.case_no} 的处置时限跨越 {years} 年，该年节假日安排未导入，"
            "按周一至周五计算（请用 calendar load 导入）",
            f"case {c.case_no}: its deadline was counted over {', '.join(map(str, c.years))}, "
            "a year without a holiday schedule (Monday to Friday assumed; load it "
            "with 'calendar load')",
            table="report", row_id=c.report_id, severity="warning"))
    if len(flagged) > _CALENDAR_LISTED:
        more = len(flagged) - _CALENDAR_LISTED
        out.append(Problem("calendar", f"另有 {more} 件案件的处置时限同样未经核实",
                           f"{more} more cases have unverified deadlines too",
                           table="report", severity="warning"))
    return out


_CALENDAR_LISTED = 20  # cases listed one by one; the rest are counted


_OUTSIDE_LISTED = 50  # outside edits listed one by one; the rest are counted


def _outside_edits(store: Store) -> list[Problem]:
    """Rows inserted, updated or deleted by another program (QGIS, sqlite3, GDAL)."""
    edits = queries.pending_outside_edits(store, _OUTSIDE_LISTED)
    out = []
    for edit in edits:
        zh, en = outside_edits.describe(edit)
        out.append(Problem("outside_edit", zh, en, table=edit.table, row_id=edit.row_id))
    total = queries.count_outside_edits(store) if len(edits) == _OUTSIDE_LISTED else len(edits)
    if total > len(edits):
        out.append(Problem("outside_edit", f"另有 {total - len(edits)} 处在 GridApp 之外的修改",
                           f"{total - len(edits)} more edits made outside GridApp"))
    if out:
        out.append(Problem(
            "outside_edit",
            "管理员可以接受这些修改（写入历史和审计日志）：check --accept-outside-edits，"
            "或撤销：check --revert-outside-edits",
            "An administrator can accept them into history and the audit log "
            "(check --accept-outside-edits) or revert them (check --revert-outside-edits)",
            severity="warning"))
    return out


def _foreign_schema(store: Store) -> list[Problem]:
    """Triggers and views GridApp did not create, and its own that are missing."""
    report = queries.foreign_schema(store)
    out = []
    for obj in report.foreign:
        kind_zh = "触发器" if obj.type == "trigger" else "视图"
        out.append(Problem(
            "schema",
            f"{kind_zh} {obj.name} 不是 GridApp 创建的，保存更改前须由管理员删除"
            "（check --remove-foreign-schema）或接受（check --accept-foreign-schema）",
            f"{obj.type} {obj.name} was not created by GridApp; an administrator must remove "
            "it (check --remove-foreign-schema) or accept it (check --accept-foreign-schema) "
            "before changes can be saved", table=obj.table or None))
    for name in report.missing:
        out.append(Problem(
            "schema", f"GridApp 的触发器 {name} 缺失（在 GridApp 之外被删除）",
            f"GridApp's trigger {name} is missing (dropped outside GridApp)"))
    return out


def remove_foreign_schema(session: Session) -> list[str]:
    """Drop the triggers and views GridApp did not create (administrators); their names."""
    session.require(SCHEMA_PERMISSION)
    return queries.remove_foreign_schema(session.store, session.user.username, session.user.id)


def accept_foreign_schema(session: Session) -> list[str]:
    """Accept them on this computer, by the hash of their SQL (administrators); their names."""
    session.require(SCHEMA_PERMISSION)
    return queries.accept_foreign_schema(session.store, session.user.username, session.user.id)


SCHEMA_PERMISSION = "workspace.outside_edits"  # the administrator's answer to outside edits


def import_audit_key(session: Session | Store, key_file: str) -> list[str]:
    """Add a ``.key`` file from another computer for this workspace; the key ids.

    A key only lets ``check`` verify entries written with it; it grants nothing
    (``workspace.check``).
    """
    session = as_session(session)
    session.require(CHECK_PERMISSION)
    if queries.workspace_uuid(session.store) is None:
        raise ValidationError("此工作空间的审计日志还没有密钥", "This workspace's audit log has no key yet")
    return queries.import_audit_key(session.store, Path(key_file))


def audit_head(session: Session | Store) -> tuple[str | None, int, str]:
    """(workspace id, last audit entry, its hash): printed by ``info`` and on exports
    so the head can be compared later, outside the file (``workspace.read``)."""
    session = as_session(session)
    session.require("workspace.read")
    return queries.audit_head(session.store)
