"""Workspace use cases: create, open and describe (``info``) a workspace."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gridapp.domain import codes, taxonomy
from gridapp.domain.crs import metric_crs_name
from gridapp.domain.enums import OPEN_CASE_STATUSES, Role
from gridapp.domain.passwords import check_strength, hash_password
from gridapp.domain.timeutil import now_iso
from gridapp.errors import ValidationError, WorkspaceOpenError
from gridapp.services import outside_edits
from gridapp.services.session import Session, as_session
from gridapp.storage.api import Store, Transaction
from gridapp.storage.connection import add_lock_wait_listener
from gridapp.storage.queries import workspace as queries

READ_PERMISSION = "workspace.read"


@dataclass
class StreetSpec:
    """What ``init`` asks for: the street a workspace is for."""

    district_code: str
    street_code: str  # 9 digits: district + 3-digit street number
    street_name: str
    office_name: str = ""
    metric_epsg: int | None = None

    def __post_init__(self) -> None:
        codes.validate_district_code(self.district_code)
        codes.validate_street_code(self.street_code)
        if not self.street_code.startswith(self.district_code):
            raise ValidationError(
                "街道代码{street}不属于区县{district}",
                "Street code {street} is not in district {district}",
                street=self.street_code, district=self.district_code)
        if not self.street_name.strip():
            raise ValidationError("请填写街道名称", "Enter the street's name")


def seed_reference_data(tx: Transaction) -> dict[str, dict[str, int]]:
    """Insert the default departments, categories, duty list and roles.

    Returns ids by code: ``{"department": {...}, "category": {...}, "role": {...}}``.
    """
    dept = {}
    for d in taxonomy.DEFAULT_DEPARTMENTS:
        dept[d.code] = tx.insert("department", {"code": d.code, "name": d.name,
                                                "short_name": d.short_name, "kind": d.kind})
    cat: dict[str, int] = {}
    for c in taxonomy.DEFAULT_CATEGORIES:
        parent = taxonomy.parent_code(c.code)
        cat[c.code] = tx.insert("category", {
            "code": c.code, "name": c.name, "pinyin": c.pinyin,
            "parent_id": cat[parent] if parent else None,
            "department_id": dept.get(c.department) if c.department else None,
            "time_limit": c.time_limit,
            "time_unit": c.time_unit.value if c.time_unit else None,
        })
    for code, handling, dcode, role in taxonomy.duty_rows():
        tx.insert("duty_item", {"category_id": cat[code], "handling": handling,
                                "department_id": dept.get(dcode), "role": role})
    roles = {r.value: tx.insert("app_role", {"name": r.value, "title_zh": r.zh, "title_en": r.en})
             for r in Role}
    return {"department": dept, "category": cat, "role": roles}


def create_workspace(path: str | os.PathLike, street: StreetSpec, *, admin_username: str | None = None,
                     admin_password: str | None = None, overwrite: bool = False,
                     adopt: bool = False) -> Store:
    """Create a new workspace for *street* with the default reference data.

    When *admin_password* is given, the first administrator is created with
    it (there are no default passwords).  With *adopt*, *path* is an existing
    GeoPackage from another program (QGIS, GDAL): GridApp's tables are added
    beside its layers, which are left untouched.
    """
    if admin_password is not None:
        check_strength(admin_password)
    if adopt:
        store = queries.open_store(path, adopt=True)
        if queries.has_departments(store):
            store.close()
            raise WorkspaceOpenError("{path} 已经是 GridApp 工作空间",
                                     "{path} is already a GridApp workspace", path=str(path))
    else:
        store = queries.create_store(path, overwrite=overwrite)
    try:
        with store.transaction("system") as tx:
            ids = seed_reference_data(tx)
            for key, value in {
                "street.name": street.street_name,
                "street.code": street.street_code,
                "street.district_code": street.district_code,
                "street.office_name": street.office_name or street.street_name + "办事处",
                "crs.metric_epsg": street.metric_epsg,
                "workspace.created_at": now_iso(),
            }.items():
                if value is not None:
                    tx.set_setting(key, value)
            record_street(tx, {
                "name": street.street_name.strip(), "code": street.street_code,
                "district_code": street.district_code,
                "office_name": street.office_name or street.street_name + "办事处"})
            if admin_password is not None:
                tx.insert("app_user", {
                    "username": admin_username or "admin", "display_name": "管理员",
                    "role_id": ids["role"][Role.ADMIN.value],
                    "password_hash": hash_password(admin_password), "created_at": now_iso()})
    except BaseException:
        store.close()
        if not adopt:
            Path(path).unlink(missing_ok=True)
        raise
    queries.reload_meta(store)
    return store


def on_lock_wait(listener: Callable[[Path, float], None]) -> None:
    """Call ``listener(path, seconds_waited)`` while a write waits for another
    program's write lock (about once a second, up to 15 s, then the write is
    refused with :class:`~gridapp.errors.WorkspaceBusyError`)."""
    add_lock_wait_listener(listener)


def open_workspace(path: str | os.PathLike, *, readonly: bool = False) -> Store:
    """Open the workspace at *path*, running pending migrations.

    Read-only when asked or when the file cannot be written.  Raises
    :class:`~gridapp.errors.WorkspaceOpenError` for a file that is not a
    GridApp workspace (or not a GeoPackage at all).
    """
    return queries.open_store(path, readonly=readonly)


def record_street(tx: Transaction, row: dict[str, Any]) -> int:
    """Write the street row with ``row['code']``: update it if it exists, else insert it.

    ``init`` records the street without geometry (boundaries come later);
    whoever brings its outline (the demo, a street import) completes the same
    row instead of adding a second street.  Returns the row id.
    """
    existing = queries.street_id_by_code(tx, str(row["code"]))
    if existing is None:
        return tx.insert("street", row)
    tx.update("street", existing, {k: v for k, v in row.items() if k != "code"})
    return existing


@dataclass
class WorkspaceInfo:
    path: str
    file_size: int
    schema_version: int
    crs: str
    metric_crs: str  # "EPSG:4517 CGCS2000 / 3-degree Gauss-Kruger zone 29", "" if none yet
    street: str | None
    street_code: str | None = None
    district_code: str | None = None
    metric_epsg: int | None = None
    metric_source: str | None = None  # setting, boundaries, data (see store.metric_crs)
    counts: dict[str, int] = field(default_factory=dict)
    current_grids: int = 0
    open_cases: int = 0
    outside_edits: int = 0  # pending edits made outside GridApp (QGIS, sqlite3)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def workspace_info(session: Session | Store) -> WorkspaceInfo:
    """Counts per table, CRS, schema version and file size (no heavy imports).

    Every role may read it (``workspace.read``); a bare store reads as the system.
    """
    session = as_session(session)
    session.require(READ_PERMISSION)
    store = session.store
    epsg, source = store.metric_crs()
    row = queries.first_street(store) or {}
    srs = queries.storage_crs(store)
    return WorkspaceInfo(
        path=str(getattr(store, "url", None) or store.path),  # a server: its URL
        file_size=queries.file_size(store),
        schema_version=store.schema_version,
        crs=f"EPSG:{srs[1]} {srs[0]}" if srs else "?",
        metric_crs=metric_crs_name(epsg) if epsg is not None else "",
        metric_epsg=epsg, metric_source=source,
        street=row.get("name") or store.setting("street.name"),
        street_code=row.get("code") or store.setting("street.code"),
        district_code=row.get("district_code") or store.setting("street.district_code"),
        counts=queries.table_counts(store),
        current_grids=queries.current_grid_count(store),
        open_cases=queries.case_count(store, [s.value for s in OPEN_CASE_STATUSES]),
        outside_edits=outside_edits.count_outside_edits(session),
    )


# -- the map ------------------------------------------------------------------------
def map_setup(session: Session | Store) -> tuple[int, frozenset[str]]:
    """(metric EPSG, feature tables present): what the map window needs first."""
    session = as_session(session)
    session.require(READ_PERMISSION)
    return session.store.metric_epsg, frozenset(session.store.feature_tables())


def read_map_layer(session: Session | Store, table: str, *, since: datetime | None = None,
                   columns: Sequence[str] | None = None) -> Any:
    """The rows of *table* the map draws, as a GeoDataFrame in EPSG:4490.

    Current grids only; streets with an outline; reports since *since* (all
    when None).  Every role sees the map (``workspace.read``).
    """
    session = as_session(session)
    session.require(READ_PERMISSION)
    return queries.map_layer(
        session.store, table,
        reported_since=None if since is None else since.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        columns=None if columns is None else list(columns))
