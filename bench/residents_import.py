"""Residents' 台账 import at scale (issue 18): 100,000 rows in at most 30 s, encryption included.

Builds a workspace with one community, one grid and 2,000 buildings, writes a
seeded XLSX 台账 of *rows* fictional residents (valid ID numbers in region
520199, no county), then times ``preview_resident_import`` + ``import_residents``
(reading the sheet, checking every row, duplicate lookup, sealing name, ID
number, phone and notes with AES-GCM, one transaction).

    python bench/residents_import.py [--rows 100000]

Measured 2026-12-03 on the shared 2-core machine, another benchmark running:
100,000 residents in 19.3 s (read and check 10.7 s, write 8.6 s) at load
average ~4 (37.2 s at load ~11 before the ID column was checked at once).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import common  # noqa: F401  (puts the repository on sys.path)
import numpy as np
from openpyxl import Workbook
from shapely.geometry import box

from gridapp.domain import idcard
from gridapp.services.basedata.links import relink_base_data
from gridapp.services.basedata.resident_import import (
    import_residents,
    preview_resident_import,
)
from gridapp.services.session import system_session
from gridapp.services.workspace import StreetSpec, create_workspace

X0, Y0 = 106.70, 26.57


def make_workspace(path: Path, buildings: int):
    store = create_workspace(path, StreetSpec("520102", "520102003", "测试街道"),
                             admin_username="admin", admin_password="Admin-pass-2026")
    whole = box(X0, Y0, X0 + 0.05, Y0 + 0.05)
    with store.transaction("bench") as tx:
        tx.insert("street", {"geom": whole, "name": "测试街道"})
        cid = tx.insert("community", {"geom": whole, "name": "测试社区", "code": "520102003001"})
        tx.insert("grid", {"geom": whole, "code": "520102003001001", "community_id": cid,
                           "valid_from": "2026-01-01T00:00:00.000Z"})
        for k in range(buildings):
            x, y = X0 + 0.001 * (k % 45), Y0 + 0.001 * (k // 45)
            tx.insert("building", {"geom": box(x, y, x + 0.0005, y + 0.0005),
                                   "name": f"{k + 1}栋", "households": 50})
    relink_base_data(system_session(store))
    return store


def make_sheet(path: Path, rows: int, buildings: int) -> None:
    rng = np.random.default_rng(18)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民台账")
    ws.append(["姓名", "身份证号码", "联系电话", "楼栋", "门牌", "人员类别", "备注"])
    seen: set[str] = set()
    while len(seen) < rows:
        body = f"520199{1940 + int(rng.integers(0, 80))}{int(rng.integers(1, 13)):02d}" \
               f"{int(rng.integers(1, 29)):02d}{int(rng.integers(0, 1000)):03d}"
        seen.add(body + idcard.check_char(body))
    for k, number in enumerate(sorted(seen)):
        ws.append([f"居民{k}", number, f"1990000{k % 10000:04d}", f"{k % buildings + 1}栋",
                   f"{k // buildings % 30 + 1}0{k % 3 + 1}", "低保" if k % 50 == 0 else "",
                   "虚构"])
    wb.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--buildings", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("GRIDAPP_CONFIG_DIR", str(Path(tmp) / "config"))
        store = make_workspace(Path(tmp) / "ws.gpkg", args.buildings)
        sheet = Path(tmp) / "台账.xlsx"
        make_sheet(sheet, args.rows, args.buildings)
        session = system_session(store)
        t = time.perf_counter()
        preview = preview_resident_import(session, sheet)
        t_read = time.perf_counter() - t
        assert preview.ok, [p.message for p in preview.problems[:5]]
        n = import_residents(session, preview)
        total = time.perf_counter() - t
        store.close()
    print(f"{n} residents imported in {total:.1f} s (read and check {t_read:.1f} s,"
          f" write {total - t_read:.1f} s); target <= 30 s")


if __name__ == "__main__":
    main()
