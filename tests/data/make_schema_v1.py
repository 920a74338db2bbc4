"""Write ``schema_v1.gpkg``: a tiny workspace as schema version 1 left it.

Provenance: built once by this script (2026-12, issue 15) and committed, so
the tests open a real old file rather than one the current code writes.
Only the first migration, ``gridapp/storage/migrations/m0001_initial.py``,
is applied (recorded in ``gridapp_migration`` as ``0001_initial``, version
1) on GeoPackage core tables from ``gridapp/storage/gpkg.py``; the rows are
written with plain SQL, as GridApp 1 would have left them: one street, one
community, two grids (one current, one closed version before it), one
department and category, one report in the current grid, one setting.
No audit entries (schema 1 files written by ``init`` before any edit have
none).  Everything is synthetic: a made-up street in central Guiyang.

Run ``python tests/data/make_schema_v1.py [OUT.gpkg]`` (default: next to
this script).  Do not rebuild it for a newer schema: it stands for files
users already have.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from shapely.geometry import MultiPolygon, Point, box

from gridapp.storage import gpkg, sqlfuncs
from gridapp.storage.geometry import encode_one
from gridapp.storage.migrations import m0001_initial

SRS = 4490
W, S = 106.700, 26.570
CREATED = "2026-01-05T08:00:00.000Z"


def build(path: Path) -> None:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None)
    sqlfuncs.register(conn)  # the R-tree triggers call ST_* on insert
    conn.execute("PRAGMA page_size = 512")
    conn.execute("BEGIN")
    gpkg.create_core(conn)
    conn.execute(
        "CREATE TABLE gridapp_migration (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " name TEXT NOT NULL UNIQUE, version INTEGER NOT NULL, applied_at DATETIME NOT NULL)")
    gpkg.register_attributes(conn, "gridapp_migration", "GridApp schema migrations")
    m0001_initial.apply(conn, {"srs_id": SRS})
    conn.execute("INSERT INTO gridapp_migration (name, version, applied_at) VALUES (?, ?, ?)",
                 (m0001_initial.NAME, m0001_initial.VERSION, CREATED))

    street = MultiPolygon([box(W, S, W + 0.008, S + 0.004)])
    community = MultiPolygon([box(W, S, W + 0.008, S + 0.004)])
    old_grid = box(W, S, W + 0.008, S + 0.004)
    grid_a = box(W, S, W + 0.004, S + 0.004)
    conn.execute("INSERT INTO street (id, geom, name, code, district_code, office_name)"
                 " VALUES (1, ?, '示例街道', '520102003', '520102', '示例街道办事处')",
                 (encode_one(street, SRS),))
    conn.execute("INSERT INTO community (id, geom, name, code, street_id)"
                 " VALUES (1, ?, '示例社区', '520102003001', 1)", (encode_one(community, SRS),))
    conn.execute("INSERT INTO grid (id, geom, code, name, community_id, households, valid_from,"
                 " valid_to) VALUES (1, ?, '520102003001001', '一网格', 1, 420, ?, ?)",
                 (encode_one(old_grid, SRS), CREATED, "2026-02-01T08:00:00.000Z"))
    conn.execute("INSERT INTO grid (id, geom, code, name, community_id, households, valid_from,"
                 " previous_id) VALUES (2, ?, '520102003001001', '一网格', 1, 210, ?, 1)",
                 (encode_one(grid_a, SRS), "2026-02-01T08:00:00.000Z"))
    conn.execute("INSERT INTO department (id, code, name, short_name) VALUES"
                 " (1, 'CG', '城市管理局', '城管')")
    conn.execute("INSERT INTO category (id, code, name, department_id, time_limit, time_unit)"
                 " VALUES (1, '01', '市容环境', 1, NULL, NULL)")
    conn.execute("INSERT INTO report (id, geom, case_no, address, category_id, description,"
                 " grid_id, community_id, status, reported_at) VALUES (1, ?, 'SJ2026020001',"
                 " '示例路1号', 1, '路边堆放垃圾', 2, 1, 'reported', ?)",
                 (encode_one(Point(W + 0.002, S + 0.002), SRS), "2026-02-02T09:30:00.000Z"))
    conn.execute("INSERT INTO setting (key, value) VALUES ('street.name', '\"示例街道\"')")
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    conn.close()


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("schema_v1.gpkg")
    build(out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
