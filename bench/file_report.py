"""Benchmark: filing one report with one photo (stored), median of N runs.

Each run reads a 4000×3000 phone-like JPEG with EXIF GPS (made here with
Pillow), downscales it to 1600 px and files a report at its position in a
workspace with 60 grids, all through the services a dialog would call.
Prints the median total and its two parts (preparing the photo, writing the
report); goal: total ≤ 100 ms.  ``python bench/file_report.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from shapely.geometry import box

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gridapp.domain.enums import Role  # noqa: E402
from gridapp.services.cases.photos import draft_from_photo, read_photo  # noqa: E402
from gridapp.services.cases.reports import file_report  # noqa: E402
from gridapp.services.session import Session, User  # noqa: E402
from gridapp.services.workspace import StreetSpec, create_workspace  # noqa: E402

X0, Y0, D = 106.70, 26.57, 0.004


def make_photo(lon: float, lat: float, w: int = 4000, h: int = 3000) -> bytes:
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[0:h, 0:w]
    arr = np.stack([(xx / 16) % 256, (yy / 12) % 256, ((xx + yy) / 20) % 256], -1)
    arr = np.clip(arr + rng.normal(0, 6, (h, w, 3)), 0, 255).astype("uint8")
    exif = Image.Exif()

    def dms(v: float) -> tuple[float, float, float]:
        d = int(v)
        m = int((v - d) * 60)
        return float(d), float(m), round(((v - d) * 60 - m) * 60, 3)

    exif[0x8825] = {1: "N", 2: dms(lat), 3: "E", 4: dms(lon)}
    exif[0x8769] = {36867: "2026:03:10 09:15:00"}
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=90, exif=exif.tobytes())
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = create_workspace(
            Path(tmp) / "bench.gpkg", StreetSpec("520102", "520102003", "基准街道")
        )
        with store.transaction("bench") as tx:
            for k in range(60):
                i, j = k % 10, k // 10
                tx.insert(
                    "grid",
                    {
                        "geom": box(
                            X0 + i * D, Y0 + j * D, X0 + (i + 1) * D, Y0 + (j + 1) * D
                        ),
                        "code": f"520102003001{k + 1:03d}",
                        "valid_from": "2026-01-01T00:00:00.000Z",
                    },
                )
        session = Session(store, User(None, "bench", "bench", Role.DISPATCHER))
        raw = make_photo(X0 + 0.0123, Y0 + 0.0101)
        prep, write, total = [], [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            photo = read_photo(raw, filename="IMG_0001.jpg")
            t1 = time.perf_counter()
            file_report(
                session,
                draft_from_photo(photo, "0401", description="占道经营"),
                photos=[photo],
            )
            t2 = time.perf_counter()
            prep.append(t1 - t0)
            write.append(t2 - t1)
            total.append(t2 - t0)
        n = store.scalar("SELECT count(*) FROM report_attachment")
        store.close()
    med = statistics.median
    print(
        f"runs={args.runs} photo=4000x3000 JPEG {len(raw) / 1e6:.1f} MB -> 1600 px; "
        f"{n} photos stored"
    )
    print(f"prepare photo median {med(prep) * 1000:.1f} ms")
    print(f"file report   median {med(write) * 1000:.1f} ms")
    print(f"total         median {med(total) * 1000:.1f} ms (goal <= 100 ms)")


if __name__ == "__main__":
    main()
