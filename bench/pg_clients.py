"""Issue 16 benchmark: many clients of one district server at once.

A throw-away PostgreSQL + PostGIS server on loopback (or ``--db``, an empty
database) holds the demo street.  ``--clients`` simulated clients (default 200)
run for ``--seconds`` (default 300): each files a report at a random point of
the street through GridApp's services (``file_report``, as the window does),
then registers a case — half the time its own, half the time one filed by any
client in the last moments, so clients race for the same rows — and
dispatches it.  Two cores cannot run 200 Python processes usefully: the
clients are ``--procs`` processes (default 4) of ``clients / procs`` threads,
each thread with its own GridApp store (its own two server connections, as a
separate desktop would have), so the server sees 200 clients' connections and
transactions.

Printed: reports per second, p50/p95 latency of filing a report and of a
case step, deadlocks and serialization failures (each retried, counted),
refusals (a case another client moved first: expected, not errors), lost
updates (case steps reported done whose event is missing, or a status that
is not its last event's: must be 0), duplicate case numbers (must be 0) and
whether the street's audit chain is intact.

Run: ``.venv/bin/python bench/pg_clients.py [--clients 200] [--procs 4]
[--seconds 300] [--db URL]``
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEMO = ROOT / "data" / "demo_street.gpkg"
STREET = "520102003"


def _retrying(fn, stats):
    """Run *fn*; a deadlock or serialization failure is retried (and counted)."""
    for _ in range(20):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - classified below
            text = str(exc).lower()
            if "deadlock" in text:
                stats["deadlocks"] += 1
                continue
            if "could not serialize" in text:
                stats["serialization"] += 1
                continue
            raise
    raise RuntimeError("gave up after 20 retries")


def _client(url, start, points, out, shared_recent, lock, seed):
    from gridapp.domain.enums import Role
    from gridapp.services.cases.drafts import ReportDraft
    from gridapp.services.cases.reports import file_report
    from gridapp.services.cases.workflow import advance_case
    from gridapp.services.session import Session, User
    from gridapp.storage import open_store

    rnd = random.Random(seed)
    stats = {"filed": 0, "steps": 0, "refused": 0, "deadlocks": 0, "serialization": 0,
             "errors": 0, "file_lat": [], "step_lat": [], "done": []}
    ready, go, deadline_at = start
    try:
        store = open_store(url)
    except Exception as exc:  # noqa: BLE001 - counted; the others must not wait for it
        stats["errors"] += 1
        stats["error_kinds"] = {f"open: {str(exc)[-200:]}"}
        ready.put(1)
        out.append(stats)
        return
    uid = store.scalar("SELECT id FROM app_user WHERE username = 'zhihui'")
    session = Session(store, User(uid, "zhihui", "指挥中心 陈晨", Role.DISPATCHER))
    with store.transaction("bench"):  # the write connection too, before the clock starts
        pass
    ready.put(1)  # store open: wait until every client is, then run together
    go.wait()
    deadline = deadline_at.value
    try:
        while time.time() < deadline:
            lon, lat = points[rnd.randrange(len(points))]
            t = time.perf_counter()
            try:
                filed = _retrying(lambda lon=lon, lat=lat: file_report(session, ReportDraft(
                    category="0401", lon=lon, lat=lat, description="并发测试 占道经营")), stats)
            except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                stats["errors"] += 1
                stats.setdefault("error_kinds", set()).add(f"file: {type(exc).__name__}: {str(exc)[-200:]}")
                continue
            stats["file_lat"].append(time.perf_counter() - t)
            stats["filed"] += 1
            with lock:
                shared_recent.append(filed.report_id)
                del shared_recent[:-50]
                other = shared_recent[rnd.randrange(len(shared_recent))]
            target = filed.report_id if rnd.random() < 0.5 else other
            for action in ("register", "dispatch"):
                t = time.perf_counter()
                try:
                    _retrying(lambda a=action, t=target: advance_case(session, t, a), stats)
                except Exception as exc:  # noqa: BLE001
                    name = type(exc).__name__
                    if name in ("WorkflowError", "ValidationError", "PermissionDenied",
                                "TransitionError", "InvalidTransition"):
                        stats["refused"] += 1  # another client moved it first
                    else:
                        stats["errors"] += 1
                        stats.setdefault("error_kinds", set()).add(f"{name}: {str(exc)[-200:]}")
                    break
                stats["step_lat"].append(time.perf_counter() - t)
                stats["steps"] += 1
                stats["done"].append((target, action))
    finally:
        store.close()
    out.append(stats)


def _process(url, start, points, threads, seed, queue):
    out: list = []
    recent: list = []
    lock = threading.Lock()
    workers = [threading.Thread(target=_client, args=(url, start, points, out, recent, lock,
                                                      seed * 1000 + k)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(out)


def _points(url, n=500):
    """Points inside the street's current grids (where a dispatcher may file)."""
    from gridapp.storage import open_store

    with open_store(url, readonly=True) as s:
        rows = s.query("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p"
                       " FROM grid WHERE valid_to IS NULL) q")
    return [(float(x), float(y)) for x, y in rows][:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--db", help="postgresql:// URL of an empty database (default: a "
                                 "throw-away server on loopback)")
    args = ap.parse_args()
    from gridapp.storage import open_store
    from gridapp.storage.postgis import audit, sync

    server = None
    url = args.db
    if url is None:
        from gridapp.storage.postgis import server as pg

        why = pg.missing()
        if why:
            sys.exit(f"bench: {why}")
        # Each client's store holds two connections (reads, writes).
        server = pg.TempServer(max_connections=2 * args.clients + 50).start()
        url = server.create_database("district")
    try:
        with open_store(DEMO, readonly=True) as src:
            sync.publish(src, url, STREET)
        street = f"{url}?street={STREET}"
        points = _points(street)
        with open_store(street, readonly=True) as s:
            before = int(s.scalar("SELECT count(*) FROM report"))
        per = [args.clients // args.procs + (1 if k < args.clients % args.procs else 0)
               for k in range(args.procs)]
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        start = (ctx.Queue(), ctx.Event(), ctx.Value("d", 0.0))
        procs = [ctx.Process(target=_process, args=(street, start, points, n, k, queue))
                 for k, n in enumerate(per) if n]
        for p in procs:
            p.start()
        for _ in range(sum(per)):  # every client's store open
            start[0].get()
        start[2].value = time.time() + args.seconds
        t0 = time.perf_counter()
        start[1].set()
        results = []
        for _ in procs:
            results += queue.get()
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - t0
        tot = {k: sum(r[k] for r in results) for k in
               ("filed", "steps", "refused", "deadlocks", "serialization", "errors")}
        file_lat = sorted(x for r in results for x in r["file_lat"])
        step_lat = sorted(x for r in results for x in r["step_lat"])
        done = [d for r in results for d in r["done"]]
        kinds = set().union(*(r.get("error_kinds", set()) for r in results))
        with open_store(street, readonly=True) as s:
            after = int(s.scalar("SELECT count(*) FROM report"))
            dup = int(s.scalar("SELECT count(*) FROM (SELECT case_no FROM report WHERE case_no"
                               " IS NOT NULL GROUP BY case_no HAVING count(*) > 1) d"))
            events = {(int(r[0]), r[1]) for r in s.query(
                "SELECT report_id, action FROM case_event WHERE action IN ('register',"
                " 'dispatch')")}
            lost = sum(1 for d in done if d not in events)
            twice = int(s.scalar(
                "SELECT count(*) FROM (SELECT report_id, action FROM case_event WHERE action IN"
                " ('register', 'dispatch') GROUP BY report_id, action HAVING count(*) > 1) d"))
            stale = int(s.scalar(
                "SELECT count(*) FROM report r JOIN LATERAL (SELECT to_status FROM case_event e"
                " WHERE e.report_id = r.id AND e.to_status IS NOT NULL"
                " ORDER BY e.id DESC LIMIT 1) last ON true WHERE r.id > ? AND"
                " last.to_status <> r.status", (before,)))
            chain = audit.verify(s)
    finally:
        if server is not None:
            server.stop()

    def pct(xs, q):
        return 1000 * xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")

    print(f"district server, {args.clients} clients ({len(procs)} processes x "
          f"{max(per)} threads, one GridApp store each), {elapsed:.0f} s; cpus "
          f"{os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'measure':<44} {'value':>12}")
    rows = [
        ("reports filed", f"{tot['filed']:,}"),
        ("reports per second", f"{tot['filed'] / elapsed:.1f}"),
        ("file a report p50 / p95 (ms)", f"{pct(file_lat, .5):.0f} / {pct(file_lat, .95):.0f}"),
        ("case steps done (register, dispatch)", f"{tot['steps']:,}"),
        ("case step p50 / p95 (ms)", f"{pct(step_lat, .5):.0f} / {pct(step_lat, .95):.0f}"),
        ("refused (another client moved it first)", f"{tot['refused']:,}"),
        ("deadlocks (all retried)", f"{tot['deadlocks']:,}"),
        ("serialization failures (all retried)", f"{tot['serialization']:,}"),
        ("other errors", f"{tot['errors']:,}"),
        ("reports in the street: new rows = filed", f"{after - before:,} = {tot['filed']:,}"),
        ("lost updates (step done, event missing)", f"{lost}"),
        ("steps recorded twice", f"{twice}"),
        ("status not its last event's", f"{stale}"),
        ("duplicate case numbers", f"{dup}"),
        ("audit chain", "intact" if not chain else f"{len(chain)} problems"),
    ]
    for name, value in rows:
        print(f"{name:<44} {value:>12}")
    for k in sorted(kinds)[:5]:
        print(f"error: {k}")


if __name__ == "__main__":
    main()
