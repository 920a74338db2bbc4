"""Issue 16 benchmark: reports through the PostGIS store vs geopandas to_postgis/read_postgis.

1. Write N reports (default 100,000) into a street on the server through the
   store (``storage.bulk.load_frame``: one audited transaction, COPY, ids
   reserved from the table's sequence) vs ``GeoDataFrame.to_postgis`` of the
   same frame (COPY as well, into a plain table).  Goal: ratio <= 1.2.
2. Read them back: ``store.read_layer("report")`` vs ``geopandas.read_postgis``
   of ``SELECT *`` on the anchor's table.  Goal: ratio <= 1.2.

Both run in the same process against the same server, alternating which goes
first; medians of ``--repeat`` rounds.  Without ``--db`` a throw-away server is
started on loopback (PostgreSQL 15 + PostGIS from Debian; see setup.sh).
The anchor needs SQLAlchemy and GeoAlchemy2 (``pip install -e .[bench]``).

Run: ``.venv/bin/python bench/postgis.py [--n 100000] [--repeat 3] [--db URL]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Result, peak_rss_mb, refuse_debug_build, require_anchor  # noqa: E402
from store import make_reports  # noqa: E402


def run(url: str, n: int, repeat: int) -> list[Result]:
    import tempfile

    import geopandas as gpd
    import sqlalchemy

    from gridapp.services.workspace import StreetSpec, create_workspace
    from gridapp.storage import bulk
    from gridapp.storage.postgis import PostgisStore, sync

    frame = make_reports(n)
    # A street with GridApp's reference data (categories, departments), as
    # bench/store.py's fresh workspace has: published once per round.
    seed = Path(tempfile.mkdtemp(prefix="gridapp-bench-")) / "seed.gpkg"
    create_workspace(seed, StreetSpec("520102", "520102003", "基准街道")).close()
    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    w_ours, w_anchor, r_ours, r_anchor = [], [], [], []
    for k in range(repeat):
        from gridapp.storage import open_store

        with open_store(seed, readonly=True) as src:
            sync.publish(src, url, f"bench{k}")
        store = PostgisStore.open(url, street=f"bench{k}")
        anchor_table = f"anchor{k}"

        def write_ours(store=store):
            t = time.perf_counter()
            bulk.load_frame(store, "report", frame, actor="bench", summary="bench")
            w_ours.append(time.perf_counter() - t)

        def write_anchor(anchor_table=anchor_table):
            t = time.perf_counter()
            frame.to_postgis(anchor_table, engine, schema="public", index=False)
            w_anchor.append(time.perf_counter() - t)

        for fn in ((write_ours, write_anchor) if k % 2 == 0 else (write_anchor, write_ours)):
            fn()
        with engine.begin() as conn:
            conn.exec_driver_sql(f"ANALYZE public.{anchor_table}")
        with engine.begin() as conn:
            conn.exec_driver_sql(f"ANALYZE street_bench{k}.report")
        for first_ours in (True, False):
            for which in ("ours", "anchor") if first_ours else ("anchor", "ours"):
                t = time.perf_counter()
                if which == "ours":
                    back = store.read_layer("report")
                    r_ours.append(time.perf_counter() - t)
                else:
                    back = gpd.read_postgis(f"SELECT * FROM public.{anchor_table}", engine,
                                            geom_col="geometry")
                    r_anchor.append(time.perf_counter() - t)
                assert len(back) == n, (which, len(back))
        store.close()
    peak = peak_rss_mb()
    return [
        Result(f"postgis_write_{n}", w_ours, w_anchor, 1.2, peak,
               "store: audited transaction + COPY; anchor: GeoDataFrame.to_postgis"),
        Result(f"postgis_read_{n}", r_ours, r_anchor, 1.2, peak,
               "store.read_layer vs geopandas.read_postgis"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", help="postgresql:// URL of a database (superuser); default: a "
                                 "throw-away server on loopback")
    args = ap.parse_args()
    refuse_debug_build()
    require_anchor("geoalchemy2")
    require_anchor("sqlalchemy")
    server = None
    url = args.db
    if url is None:
        from gridapp.storage.postgis import server as pg

        why = pg.missing()
        if why:
            sys.exit(f"bench: {why}")
        server = pg.TempServer().start()
        url = server.create_database("bench")
    try:
        for result in run(url, args.n, args.repeat):
            print(result.line())
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
