"""Bulk-loading an empty SQLite R*Tree by writing its nodes directly.

SQLite inserts R*Tree entries one at a time (about 15 µs each, with node
splits); GDAL loads a new GeoPackage's spatial index by packing the tree in
memory instead.  This module does the same for an *empty* ``rtree_<t>_geom``
table: entries are sorted (Sort-Tile-Recursive), packed into full nodes level
by level, and written to the shadow tables ``_node``, ``_parent`` and
``_rowid`` in SQLite's own format (``ext/rtree/rtree.c``):

* a node blob is ``node_size`` bytes: 2 bytes tree depth (root only), 2 bytes
  cell count, then cells of an 8-byte id and four 4-byte float32 coordinates,
  all big-endian; minima are rounded down and maxima up to float32;
* the root is node 1; ``_parent`` maps each non-root node to its parent and
  ``_rowid`` each entry to its leaf.

``PRAGMA integrity_check`` does not look inside R-trees; the tests check the
result with SQLite's ``rtreecheck()``.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np

_CELL = 8 + 4 * 4  # id + minx, maxx, miny, maxy (float32)
_MAX_CELLS_CAP = 51  # RTREE_MAXCELLS in rtree.c


def _node_size(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute(f'SELECT length(data) FROM "{name}_node" WHERE nodeno = 1').fetchone()
    return int(row[0])


def _round_out(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float32 bounds that contain the float64 ones (down for minima, up for maxima)."""
    lo32 = lo.astype(np.float32)
    hi32 = hi.astype(np.float32)
    lo32 = np.where(lo32.astype(np.float64) > lo, np.nextafter(lo32, np.float32(-np.inf)), lo32)
    hi32 = np.where(hi32.astype(np.float64) < hi, np.nextafter(hi32, np.float32(np.inf)), hi32)
    return lo32, hi32


def _str_order(cx: np.ndarray, cy: np.ndarray, per_node: int) -> np.ndarray:
    """Sort-Tile-Recursive order: vertical slices by x, each sorted by y."""
    n = len(cx)
    slices = max(1, math.ceil(math.sqrt(math.ceil(n / per_node))))
    slice_len = math.ceil(math.ceil(n / slices) / per_node) * per_node  # whole leaves
    by_x = np.argsort(cx, kind="stable")
    parts = [by_x[s : s + slice_len] for s in range(0, n, slice_len)]
    return np.concatenate([p[np.argsort(cy[p], kind="stable")] for p in parts])


def load_empty(conn: sqlite3.Connection, name: str, ids: np.ndarray, minx: np.ndarray,
               maxx: np.ndarray, miny: np.ndarray, maxy: np.ndarray) -> None:
    """Fill the empty R-tree *name* with the given entries in one pass."""
    if conn.execute(f'SELECT count(*) FROM "{name}_rowid"').fetchone()[0]:
        raise ValueError(f"{name} is not empty")
    n = len(ids)
    if n == 0:
        return
    node_size = _node_size(conn, name)
    per_node = min(_MAX_CELLS_CAP, (node_size - 4) // _CELL)
    order = _str_order((minx + maxx) / 2, (miny + maxy) / 2, per_node)
    lo_x, hi_x = _round_out(minx[order], maxx[order])
    lo_y, hi_y = _round_out(miny[order], maxy[order])
    level_ids = ids[order].astype(np.int64)
    boxes = np.column_stack([lo_x, hi_x, lo_y, hi_y])

    levels: list[tuple[np.ndarray, np.ndarray]] = []  # per level: child ids, boxes
    while True:
        levels.append((level_ids, boxes))
        if len(level_ids) <= per_node:
            break
        groups = math.ceil(len(level_ids) / per_node)
        starts = np.arange(groups) * per_node
        parent_boxes = np.column_stack([
            np.minimum.reduceat(boxes[:, 0], starts), np.maximum.reduceat(boxes[:, 1], starts),
            np.minimum.reduceat(boxes[:, 2], starts), np.maximum.reduceat(boxes[:, 3], starts)])
        level_ids = np.arange(groups, dtype=np.int64)  # placeholders, numbered below
        boxes = parent_boxes.astype(np.float32)
    depth = len(levels) - 1

    # Number the nodes: root is 1, then each level below, top-down.
    node_count = [1] + [math.ceil(len(levels[k][0]) / per_node) for k in range(depth - 1, -1, -1)]
    first_no = np.cumsum([0] + node_count[:-1]) + 1  # first node number of each depth level
    cell_dtype = np.dtype([("id", ">i8"), ("b", ">f4", 4)])
    node_rows: list[tuple[int, bytes]] = []
    parent_rows: list[tuple[int, int]] = []
    rowid_rows: zip[tuple[int, int]] = zip((), (), strict=True)
    for k in range(depth, -1, -1):  # k = level index in `levels` (0 = leaves)
        child_ids, child_boxes = levels[k]
        d = depth - k  # distance from root
        nodes_here = node_count[d]
        cells = np.empty(len(child_ids), dtype=cell_dtype)
        if k == 0:
            cells["id"] = child_ids
        else:
            cells["id"] = first_no[d + 1] + np.arange(len(child_ids))
        cells["b"] = child_boxes
        raw = cells.tobytes()
        for j in range(nodes_here):
            nodeno = int(first_no[d] + j)
            a, b = j * per_node, min((j + 1) * per_node, len(child_ids))
            head = (depth if nodeno == 1 else 0).to_bytes(2, "big") + (b - a).to_bytes(2, "big")
            body = raw[a * _CELL : b * _CELL]
            node_rows.append((nodeno, head + body + bytes(node_size - 4 - len(body))))
        # Each child's node number, as arrays (not a tuple built per entry in Python).
        owner = first_no[d] + np.arange(len(child_ids)) // per_node
        if k == 0:
            # In rowid order: each insert appends to the _rowid B-tree instead of
            # landing on a random page of it (STR order is spatial, not by id).
            by_id = np.argsort(child_ids, kind="stable")
            rowid_rows = zip(child_ids[by_id].tolist(), owner[by_id].tolist(), strict=True)
        else:
            parent_rows.extend(zip(cells["id"].astype(np.int64).tolist(), owner.tolist(),
                                   strict=True))
    conn.execute(f'DELETE FROM "{name}_node"')
    conn.executemany(f'INSERT INTO "{name}_node" (nodeno, data) VALUES (?, ?)', node_rows)
    conn.executemany(f'INSERT INTO "{name}_parent" (nodeno, parentnode) VALUES (?, ?)',
                     parent_rows)
    conn.executemany(f'INSERT INTO "{name}_rowid" (rowid, nodeno) VALUES (?, ?)', rowid_rows)
