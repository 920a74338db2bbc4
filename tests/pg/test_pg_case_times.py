"""Schema 24 on a server street (issue 17): the migration adds the kept case times and
the (grid, reported) index and fills them from the street's own events, as on a
GeoPackage; the month's figures then equal the GeoPackage's."""

from __future__ import annotations

import shutil

import pandas as pd
import psycopg

from gridapp.domain.enums import Role
from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.services.assessment import indicators as kpi
from gridapp.services.session import Session, User
from gridapp.storage import open_store
from gridapp.storage.postgis import migrate

SCHEMA = "street_520102003"
CLOCK = "2026-12-10T12:00:00+08:00"


def _figures(store) -> dict[str, pd.DataFrame]:
    session = Session(store, User(1, "leader1", "领导", Role.LEADER))
    with use_clock(FixedClock(CLOCK)):
        return {k: v.frame for k, v in kpi.compute_all(session, "2026-11").items()}


def test_migration_applies_on_the_server_and_fills_from_events(pg_demo_url, pg_server,
                                                              demo_file, tmp_path):
    db = pg_demo_url.split("/")[-1].split("?")[0]
    with psycopg.connect(pg_server.url(db)) as raw:
        # the street as a GridApp before schema 24 left it
        with raw.transaction():
            raw.execute(f'SET LOCAL search_path = "{SCHEMA}", gridapp, public')
            raw.execute("DROP INDEX IF EXISTS report_grid_time")
            raw.execute("ALTER TABLE report DROP COLUMN responded_at,"
                        " DROP COLUMN dispatched_by")
            raw.execute("DELETE FROM gridapp_migration WHERE name = '0024_case_times'")
        with raw.transaction():
            assert migrate.apply(raw, SCHEMA) == ["0024_case_times"]
        raw.execute(f'SET search_path = "{SCHEMA}", gridapp, public')
        assert raw.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND"
                           " indexname = 'report_grid_time'", (SCHEMA,)).fetchone()
        # every case with a register or reject event has its first one kept
        missing, wrong = raw.execute(
            """SELECT count(*) FILTER (WHERE r.responded_at IS NULL),
                      count(*) FILTER (WHERE r.responded_at <> e.t)
               FROM report r JOIN (SELECT report_id, min(at) AS t FROM case_event
                                   WHERE action IN ('register', 'reject')
                                   GROUP BY report_id) e ON e.report_id = r.id""").fetchone()
        responded = raw.execute("SELECT count(*) FROM report"
                                " WHERE responded_at IS NOT NULL").fetchone()[0]
        dispatched = raw.execute("SELECT count(*) FROM report WHERE dispatched_by IS NOT NULL"
                                 " AND dispatched_at IS NOT NULL").fetchone()[0]
    assert (missing, wrong) == (0, 0)
    assert responded > 100 and dispatched > 100  # the demo street's cases
    # the same figures as the GeoPackage migrated the same way
    local = tmp_path / "demo.gpkg"
    shutil.copy(demo_file, local)
    with open_store(local) as gpkg:
        with gpkg.transaction("test") as tx:  # demo rows were written without them
            from gridapp.storage.migrations.m0024_case_times import backfill

            backfill(tx)
        assert gpkg.scalar("SELECT count(*) FROM report WHERE responded_at IS NOT NULL") \
            == responded
        on_file = _figures(gpkg)
    with open_store(pg_demo_url) as server:
        on_server = _figures(server)
    for kind, frame in on_file.items():
        pd.testing.assert_frame_equal(frame, on_server[kind], obj=kind, check_dtype=False)
