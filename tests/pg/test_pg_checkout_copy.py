"""What checkout writes (issue 16): the server builds each row's GeoPackage blob and
envelope, and prints rows itself; the copy must hold the very blobs and spatial index
a GeoPackage would, and copies printed the older way must still check in."""

from __future__ import annotations

import json
import sqlite3

from gridapp.storage import open_store, sqlfuncs
from gridapp.storage.postgis import geom, sync

FEATURES = ("street", "community", "grid", "building", "place", "report", "patrol_track")


def _checkout(url: str, path) -> None:
    sync.checkout(url.split("?")[0], url.split("street=")[1], path)


def test_the_copy_holds_the_servers_geometry_and_a_true_spatial_index(pg_demo_url, tmp_path):
    copy = tmp_path / "field.gpkg"
    _checkout(pg_demo_url, copy)
    conn = sqlite3.connect(copy)
    sqlfuncs.register(conn)
    checked = 0
    with open_store(pg_demo_url, readonly=True) as server:
        for table in FEATURES:
            on_server = {int(i): geom.ewkb_to_gpkg(bytes(b)) for i, b in server.query(
                f'SELECT id, ST_AsEWKB(geom) FROM "{table}" WHERE geom IS NOT NULL')}
            in_copy = {int(i): bytes(b) for i, b in conn.execute(
                f'SELECT id, geom FROM "{table}" WHERE geom IS NOT NULL')}
            assert in_copy == on_server, table
            # The R-tree as GeoPackage's own insert trigger fills it (ST_MinX … of the blob).
            conn.execute("CREATE VIRTUAL TABLE temp.expect USING rtree(id, minx, maxx, miny, maxy)")
            conn.execute(f'INSERT INTO temp.expect SELECT id, ST_MinX(geom), ST_MaxX(geom),'
                         f' ST_MinY(geom), ST_MaxY(geom) FROM "{table}"'
                         " WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)")
            expect = conn.execute("SELECT * FROM temp.expect ORDER BY id").fetchall()
            got = conn.execute(f'SELECT * FROM "rtree_{table}_geom" ORDER BY id').fetchall()
            assert got == expect, table
            conn.execute("DROP TABLE temp.expect")
            checked += len(got)
    assert checked > 3000  # the demo's reports at least
    conn.close()


def test_a_copy_printed_the_older_way_still_checks_in(pg_demo_url, tmp_path):
    """Copies taken before server prints carry row_hash fingerprints and no ``prints``:
    an online edit of a row edited offline is still a conflict, other edits apply."""
    copy = tmp_path / "field.gpkg"
    _checkout(pg_demo_url, copy)
    with open_store(pg_demo_url) as server:
        conn = sqlite3.connect(copy)
        for table in ("report",):
            cols = sync._local_cols(conn, table)
            rows = server.query(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)}'
                                f' FROM "{table}"')
            conn.executemany(f"UPDATE {sync.BASE_TABLE} SET hash = ? WHERE table_name = ?"
                             " AND row_id = ?",
                             [(sync.row_hash(dict(zip(cols, r, strict=True))), table, int(r[0]))
                              for r in rows])
        origin = sync.read_origin(conn)
        del origin["prints"]
        conn.execute("UPDATE setting SET value = ? WHERE key = ?",
                     (json.dumps(origin), sync.ORIGIN))
        conn.commit()
        conn.close()
        a, c = [int(r[0]) for r in server.query("SELECT id FROM report ORDER BY id LIMIT 2")]
        with open_store(copy) as field, field.transaction("laptop") as tx:
            tx.update("report", a, {"description": "离线改A"})
            tx.update("report", c, {"description": "离线改C"})
        with server.transaction("office") as tx:
            tx.update("report", c, {"description": "在线改C"})

        result = sync.checkin(copy, pg_demo_url)

        assert [(k.table, k.row_id) for k in result.conflicts] == [("report", c)]
        assert server.scalar("SELECT description FROM report WHERE id = ?", (a,)) != "离线改A"
        with server.transaction("office") as tx:  # the office takes the laptop's C
            tx.update("report", c, {"description": "离线改C"})
        again = sync.checkin(copy, pg_demo_url)
        assert not again.conflicts and again.applied == {"report": 1}
        assert server.scalar("SELECT description FROM report WHERE id = ?", (a,)) == "离线改A"
