"""Issue 20 benchmark: many phones filing reports with photos against one field server.

What
----
N simulated phones (default 50, httpx clients over HTTPS, each its own login)
file reports with a photo each, back to back (or one every ``--interval``
seconds each, a paced load), for D seconds (default 120: the issue's two
minutes) against one ``FieldServer`` (uvicorn, one process) on a copy of a small
street.  Each report carries a fresh idempotency key; 5 % of them are sent a
second time with the same key (a phone whose answer was lost).

The camera photo is a ~2 MB 12 MP JPEG (4032×3024, a smooth scene plus noise,
with EXIF GPS and time).  Two scenarios, one after the other on the same
server, one line each:

* **page-shrunk**: the phones send what the phone page sends
  (resources/web/field/photos.js): the photo shrunk on the phone to the stored
  long edge (FIELD_MAX_SIDE, 1024 px), JPEG quality 85, the camera's EXIF block copied in.  The
  same shrink is done here with Pillow (:func:`page_shrink`), by each phone
  once before the timed run: on real phones it is each phone's own CPU, not the
  server's cores.  Its CPU per photo is measured and printed;
* **camera photo**: the raw 2 MB photo, as a page that did not shrink would
  send it (the server decodes it at 1/4 scale).

Back to back (the default, the worst case), N phones keep N reports in flight:
the latency is about N divided by the throughput whatever the server does, so
the p95 goal (≤ 1 s) with 50 phones needs ~50 reports/s.

Each line: reports per second, latency p50/p95 of the first sends and
ok/NOT ok against the goal (p95 ≤ 1 s), the server's CPU per report split by
its threads (event loop: TLS, HTTP and multipart; photo threads: decoding and
re-encoding; workers: the services and the database, group-committed), the
phones' own CPU (they run on the same cores: their share says how much of the
machine the server did not get) and the load average.  Then: zero lost (every
201 is in the workspace) and zero duplicated (rows == distinct keys, replays
answered 200 with the same case).  ``uptime`` is printed before and after.

How
---
``python bench/field_phones.py [--phones 50] [--seconds 120] [--interval 0]
[--only shrunk|camera]``.
The server runs in this process on a thread (as the window runs it); the
phones run as threads of one other process (their TLS and multipart work does
not take the server's GIL, but the machine's cores serve both sides, so the
figures are a floor).
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
import subprocess
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
from PIL import Image, ImageOps  # noqa: E402


def photo(size_mb: float = 2.0, lon: float = 106.7, lat: float = 26.57) -> bytes:
    """A 12 MP (4032×3024) JPEG of about *size_mb* with EXIF GPS and time, as a
    phone's camera writes it."""
    rng = np.random.default_rng(20)
    w, h = 4032, 3024
    y, x = np.mgrid[0:h, 0:w]
    scene = ((np.sin(x / 60) + np.cos(y / 45)) * 60 + 128)[..., None]
    arr = np.clip(scene + rng.normal(0, 9, (h, w, 3)), 0, 255).astype(np.uint8)
    exif = Image.Exif()
    exif.update({271: "BenchPhone", 272: "Model 12", 274: 1})
    exif.get_ifd(0x8825).update({1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon), 18: "WGS-84"})
    exif.get_ifd(0x8769).update({0x9003: "2026:11:20 12:00:00"})
    for quality in range(80, 97, 2):
        out = io.BytesIO()
        Image.fromarray(arr).save(out, "JPEG", quality=quality, exif=exif.tobytes())
        if out.tell() >= size_mb * 2**20:
            break
    return out.getvalue()


def _dms(v: float) -> tuple[float, float, float]:
    d = int(v)
    m = int((v - d) * 60)
    return float(d), float(m), round((v - d - m / 60) * 3600, 4)


from gridapp.services.field.uploads import FIELD_MAX_SIDE  # noqa: E402

PAGE_SIDE = FIELD_MAX_SIDE  # sent to the page as photo_side (app.js shrinks to it)
PAGE_QUALITY = 85  # photos.js: canvas.toBlob("image/jpeg", 0.85)


def _exif_segment(jpeg: bytes) -> bytes | None:
    """The APP1 ``Exif`` segment of *jpeg* (marker and length included), as photos.js finds it."""
    i = 2
    while i + 4 <= len(jpeg) and jpeg[i] == 0xFF:
        marker, size = jpeg[i + 1], int.from_bytes(jpeg[i + 2:i + 4], "big")
        if marker in (0xDA, 0xD9):
            return None
        if marker == 0xE1 and jpeg[i + 4:i + 10] == b"Exif\0\0":
            return jpeg[i:i + 2 + size]
        i += 2 + size
    return None


def _upright(segment: bytes) -> bytes:
    """*segment* with IFD0's Orientation set to 1 (photos.js uprightExif)."""
    seg = bytearray(segment)
    tiff = 10
    order = "little" if seg[tiff:tiff + 2] == b"II" else "big"
    ifd0 = tiff + int.from_bytes(seg[tiff + 4:tiff + 8], order)
    for n in range(int.from_bytes(seg[ifd0:ifd0 + 2], order)):
        entry = ifd0 + 2 + n * 12
        if int.from_bytes(seg[entry:entry + 2], order) == 0x0112:
            seg[entry + 8:entry + 10] = (1).to_bytes(2, order)
            break
    return bytes(seg)


def page_shrink(raw: bytes, side: int = PAGE_SIDE) -> bytes:
    """What the phone page sends for the camera photo *raw* (photos.js, in Pillow).

    Decoded whole and turned upright (createImageBitmap, imageOrientation
    from-image), scaled to at most *side* px on its long side (canvas drawImage,
    high smoothing: Lanczos here), encoded at quality 85, the camera's EXIF
    segment copied in after JFIF's APP0 with its orientation set to 1.
    """
    im = ImageOps.exif_transpose(Image.open(io.BytesIO(raw)))
    if max(im.size) > side:
        im.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    im.convert("RGB").save(out, "JPEG", quality=PAGE_QUALITY)
    jpeg = out.getvalue()
    segment = _exif_segment(raw)
    if segment is None:
        return jpeg
    at = 4 + int.from_bytes(jpeg[4:6], "big") if jpeg[2:4] == b"\xff\xe0" else 2
    return jpeg[:at] + _upright(segment) + jpeg[at:]


def _cpu() -> float:
    got = resource.getrusage(resource.RUSAGE_SELF)
    return got.ru_utime + got.ru_stime


def phones(url: str, cert: str, names: list[str], password: str, seconds: float,
           interval: float, jpeg: bytes, inside: list, shrink: bool, started) -> dict:
    """Run the phones (threads of this process); their figures as a dict.

    *shrink*: each phone shrinks the camera photo *jpeg* the page's way once,
    before the timed run (its thread's CPU is kept), and sends that.  *started*
    (an Event of a multiprocessing manager) is set when the timed run starts:
    logins and shrinking are over, the server's figures start there.
    """
    lat_first: list[float] = []
    filed: dict[str, str] = {}  # key -> case_no
    replays_ok = [0, 0]
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = [0.0]
    cpu_at = [0.0]
    shrink_cpu: list[float] = []
    sizes: list[int] = []

    def start() -> None:  # run by one thread before the barrier lets all go
        stop_at[0] = time.monotonic() + seconds
        cpu_at[0] = _cpu()
        started.set()

    ready = threading.Barrier(len(names), action=start)

    def phone(i: int) -> None:
        # uvicorn closes a connection idle for 5 s (its keep-alive timeout); the
        # phones wait idle at the barrier while the others log in, so a client
        # must not reuse a connection idle longer than that (a browser retries
        # such a request on a fresh connection by itself; httpx does not)
        limits = httpx.Limits(keepalive_expiry=4.0)
        with httpx.Client(base_url=url, verify=cert, timeout=120, limits=limits) as c:
            c.get("/")
            token = c.cookies.get("gridapp_csrf")
            r = c.post("/api/login", json={"username": names[i], "password": password},
                       headers={"X-CSRF-Token": token})
            r.raise_for_status()
            rng = np.random.default_rng(i)
            n = 0
            sent = jpeg
            if shrink:
                t0 = time.thread_time()
                sent = page_shrink(jpeg)
                with lock:
                    shrink_cpu.append(time.thread_time() - t0)
                    sizes.append(len(sent))
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
                           files=[("photos", ("p.jpg", sent, "image/jpeg"))],
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
                                   files=[("photos", ("p.jpg", sent, "image/jpeg"))],
                                   headers={"X-CSRF-Token": token})
                    with lock:
                        replays_ok[0] += 1
                        replays_ok[1] += again.status_code == 200 and \
                            again.json()["case_no"] == filed[k]
                n += 1

    with ThreadPoolExecutor(len(names)) as pool:
        for f in [pool.submit(phone, i) for i in range(len(names))]:
            f.result()
    # The phones' CPU during the timed run (the last phones may still be answered
    # after stop_at: their last reports count in the figures too).
    return {"lat": lat_first, "filed": filed, "replays": replays_ok, "errors": errors,
            "elapsed": time.monotonic() - stop_at[0] + seconds, "cpu": _cpu() - cpu_at[0],
            "shrink_cpu": shrink_cpu, "sizes": sizes}


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


def scenario(pool, manager, name: str, url: str, cert: str, names: list[str], password: str,
             seconds: float, interval: float, jpeg: bytes, shrink: bool, inside: list,
             group, py_spy: str | None = None) -> dict:
    """One timed run of the phones; its figures (server side measured here, from
    the moment the phones are logged in and have their photos ready)."""
    started = manager.Event()
    running = pool.apply_async(phones, (url, cert, names, password, seconds, interval, jpeg,
                                        inside, shrink, started))
    while not started.wait(0.5):
        if running.ready():
            running.get()  # the phones failed before the run: their error
    load0 = os.getloadavg()[0]
    threads, cpu0 = ThreadCPU(), time.process_time()
    batches0, written0 = group.batches, group.written
    spy = None
    if py_spy:  # the server's stacks over the timed run (sampling, from outside)
        out = Path(tempfile.mkstemp(prefix="field-pyspy-", suffix=".txt")[1])
        spy = subprocess.Popen([py_spy, "record", "--pid", str(os.getpid()), "--duration",
                                str(max(1, int(seconds) - 2)), "--rate", "200", "--format",
                                "raw", "--threads", "--nonblocking", "-o", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    got = running.get()
    if spy is not None:
        spy.wait()
        got["profile"] = _top_lines(out)
    server_cpu = time.process_time() - cpu0
    got.update(name=name, server_cpu=server_cpu, load=(load0, os.getloadavg()[0]),
               threads=threads.stop(),
               batches=group.batches - batches0, written=group.written - written0)
    return got


def _top_lines(path: Path, n: int = 6) -> str:
    """The busiest functions (own samples) of each kind of server thread in a py-spy file."""
    by_kind: dict[str, dict[str, int]] = {}
    for row in path.read_text().splitlines():
        stack, _, count = row.rpartition(" ")
        frames = stack.split(";")
        name = frames[0].split(": ", 1)[-1] if frames else ""
        kind = ("event loop" if name.startswith("gridapp-field-service") else
                "photos" if name.startswith("field-photo") else
                "workers" if name.startswith("AnyIO worker") else None)
        if kind is None or len(frames) < 2:
            continue
        top = frames[-1].split(" (")[0] + " " + frames[-1].rsplit("/", 1)[-1].rstrip(")")
        by_kind.setdefault(kind, {})
        by_kind[kind][top] = by_kind[kind].get(top, 0) + int(count)
    path.unlink()
    out = []
    for kind, tops in by_kind.items():
        total = sum(tops.values())
        best = sorted(tops.items(), key=lambda kv: -kv[1])[:n]
        out.append(f"  {kind} ({total} samples): " + ", ".join(
            f"{name} {c / total * 100:.0f}%" for name, c in best))
    return "\n".join(out)


def line(got: dict) -> str:
    q = sorted(got["lat"])
    n, elapsed, cores = len(got["filed"]), got["elapsed"], os.cpu_count() or 1
    if not q:
        return f"{got['name']}: nothing filed; errors {len(got['errors'])} {got['errors'][:3]}"
    p95 = q[int(0.95 * (len(q) - 1))]
    per = {k: v / n * 1000 for k, v in got["threads"].items() if v > 0}
    split = ", ".join(f"{k} {per.get(k, 0):.1f}" for k in ("event loop", "photos", "workers"))
    return (f"{got['name']}: {n} reports in {elapsed:.1f} s = {n / elapsed:.1f} /s, "
            f"p50 {statistics.median(q):.2f} s, p95 {p95:.2f} s, max {q[-1]:.2f} s -> "
            f"{'ok' if p95 <= 1 else 'NOT ok'} (goal p95 <= 1 s); server CPU "
            f"{got['server_cpu'] / n * 1000:.1f} ms/report ({split}); phones' CPU "
            f"{got['cpu']:.1f} s = {got['cpu'] / elapsed:.2f} of {cores} cores "
            f"({got['cpu'] / (got['cpu'] + got['server_cpu']) * 100:.0f} % of the bench's CPU); "
            f"{got['written'] / max(1, got['batches']):.1f} reports per commit; load "
            f"{got['load'][0]:.1f} -> {got['load'][1]:.1f}")


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=120.0, help="each scenario's length")
    ap.add_argument("--interval", type=float, default=0.0,
                    help="each phone files one report every this many seconds "
                         "(default 0: back to back)")
    ap.add_argument("--py-spy", metavar="EXE",
                    help="sample the server with this py-spy during each timed run and print "
                         "the busiest functions of each kind of thread")
    ap.add_argument("--only", choices=("shrunk", "camera"),
                    help="run one scenario (default: page-shrunk photos, then camera photos)")
    ap.add_argument("--stacks", default="plain",
                    help="comma-separated HTTP stacks to run each scenario on, side by side "
                         "in this run: plain (h11 + asyncio, what the field server runs), "
                         "uvloop (h11 + uvloop), auto (uvicorn's choice: httptools + uvloop); "
                         "the last two need those packages installed; default plain")
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
    stacks = {"plain": ("h11", "asyncio"), "uvloop": ("h11", "uvloop"), "auto": ("auto", "auto")}
    servers = {}
    for stack in args.stacks.split(","):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        http, loop = stacks[stack]
        servers[stack] = FieldServer(phone_logins(admin), field_settings(admin), port=port,
                                     certificate_folder=tmp / "cert", http=http,
                                     loop=loop).start()
    server = next(iter(servers.values()))
    url = server.address.url
    # Lon/lat boxes well inside each grid (the phones send WGS84).
    inside = []
    for g in range(4):
        x0, y0 = street.inside(g, 0.05, 0.05)
        x1, y1 = street.inside(g, 0.95, 0.95)
        inside.append((x0, y0, x1, y1))
    jpeg = photo(lon=(inside[0][0] + inside[0][2]) / 2, lat=(inside[0][1] + inside[0][3]) / 2)
    pace = f"1 report/{args.interval:g} s each" if args.interval else "back to back"
    print(f"uptime: {_uptime()}")
    print(f"{args.phones} phones, {pace}, {args.seconds:.0f} s per scenario, camera photo "
          f"{len(jpeg) / 2**20:.2f} MB 4032x3024, {os.cpu_count()} cores, {url}")
    runs = [("page-shrunk photo", True), ("camera photo (2 MB, the server shrinks)", False)]
    if args.only:
        runs = runs[:1] if args.only == "shrunk" else runs[1:]
    cert = str(server.certificate.cert_path)
    results = []
    # The phones run in a process of their own: their TLS and multipart work
    # does not take the server's GIL (both still share the machine's cores).
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(1) as pool:
        for (name, shrink), stack in [(r, s) for r in runs for s in servers]:
            label = f"{name}, {pace}" + (f", {stack} HTTP stack" if len(servers) > 1 else "")
            results.append(scenario(pool, manager, label, servers[stack].address.url, cert,
                                    names, password, args.seconds, args.interval, jpeg,
                                    shrink, inside, group_commit(admin), args.py_spy))
            got = results[-1]
            if got["shrink_cpu"]:
                print(f"  the page's shrink (Pillow, each phone once before the run): "
                      f"{statistics.median(got['shrink_cpu']) * 1000:.0f} ms CPU per photo "
                      f"(median of {len(got['shrink_cpu'])}), {len(jpeg) / 2**20:.2f} MB -> "
                      f"{statistics.median(got['sizes']) / 2**20:.2f} MB "
                      f"{PAGE_SIDE}x{PAGE_SIDE * 3 // 4}", flush=True)
            print(line(got), flush=True)
            if got.get("profile"):
                print(got["profile"], flush=True)
    for each in servers.values():
        each.stop()
    print(f"uptime: {_uptime()}")
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
