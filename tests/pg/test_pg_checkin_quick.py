"""Checkin finds the copy's changed rows by their quick print (issue 16).

Every row of a fresh copy must match the print taken at checkout (else each
checkin fingerprints the whole copy: marshal's format 3+ made the bytes depend
on object identity, so none matched), and an edit must not match.
"""

from __future__ import annotations

import sqlite3

from gridapp.storage import sqlfuncs
from gridapp.storage.postgis import sync


def test_a_fresh_copy_matches_its_prints_and_an_edit_does_not(pg_demo_url, tmp_path):
    copy = tmp_path / "field.gpkg"
    sync.checkout(pg_demo_url.split("?")[0], pg_demo_url.split("street=")[1], copy)
    conn = sqlite3.connect(copy)
    sqlfuncs.register(conn)  # the R-tree triggers of an edit call them
    base = {(t, int(i)): q for t, i, q in conn.execute(
        f"SELECT table_name, row_id, quick FROM {sync.BASE_TABLE}")}
    assert base and all(q is not None for q in base.values())
    mismatched = 0
    for table in {t for t, _ in base}:
        cols = sync._local_cols(conn, table)
        for values in conn.execute(
                f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"'):
            q = base.get((table, int(values[0])))
            mismatched += q is not None and q != sync.quick_hash(values)
    assert mismatched == 0
    conn.row_factory = sqlite3.Row
    assert sync.local_changes(conn) == {}
    rid = conn.execute("SELECT max(id) FROM report").fetchone()[0]
    conn.execute("UPDATE report SET description = '改过' WHERE id = ?", (rid,))
    changes = sync.local_changes(conn)
    assert list(changes) == ["report"] and list(changes["report"]["changed"]) == [rid]
    conn.close()
