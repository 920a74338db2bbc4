"""Issue 20 benchmark: many phones filing reports with photos against one field server.

What
----
N simulated phones (default 50, httpx clients over HTTPS, each its own login)
file reports with one ~2 MB JPEG each, back to back, for D seconds (default
120) against one ``FieldServer`` (uvicorn, one process) on a copy of a small
street.  Each report carries a fresh idempotency key; 5 % of them are sent a
second time with the same key (a phone whose answer was lost).

Prints reports per second, latency p50/p95/max of the first sends (goal: p95
≤ 1 s), and checks zero lost (every 201 is in the workspace) and zero
duplicated (rows == distinct keys, replays answered 200 with the same case).

How
---
``python bench/field_phones.py [--phones 50] [--seconds 120]``.  The server
runs in this process on a thread (as the window runs it); the phones run as
threads of one pool (the machine's 2 cores serve both sides, so the figures
are a floor).  The photo is made once with Pillow (noise, so JPEG cannot
shrink it below ~2 MB).
"""

from __future__ import annotations

import argparse
import io
import os
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


def photo(size_mb: float = 2.0) -> bytes:
    rng = np.random.default_rng(20)
    side = 1400
    while True:
        arr = rng.integers(0, 255, (side, side, 3), dtype=np.uint8)
        out = io.BytesIO()
        Image.fromarray(arr).save(out, "JPEG", quality=80)
        if out.tell() >= size_mb * 2**20:
            return out.getvalue()
        side += 200


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phones", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=120.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-field-"))
    os.environ.setdefault("GRIDAPP_CONFIG_DIR", str(tmp / "config"))

    from gridapp.domain.enums import Role
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
    jpeg = photo()
    print(f"{args.phones} phones, {len(jpeg) / 2**20:.1f} MB photo, {args.seconds:.0f} s, {url}")

    lat_first: list[float] = []
    filed: dict[str, str] = {}  # key -> case_no
    replays_ok = [0, 0]
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(args.phones + 1)
    stop_at = [0.0]

    def phone(i: int) -> None:
        with httpx.Client(base_url=url, verify=str(server.certificate.cert_path),
                          timeout=60) as c:
            c.get("/")
            token = c.cookies.get("gridapp_csrf")
            r = c.post("/api/login", json={"username": names[i], "password": password},
                       headers={"X-CSRF-Token": token})
            r.raise_for_status()
            rng = np.random.default_rng(i)
            n = 0
            ready.wait()  # logins (scrypt) are not part of the timed run
            while time.monotonic() < stop_at[0]:
                k = str(uuid.uuid4())
                lon, lat = street.inside(int(rng.integers(0, 4)), *rng.uniform(0.05, 0.95, 2))
                data = {"category": "0401", "lon": str(lon), "lat": str(lat), "key": k,
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

    with ThreadPoolExecutor(args.phones) as pool:
        done = [pool.submit(phone, i) for i in range(args.phones)]
        ready.wait()
        t_start = time.monotonic()
        stop_at[0] = t_start + args.seconds
        for f in done:
            f.result()
    elapsed = time.monotonic() - t_start
    server.stop()
    rows = int(store.scalar("SELECT count(*) FROM report"))
    keys = int(store.scalar("SELECT count(DISTINCT idempotency_key) FROM field_submission"))
    photos = int(store.scalar("SELECT count(*) FROM report_attachment"))
    store.close()
    q = sorted(lat_first)
    p95 = q[int(0.95 * (len(q) - 1))] if q else float("nan")
    print(f"reports filed: {len(filed)} in {elapsed:.1f} s = {len(filed) / elapsed:.2f} /s")
    print(f"latency p50 {statistics.median(q):.3f} s, p95 {p95:.3f} s, max {q[-1]:.3f} s "
          f"(goal p95 <= 1 s: {'met' if p95 <= 1 else 'NOT met'})")
    print(f"replays: {replays_ok[1]}/{replays_ok[0]} answered 200 with the first case")
    print(f"workspace: {rows} reports, {keys} keys, {photos} photos; "
          f"lost {len(filed) - rows if rows < len(filed) else 0}, "
          f"duplicated {rows - keys}; errors {len(errors)} {errors[:3]}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if rows == len(filed) == keys == photos and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
