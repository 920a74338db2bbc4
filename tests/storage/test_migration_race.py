"""Two GridApps opening an old workspace at once apply each migration once."""

from __future__ import annotations

import sqlite3
import types

from gridapp.storage import open_store
from gridapp.storage import store as store_module
from gridapp.storage.migrations import Migration, all_migrations


def _fake_migration() -> Migration:
    def apply(conn, ctx):
        conn.execute("CREATE TABLE race_probe (id INTEGER PRIMARY KEY)")  # fails if run twice

    mod = types.SimpleNamespace(NAME="9999_race_probe", VERSION=9999, apply=apply)
    return Migration(mod.NAME, mod.VERSION, mod)


def test_a_migration_applied_meanwhile_by_another_process_is_not_applied_again(
        empty_workspace, monkeypatch):
    path = empty_workspace.path
    empty_workspace.close()
    known = [*all_migrations(), _fake_migration()]
    monkeypatch.setattr(store_module, "all_migrations", lambda: known)
    b = open_store(path)  # B upgrades the file (the probe is applied)
    try:
        with open_store(path) as a:  # A opens it after: nothing left to do
            assert "9999_race_probe" in a.applied_migrations()
        before = set(known_names := [m.name for m in known]) - {"9999_race_probe"}
        monkeypatch.setattr(b, "applied_migrations", lambda: sorted(before))
        # A process that read the migrations before B's upgrade committed goes on
        # with that stale view: under the write lock it must see the probe done.
        b._migrate(True)
    finally:
        b.close()
    rows = sqlite3.connect(path).execute(
        "SELECT count(*) FROM gridapp_migration WHERE name = '9999_race_probe'").fetchone()[0]
    assert rows == 1 and known_names
