"""Issue 16 benchmark: checkout and checkin against a 10-street district server.

Set-up (not timed against a goal, but printed): a throw-away PostgreSQL +
PostGIS server on loopback (or ``--db``), the demo street published under
``--streets`` street codes (``bench01`` …), then ``--reports`` synthetic
reports in total spread evenly over the streets (``storage.bulk.load_frame``:
COPY in one audited transaction per street), and the database vacuumed, as
autovacuum leaves a server in use.  The issue's goal is 1,000,000
reports on 10 streets; ``--reports`` scales it down when the machine is short
of time.

Timed:

1. Checkout of one street (``storage.postgis.sync.checkout``: one
   REPEATABLE READ snapshot, every row of the street into a new GeoPackage
   with its fingerprint).  Goal: <= 10 s.
2. Checkin of 1,000 edited reports from that copy
   (``storage.postgis.sync.checkin``: compare, lock and update the rows in one
   server transaction).  The edits are made through the copy's own store (an
   audited GridApp transaction, as the window or the CLI would), not timed.
   Goal: <= 5 s.

These are the storage calls behind ``gridapp checkout`` / ``gridapp checkin``;
the commands add Python start-up and the login (about 1-2 s), printed as a
third line for the checkout by running the real command once.

Run: ``.venv/bin/python bench/district_sync.py [--streets 10] [--reports 1000000]
[--edits 1000] [--db URL]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import peak_rss_mb, refuse_debug_build  # noqa: E402
from store import make_reports  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo_street.gpkg"


def log(msg: str, t0: float) -> None:
    print(f"[{time.perf_counter() - t0:6.1f} s] {msg}", file=sys.stderr, flush=True)


def build(url: str, streets: int, reports: int, t0: float) -> list[str]:
    """Publish the demo under *streets* codes and spread *reports* over them."""
    from gridapp.storage import bulk, open_store
    from gridapp.storage.postgis import PostgisStore, sync

    codes = [f"bench{k + 1:02d}" for k in range(streets)]
    work = Path(tempfile.mkdtemp(prefix="gridapp-bench-district-"))
    try:
        demo = work / "demo.gpkg"
        shutil.copy(DEMO, demo)  # a private copy: other programs may be using data/
        with open_store(demo, readonly=True) as src:
            for code in codes:
                sync.publish(src, url, code)
                log(f"published the demo street as {code}", t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    per_street = reports // streets
    if per_street:
        frame = make_reports(per_street)
        log(f"made {per_street:,} synthetic reports", t0)
        for code in codes:
            store = PostgisStore.open(url, street=code)
            try:
                bulk.load_frame(store, "report", frame, actor="bench", summary="bench")
            finally:
                store.close()
            log(f"loaded {per_street:,} reports into {code}", t0)
    # A district server in use has had its tables vacuumed (autovacuum runs after
    # large inserts): without this the timed checkout would pay the load's hint bits
    # and share the cores with autovacuum working through the fresh million rows.
    import psycopg

    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    log("vacuumed", t0)
    return codes


def edit_copy(path: Path, edits: int) -> int:
    """Change *edits* reports of the offline copy through its own store; how many."""
    from gridapp.storage.store import GeoPackageStore

    with GeoPackageStore.open(path) as store:
        ids = [int(r[0]) for r in store.query(
            "SELECT id FROM report ORDER BY id DESC LIMIT ?", (edits,))]
        with store.transaction("bench") as tx:
            for rid in ids:
                tx.update("report", rid, {"description": f"离线修改 {rid}"})
    return len(ids)


def run_cli_checkout(url: str, street: str, out: Path) -> float:
    """Wall time of the real ``gridapp checkout`` command (start-up and login included)."""
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--quiet", "checkout", "--db", url,
         "--street", street, "-o", str(out), "--as", "admin", "--password-stdin"],
        input="Admin-demo-2026\n", capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - t
    if done.returncode:
        raise RuntimeError(f"gridapp checkout failed ({done.returncode}): {done.stderr}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--streets", type=int, default=10)
    ap.add_argument("--reports", type=int, default=1_000_000,
                    help="synthetic reports in total, over all streets (the demo's "
                         "3,000 per street come on top)")
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--db", help="postgresql:// URL of an empty database (owner with "
                                 "CREATEROLE); default: a throw-away server on loopback")
    args = ap.parse_args()
    refuse_debug_build()
    if not DEMO.exists():
        sys.exit(f"bench: {DEMO} is missing (python main.py demo {DEMO})")
    t0 = time.perf_counter()
    server = None
    url = args.db
    if url is None:
        from gridapp.storage.postgis import server as pg

        why = pg.missing()
        if why:
            sys.exit(f"bench: {why}")
        server = pg.TempServer().start()
        url = server.create_database("district")
        log(f"throw-away server on port {server.port}", t0)
    out = Path(tempfile.mkdtemp(prefix="gridapp-bench-copies-"))
    try:
        from gridapp.storage.postgis import PostgisStore, sync

        codes = build(url, args.streets, args.reports, t0)
        setup = time.perf_counter() - t0
        total = 0
        for code in codes:
            with PostgisStore.open(url, street=code, readonly=True) as s:
                total += int(s.scalar("SELECT count(*) FROM report"))
        street = codes[len(codes) // 2]
        with PostgisStore.open(url, street=street, readonly=True) as s:
            in_street = int(s.scalar("SELECT count(*) FROM report"))
        log(f"set-up done: {total:,} reports on {len(codes)} streets", t0)

        copy = out / "field.gpkg"
        t = time.perf_counter()
        counts = sync.checkout(url, street, copy)
        t_checkout = time.perf_counter() - t
        assert counts["report"] == in_street, (counts["report"], in_street)
        log(f"checkout of {street}: {t_checkout:.2f} s", t0)

        t_cli = run_cli_checkout(url, street, out / "field_cli.gpkg")
        log(f"gridapp checkout (command): {t_cli:.2f} s", t0)

        n_edits = edit_copy(copy, args.edits)
        t = time.perf_counter()
        result = sync.checkin(copy, url)
        t_checkin = time.perf_counter() - t
        assert not result.conflicts and not result.noop, result
        assert result.applied.get("report") == n_edits, result.applied
        with PostgisStore.open(url, street=street, readonly=True) as s:
            changed = int(s.scalar("SELECT count(*) FROM report WHERE description LIKE ?",
                                   ("离线修改 %",)))
        assert changed == n_edits, (changed, n_edits)
        log(f"checkin of {n_edits} edits: {t_checkin:.2f} s", t0)
        size_mb = copy.stat().st_size / 1e6
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if server is not None:
            server.stop()

    rows = [
        (f"checkout 1 street ({in_street:,} reports, copy {size_mb:.0f} MB)", t_checkout, 10.0),
        (f"checkin {n_edits:,} edited reports", t_checkin, 5.0),
        ("gridapp checkout command (start-up + login + checkout)", t_cli, None),
    ]
    print(f"district server: {len(codes)} streets, {total:,} reports "
          f"(goal 1,000,000); set-up {setup:.0f} s; cpus {os.cpu_count()}; "
          f"load average {os.getloadavg()[0]:.1f} (other programs slow every figure); "
          f"peak RSS {peak_rss_mb():.0f} MB")
    print(f"{'measure':<58} {'seconds':>8} {'goal':>7}  verdict")
    for name, secs, goal in rows:
        verdict = "-" if goal is None else ("ok" if secs <= goal else "NOT ok")
        g = "-" if goal is None else f"<= {goal:g}"
        print(f"{name:<58} {secs:8.2f} {g:>7}  {verdict}")
    if total < 1_000_000:
        print(f"NOTE: {total:,} reports, not the goal's 1,000,000 (--reports to scale up)")


if __name__ == "__main__":
    main()
