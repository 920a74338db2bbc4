"""Issue 20 benchmark: many phones filing reports with photos against one field server.

What
----
N simulated phones (default 50, httpx clients over HTTPS, each its own login)
file reports with one ~2 MB 12 MP JPEG each, back to back (or one every
``--interval`` seconds each, a paced load), for D seconds (default 120) against one ``FieldServer`` (uvicorn, one process) on a copy of a small
street.  Each report carries a fresh idempotency key; 5 % of them are sent a
second time with the same key (a phone whose answer was lost).

Two scenarios, one after the other on the same server, one line each:

* **back to back** (the worst case): every phone sends its next report as soon
  as the last is answered; N phones keep N reports in flight, so the latency
  is N divided by the throughput whatever the server does, and the p95 goal
  is a question of reports per second (50 phones: ~50 /s);
* **paced**: each phone files one report every ``--interval`` seconds (default
  10; a person takes a photo, types, walks on), starting at a random moment.

Each line: reports per second, latency p50/p95 of the first sends and
ok/NOT ok against the goal (p95 ≤ 1 s), the server's CPU per report split by
its threads (event loop: TLS, HTTP and multipart; photo threads: decoding and
re-encoding; workers: the services and the database, group-committed), the
phones' own CPU (they run on the same cores: their share says how much of the
machine the server did not get) and the load average.  Then: zero lost (every
201 is in the workspace) and zero duplicated (rows == distinct keys, replays
answered 200 with the same case).

How
---
``python bench/field_phones.py [--phones 50] [--seconds 120] [--interval 10]
[--only back|paced] [--photo-width 4032]``.
The server runs in this process on a thread (as the window runs it); the
phones run as threads of one other process (their TLS and multipart work does
not take the server's GIL, but the machine's cores serve both sides, so the
figures are a floor).  Back to back, N phones keep N reports in flight: the
latency is N divided by the throughput, whatever the server does, so the p95
goal is a question of reports per second.  The load average is printed with
the figures.  The photo is made once with Pillow: 4032×3024, a smooth scene
plus noise at the JPEG quality that makes it ~2 MB.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import resource
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402


def photo(size_mb: float = 2.0, width: int = 4032) -> bytes:
    """A 12 MP (4032×3024) JPEG of about *size_mb*, as a phone's camera writes it.

    *width* < 4032: the same scene at that width (4:3), at quality 85, as a
    page that shrinks photos on the phone before sending would send it.
    """
    rng = np.random.default_rng(20)
    h = width * 3 // 4
    y, x = np.mgrid[0:h, 0:width] * (4032 / width)
    scene = ((np.sin(x / 60) + np.cos(y / 45)) * 60 + 128)[..., None]
    arr = np.clip(scene + rng.normal(0, 9, (h, width, 3)), 0, 255).astype(np.uint8)
    for quality in range(80, 97, 2) if width == 4032 else (85,):
        out = io.BytesIO()
        Image.fromarray(arr).save(out, "JPEG", quality=quality)
        if out.tell() >= size_mb * 2**20:
            break
    return out.getvalue()


def phones(url: str, cert: str, names: list[str], password: str, seconds: float,
           interval: float, jpeg: bytes, inside: list) -> dict:
    """Run the phones (threads of this process); their figures as a dict."""
    lat_first: list[float] = []
    filed: dict[str, str] = {}  # key -> case_no
    replays_ok = [0, 0]
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = [0.0]

    def start() -> None:  # run by one thread before the barrier lets all go
        stop_at[0] = time.monotonic() + seconds

    ready = threading.Barrier(len(names), action=start)

    def phone(i: int) -> None:
        with httpx.Client(base_url=url, verify=cert, timeout=120) as c:
            c.get("/")
            token = c.cookies.get("gridapp_csrf")
            r = c.post("/api/login", json={"username": names[i], "password": password},
                       headers={"X-CSRF-Token": token})
            r.raise_for_status()
            rng = np.random.default_rng(i)
            n = 0
            ready.wait()  # logins (scrypt) are not part of the timed run
            next_at = time.monotonic() + rng.uniform(0, interval)
            while True:
                if interval:
                    if next_at >= stop_at[0]:
                        break
                    time.sleep(max(0.0, next_at - time.monotonic()))
                    next_at += interval
                if time.monotonic() >= stop_at[0]:
                    break
                k = str(uuid.uuid4())
                grid, u, v = int(rng.integers(0, 4)), *rng.uniform(0.05, 0.95, 2)
                x0, y0, x1, y1 = inside[grid]
                data = {"category": "0401", "lon": str(x0 + u * (x1 - x0)),
                        "lat": str(y0 + v * (y1 - y0)), "key": k,
                        "description": f"bench {i}-{n}"}
                t0 = time.perf_counter()
                r = c.post("/api/reports", data=data,
                           files=[("photos", ("p.jpg", jpeg, "image/jpeg"))],
                           headers={"X-CSRF-Token": token})
                dt = time.perf_counter() - t0
                with lock:
                    if r.status_code == 201:
                        lat_first.append(dt)
                        filed[k] = r.json()["case_no"]
                    else:
                        errors.append(f"{r.status_code} {r.text[:100]}")
                if r.status_code == 201 and rng.random() < 0.05:
                    again = c.post("/api/reports", data=data,
                                   files=[("photos", ("p.jpg", jpeg, "image/jpeg"))],
                                   headers={"X-CSRF-Token": token})
                    with lock:
                        replays_ok[0] += 1
                        replays_ok[1] += again.status_code == 200 and \
                            again.json()["case_no"] == filed[k]
                n += 1

    with ThreadPoolExecutor(len(names)) as pool:
        for f in [pool.submit(phone, i) for i in range(len(names))]:
            f.result()
    return {"lat": lat_first, "filed": filed, "replays": replays_ok, "errors": errors,
            "elapsed": time.monotonic() - stop_at[0] + seconds}


def timed_phones(*args) -> dict:
    """:func:`phones`, plus the CPU this process (the phones) used meanwhile."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    got = phones(*args)
    after = resource.getrusage(resource.RUSAGE_SELF)
    got["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return got


def _thread_times() -> dict[int, tuple[str, float]]:
    """{thread id: (kind, CPU seconds)} of this process's live threads (Linux /proc)."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        name = names.get(int(tid), "")
        kind = ("event loop" if name == "gridapp-field-service" else
                "photos" if name.startswith("field-photo") else
                "workers" if name.startswith("AnyIO worker") else "other")
        out[int(tid)] = (kind, (int(fields[11]) + int(fields[12])) / tick)
    return out


class ThreadCPU:
    """The server's CPU by kind of thread over a run, sampled every 0.2 s (worker
    threads end when idle: their last sample counts)."""

    def __init__(self) -> None:
        self.first = _thread_times()
        self.last = dict(self.first)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.last.update(_thread_times())

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self.last.update(_thread_times())
        out: dict[str, float] = {}
        for tid, (kind, cpu) in self.last.items():
            out[kind] = out.get(kind, 0.0) + cpu - self.first.get(tid, (kind, 0.0))[1]
        return out


def scenario(pool, name: str, url: str, cert: str, names: list[str], password: str,
             seconds: float, interval: float, jpeg: bytes, inside: list, group) -> dict:
    """One timed run of the phones; its figures (server side measured here)."""
    load0 = os.getloadavg()[0]
    threads, cpu0 = ThreadCPU(), time.process_time()
    batches0, written0 = group.batches, group.written
    got = pool.apply(timed_phones, (url, cert, names, password, seconds, interval, jpeg, inside))
    server_cpu = time.process_time() - cpu0
    got.update(name=name, server_cpu=server_cpu, load=(load0, os.getloadavg()[0]),
               threads=threads.stop(),
               batches=group.batches - batches0, written=group.written - written0)
    return got


def line(got: dict) -> str:
    q = sorted(got["lat"])
    n, elapsed, cores = len(got["filed"]), got["elapsed"], os.cpu_count() or 1
    if not q:
        return f"{got['name']}: nothing filed; errors {len(got['errors'])} {got['errors'][:3]}"
    p95 = q[int(0.95 * (len(q) - 1))]
    per = {k: v / n * 1000 for k, v in got["threads"].items() if v > 0}
    split = ", ".join(f"{k} {per.get(k, 0):.0f}" for k in ("event loop", "photos", "workers"))
    return (f"{got['name']}: {n} reports in {elapsed:.1f} s = {n / elapsed:.1f} /s, "
            f"p50 {statistics.median(q):.2f} s, p95 {p95:.2f} s, max {q[-1]:.2f} s -> "
            f"{'ok' if p95 <= 1 else 'NOT ok'} (goal p95 <= 1 s); server CPU "
            f"{got['server_cpu'] / n * 1000:.0f} ms/report ({split}); phones' CPU "
            f"{got['cpu']:.1f} s = {got['cpu'] / elapsed:.2f} of {cores} cores "
            f"({got['cpu'] / (got['cpu'] + got['server_cpu']) * 100:.0f} % of the bench's CPU); "
            f"{got['written'] / max(1, got['batches']):.1f} reports per commit; load "
            f"{got['load'][0]:.1f} -> {got['load'][1]:.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=120.0, help="each scenario's length")
    ap.add_argument("--interval", type=float, default=10.0,
                    help="paced scenario: each phone files one report every this many seconds")
    ap.add_argument("--only", choices=("back", "paced"),
                    help="run one scenario (default: back to back, then paced)")
    ap.add_argument("--photo-width", type=int, default=4032,
                    help="photo width in px (default 4032: the issue's 2 MB 12 MP photo; "
                         "1280: what a phone would send if the page shrank it first)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-field-"))
    os.environ.setdefault("GRIDAPP_CONFIG_DIR", str(tmp / "config"))

    from gridapp.domain.enums import Role
    from gridapp.services.field.intake import group_commit
    from gridapp.services.field.settings import field_settings, phone_logins
    from gridapp.services.people.auth import load_user, reset_password
    from gridapp.services.people.users import add_user
    from gridapp.services.session import Session
    from gridapp.services.workspace import StreetSpec, create_workspace
    from gridapp.web.server import FieldServer
    from tests.services.test_reports import make_street

    store = create_workspace(tmp / "street.gpkg", StreetSpec("520102", "520102003", "测试街道"),
                             admin_username="admin", admin_password="Admin-pass-2026")
    street = make_street(store)
    admin = Session(store, load_user(store, 1))
    password = "Phone-pass-2026"
    names = [f"phone{i:02d}" for i in range(args.phones)]
    for name in names:
        add_user(admin, name, password, Role.DISPATCHER)  # any grid; managers see two
    reset_password(admin, "admin", "Admin-pass-2026")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = FieldServer(phone_logins(admin), field_settings(admin), port=port,
                         certificate_folder=tmp / "cert").start()
    url = server.address.url
    jpeg = photo(width=args.photo_width)
    print(f"{args.phones} phones, {len(jpeg) / 2**20:.2f} MB {args.photo_width}x"
          f"{args.photo_width * 3 // 4} photo, "
          f"{args.seconds:.0f} s per scenario, {os.cpu_count()} cores, {url}")
    # Lon/lat boxes well inside each grid (the phones send WGS84).
    inside = []
    for g in range(4):
        x0, y0 = street.inside(g, 0.05, 0.05)
        x1, y1 = street.inside(g, 0.95, 0.95)
        inside.append((x0, y0, x1, y1))
    runs = [("back to back", 0.0), (f"paced, 1 report/{args.interval:g} s each", args.interval)]
    if args.only:
        runs = runs[:1] if args.only == "back" else runs[1:]
    cert = str(server.certificate.cert_path)
    results = []
    # The phones run in a process of their own: their TLS and multipart work
    # does not take the server's GIL (both still share the machine's cores).
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        for name, interval in runs:
            results.append(scenario(pool, name, url, cert, names, password, args.seconds,
                                    interval, jpeg, inside, group_commit(admin)))
            print(line(results[-1]), flush=True)
    server.stop()
    filed = {k: v for got in results for k, v in got["filed"].items()}
    errors = [e for got in results for e in got["errors"]]
    replays = [sum(got["replays"][i] for got in results) for i in (0, 1)]
    rows = int(store.scalar("SELECT count(*) FROM report"))
    keys = int(store.scalar("SELECT count(DISTINCT idempotency_key) FROM field_submission"))
    photos = int(store.scalar("SELECT count(*) FROM report_attachment"))
    store.close()
    print(f"replays: {replays[1]}/{replays[0]} answered 200 with the first case")
    print(f"workspace: {rows} reports, {keys} keys, {photos} photos; "
          f"lost {len(filed) - rows if rows < len(filed) else 0}, "
          f"duplicated {rows - keys}; errors {len(errors)} {errors[:3]}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if rows == len(filed) == keys == photos and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
