"""Named questions about reports and cases: placement, categories, routing, events.

The case list (filter, sort, pages) is in :mod:`gridapp.storage.queries.case_list`.
Every function takes the store for reads, or an open transaction where a
read must see the same snapshot as the write it guards.  Rows come back as
plain dicts (or ``sqlite3.Row`` where the caller only reads fields).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gridapp.storage import geometry

if TYPE_CHECKING:
    import geopandas as gpd

    from gridapp.storage.store import GeoPackageStore
    from gridapp.storage.transaction import Transaction

# Feature tables a position may be looked up in (their R-tree is named after them).
_SPATIAL_TABLES = ("grid", "place", "building", "report")


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


# -- placement ------------------------------------------------------------------
def bbox_ids(
    store: GeoPackageStore, table: str, lon: float, lat: float,
    dx: float = 0.0, dy: float = 0.0,
) -> list[int]:
    """Ids of *table*'s features whose bounding box holds the box around (lon, lat)."""
    if table not in _SPATIAL_TABLES:
        raise ValueError(f"no spatial lookup for table {table!r}")
    rows = store.query(
        f'SELECT id FROM "rtree_{table}_geom" WHERE minx <= ? AND maxx >= ? '
        "AND miny <= ? AND maxy >= ?",
        (lon + dx, lon - dx, lat + dy, lat - dy),
    )
    return [int(r[0]) for r in rows]


def current_grids_by_id(store: GeoPackageStore, ids: Sequence[int]) -> list[Any]:
    """Current grids among *ids* with geometry (blob) and community name, by id."""
    if not ids:
        return []
    return store.query(
        "SELECT g.id, g.code, g.name, g.geom, g.community_id, c.name AS community_name "
        f"FROM grid g LEFT JOIN community c ON c.id = g.community_id "
        f"WHERE g.id IN ({_marks(ids)}) AND g.valid_to IS NULL ORDER BY g.id",
        list(ids),
    )


def current_grid_infos(store: GeoPackageStore) -> dict[int, Any]:
    """Current grids: id → row (id, code, name, community_id, cname)."""
    return {
        int(r["id"]): r
        for r in store.query(
            "SELECT g.id, g.code, g.name, g.community_id, c.name AS cname FROM grid g "
            "LEFT JOIN community c ON c.id = g.community_id WHERE g.valid_to IS NULL"
        )
    }


def current_grid_frame(store: GeoPackageStore) -> gpd.GeoDataFrame:
    """The current grid versions as a GeoDataFrame (for joining many points)."""
    return store.read_layer("grid", "valid_to IS NULL")


def named_features(store: GeoPackageStore, table: str, ids: Sequence[int]) -> list[Any]:
    """``name, address, geom`` of places or buildings among *ids* that have either."""
    if table not in ("place", "building"):
        raise ValueError(f"no named features in table {table!r}")
    if not ids:
        return []
    return store.query(
        f'SELECT name, address, geom FROM "{table}" WHERE id IN ({_marks(ids)}) '
        "AND coalesce(name, address) IS NOT NULL",
        list(ids),
    )


def grid_code(store: GeoPackageStore, grid_id: int) -> str | None:
    return store.scalar("SELECT code FROM grid WHERE id = ?", (grid_id,))


def grid_ids_by_code(store: GeoPackageStore, code: str) -> list[int]:
    """Ids of every grid version with this code."""
    return [int(r[0]) for r in store.query("SELECT id FROM grid WHERE code = ?", (code,))]


# -- categories -----------------------------------------------------------------
def category_by_id(store: GeoPackageStore, category_id: int) -> Any | None:
    rows = store.query("SELECT * FROM category WHERE id = ?", (int(category_id),))
    return rows[0] if rows else None


def category_by_code_or_name(store: GeoPackageStore, text: str) -> Any | None:
    """The category with this code, else one with this exact name."""
    rows = store.query(
        "SELECT * FROM category WHERE code = ? OR name = ? ORDER BY code = ? DESC",
        (text,) * 3,
    )
    return rows[0] if rows else None


def active_subcategories(store: GeoPackageStore) -> list[Any]:
    """Active sub-categories with their class name and time limit, by code."""
    return store.query(
        "SELECT c.id, c.code, c.name, c.pinyin, p.name AS class_name, c.time_limit, "
        "c.time_unit FROM category c LEFT JOIN category p ON p.id = c.parent_id "
        "WHERE c.active AND c.parent_id IS NOT NULL ORDER BY c.code"
    )


def category_tree(store: GeoPackageStore, *, active_only: bool = False) -> list[Any]:
    """``id, code, name, parent_id`` of every (active) category, by code."""
    where = " WHERE active" if active_only else ""
    return store.query(f"SELECT id, code, name, parent_id FROM category{where} ORDER BY code")


def category_time_limit(store: GeoPackageStore, category_id: int) -> Any | None:
    """``parent_id, time_limit, time_unit`` of a category."""
    rows = store.query(
        "SELECT parent_id, time_limit, time_unit FROM category WHERE id = ?", (category_id,)
    )
    return rows[0] if rows else None


def category_routing(store: GeoPackageStore, category_id: int) -> Any | None:
    """``id, parent_id, department_id`` of a category."""
    rows = store.query(
        "SELECT id, parent_id, department_id FROM category WHERE id = ?", (category_id,)
    )
    return rows[0] if rows else None


def duty_items(store: GeoPackageStore, category_id: int) -> list[Any]:
    """The duty list's lines for a category everywhere (no area rule), the lead first."""
    return store.query(
        "SELECT handling, department_id, role FROM duty_item "
        "WHERE category_id = ? AND area_kind IS NULL ORDER BY role = 'lead' DESC, id",
        (category_id,),
    )


# -- departments ------------------------------------------------------------------
def first_active_department(store: GeoPackageStore, kind: str) -> int | None:
    """The lowest id of an active department of *kind* (office / district)."""
    return store.scalar(
        "SELECT id FROM department WHERE kind = ? AND active ORDER BY id LIMIT 1", (kind,)
    )


def department_ids_of_kind(store: GeoPackageStore, kind: str) -> list[int]:
    return [int(r[0]) for r in store.query("SELECT id FROM department WHERE kind = ?",
                                           (kind,))]


def department_name(store: GeoPackageStore, department_id: int) -> str | None:
    return store.scalar("SELECT name FROM department WHERE id = ?", (department_id,))


def department_kind(store: GeoPackageStore, department_id: int) -> str | None:
    return store.scalar("SELECT kind FROM department WHERE id = ?", (department_id,))


def district_name(store: GeoPackageStore) -> str | None:
    """The name of the first district department (the 督办单's addressee)."""
    return store.scalar("SELECT name FROM department WHERE kind = 'district' ORDER BY id")


def department_id(store: GeoPackageStore, department_id: int) -> int | None:
    return store.scalar("SELECT id FROM department WHERE id = ?", (department_id,))


def department_id_by_key(store: GeoPackageStore, key: str) -> int | None:
    """A department by code, name or short name."""
    return store.scalar(
        "SELECT id FROM department WHERE code = ? OR name = ? OR short_name = ?",
        (key, key, key),
    )


def departments(store: GeoPackageStore) -> list[dict[str, Any]]:
    """``id, name, kind`` of every department, by id."""
    return [dict(r) for r in store.query("SELECT id, name, kind FROM department ORDER BY id")]


def current_grids(store: GeoPackageStore) -> list[Any]:
    """``id, code, name`` of the current grids, by code."""
    return store.query("SELECT id, code, name FROM grid WHERE valid_to IS NULL ORDER BY code")


# -- reports ------------------------------------------------------------------------
def open_duplicates(
    store: GeoPackageStore, ids: Sequence[int], category_id: int,
    statuses: Sequence[str], since: str, until: str,
) -> list[Any]:
    """Reports among *ids* of the category, in *statuses*, reported in [since, until]."""
    if not ids:
        return []
    return store.query(
        f"SELECT id, case_no, status, reported_at, description, geom FROM report "
        f"WHERE id IN ({_marks(ids)}) AND category_id = ? "
        f"AND status IN ({_marks(statuses)}) AND reported_at >= ? AND reported_at <= ?",
        [*ids, category_id, *statuses, since, until],
    )


def max_case_no(tx: Transaction, low: str, high: str) -> str | None:
    """The highest case number in [low, high); inside the write that takes the next."""
    return tx.execute(
        "SELECT max(case_no) FROM report WHERE case_no >= ? AND case_no < ?", (low, high)
    ).fetchone()[0]


def report_detail(store: GeoPackageStore, report_id: int) -> dict[str, Any] | None:
    """One report with category, grid, department and community names; geometry decoded."""
    rows = store.query(
        "SELECT r.*, c.name AS category_name, c.code AS category_code, g.code AS grid_code, "
        "g.name AS grid_name, d.name AS department_name, cm.name AS community_name "
        "FROM report r LEFT JOIN category c ON c.id = r.category_id "
        "LEFT JOIN grid g ON g.id = r.grid_id LEFT JOIN department d ON d.id = r.department_id "
        "LEFT JOIN community cm ON cm.id = r.community_id WHERE r.id = ?",
        (report_id,),
    )
    if not rows:
        return None
    out = dict(rows[0])
    out["geom"] = geometry.decode(out["geom"])
    return out


_WORKFLOW_ROW = (
    "SELECT id, case_no, status, department_id, grid_id, category_id, urgency, "
    "deadline, original_deadline, extension_count, dispatched_at FROM report WHERE id = ?"
)


def workflow_row(db: GeoPackageStore | Transaction, report_id: int) -> Any | None:
    """What a workflow step reads of a case; from the store or inside a transaction."""
    if hasattr(db, "query"):
        rows = db.query(_WORKFLOW_ROW, (report_id,))
    else:
        rows = db.execute(_WORKFLOW_ROW, (report_id,)).fetchall()
    return rows[0] if rows else None


def case_events(store: GeoPackageStore, report_id: int) -> list[dict[str, Any]]:
    """A case's events, oldest first, with ``department_name``."""
    rows = store.query(
        "SELECT e.*, d.name AS department_name FROM case_event e "
        "LEFT JOIN department d ON d.id = e.department_id WHERE e.report_id = ? "
        "ORDER BY e.at, e.id",
        (report_id,),
    )
    return [dict(r) for r in rows]


def overdue_unescalated(
    store: GeoPackageStore, statuses: Sequence[str], before: str
) -> list[int]:
    """Cases in *statuses* with a deadline before *before*, not escalated; by deadline."""
    rows = store.query(
        f"SELECT id FROM report WHERE status IN ({_marks(statuses)}) "
        "AND deadline < ? AND escalated_at IS NULL ORDER BY deadline",
        [*statuses, before],
    )
    return [int(r[0]) for r in rows]


def report_photos(store: GeoPackageStore, report_id: int) -> list[dict[str, Any]]:
    """Photos of a report without their bytes (id, filename, size, time)."""
    rows = store.query(
        "SELECT a.id, a.filename, a.width, a.height, a.taken_at, a.content_type, "
        "a.original IS NOT NULL AS has_original FROM report_attachment m "
        "JOIN attachment a ON a.id = m.related_id WHERE m.base_id = ? ORDER BY a.id",
        (report_id,),
    )
    return [dict(r) for r in rows]


def attachment_report_ids(store: GeoPackageStore, attachment_id: int) -> list[int]:
    """The reports a photo is attached to."""
    rows = store.query(
        "SELECT base_id FROM report_attachment WHERE related_id = ? ORDER BY base_id",
        (attachment_id,),
    )
    return [int(r[0]) for r in rows]


def report_id_by_case_no(store: GeoPackageStore, case_no: str) -> int | None:
    v = store.scalar("SELECT id FROM report WHERE case_no = ?", (case_no,))
    return None if v is None else int(v)
