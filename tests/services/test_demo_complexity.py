"""The demo generator's SQL does not grow with its reports (issue 22): statements
are counted, not timed.  Four times the reports, the same statements: the rows go
in batches (one ``executemany`` per table and chunk), never one call per row."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

from gridapp.services.demo.street import DemoSpec, write_demo
from gridapp.storage import open_store


def _statements(monkeypatch, path, reports: int) -> Counter:
    calls: Counter = Counter()

    class Counting(sqlite3.Connection):
        def execute(self, sql, *args):
            calls["execute"] += 1
            return super().execute(sql, *args)

        def executemany(self, sql, *args):
            calls["executemany"] += 1
            return super().executemany(sql, *args)

    connect = sqlite3.connect

    def counting_connect(*args, **kwargs):
        kwargs.setdefault("factory", Counting)
        return connect(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(sqlite3, "connect", counting_connect)
        write_demo(path, DemoSpec(grids=12, reports=reports, as_of=date(2026, 11, 20),
                                  hash_rounds=2**8))
    return calls


def test_statements_do_not_grow_with_the_reports(monkeypatch, tmp_path):
    # the first workspace a process creates also replays the schema once (cached after)
    _statements(monkeypatch, tmp_path / "first.gpkg", 100)
    small = _statements(monkeypatch, tmp_path / "small.gpkg", 400)
    large = _statements(monkeypatch, tmp_path / "large.gpkg", 1600)
    with open_store(tmp_path / "large.gpkg", readonly=True) as store:
        assert store.scalar("SELECT count(*) FROM report") == 1600
        assert store.scalar("SELECT count(*) FROM case_event") > 4 * 1600
    assert small["execute"] > 0 and small["executemany"] > 0  # the counter saw the writes
    assert large == small
