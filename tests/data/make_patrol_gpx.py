"""Write ``patrol_square.gpx``, the patrol track the coverage tests import.

Provenance: synthetic, built by this script (no real person's walk).  The
square grid the tests draw is 200 m × 200 m in CGCS2000 3° Gauss-Krüger
zone 36 (EPSG:4545, central meridian 108°E, the zone of central Guiyang),
south-west corner ``ORIGIN``.  The track has two ``<trkseg>``s, as phone
apps write after a pause, and GPX 1.1 ``<extensions>`` on each point (speed,
as OsmAnd and others add):

1. west → east along the grid's middle (y = 100 m), from x = −50 m to 250 m,
   a point every 10 m, 8 s apart (1.25 m/s), from 2026-11-20 08:00 Beijing;
2. south → north at x = 50 m, from y = −50 m to 250 m, the same spacing,
   from 08:10.

Coverage within 30 m, worked out by hand: strip 1 covers 200 × 60 m, strip 2
another 60 × 200 m, overlapping in 60 × 60 m: (12 000 + 12 000 − 3 600) /
40 000 = 0.51.  Walked inside: 200 + 200 = 400 m.  Time inside: the 20 steps
of each segment whose midpoints lie inside, 2 × 20 × 8 s = 320 s.

Run ``python tests/data/make_patrol_gpx.py [OUT.gpx]``; the tests check that
the committed file is what this script writes.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pyproj import Transformer

EPSG = 4545
ORIGIN = (370_580.0, 2_940_750.0)  # metres (no zone prefix), near 106.701°E 26.571°N
SIDE = 200.0
START = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # 08:00 Beijing
STEP_S = 8
HERE = Path(__file__).with_name("patrol_square.gpx")


def square() -> list[tuple[float, float]]:
    """The grid's corners in EPSG:4545 metres."""
    x0, y0 = ORIGIN
    return [(x0, y0), (x0 + SIDE, y0), (x0 + SIDE, y0 + SIDE), (x0, y0 + SIDE)]


def segments() -> list[list[tuple[float, float, datetime]]]:
    """The two walks in EPSG:4545 metres, with times."""
    x0, y0 = ORIGIN
    steps = range(-50, 251, 10)
    east = [(x0 + d, y0 + 100, START + timedelta(seconds=STEP_S * k))
            for k, d in enumerate(steps)]
    north_start = START + timedelta(minutes=10)
    north = [(x0 + 50, y0 + d, north_start + timedelta(seconds=STEP_S * k))
             for k, d in enumerate(steps)]
    return [east, north]


def gpx_text() -> str:
    to_deg = Transformer.from_crs(EPSG, 4490, always_xy=True)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<gpx version="1.1" creator="GridApp tests/data/make_patrol_gpx.py"'
           ' xmlns="http://www.topografix.com/GPX/1/1">',
           "  <trk><name>巡查 2026-11-20</name>"]
    for seg in segments():
        out.append("    <trkseg>")
        for x, y, at in seg:
            lon, lat = to_deg.transform(x, y)
            out.append(f'      <trkpt lat="{lat:.8f}" lon="{lon:.8f}"><time>'
                       f'{at.strftime("%Y-%m-%dT%H:%M:%SZ")}</time>'
                       "<extensions><speed>1.25</speed></extensions></trkpt>")
        out.append("    </trkseg>")
    out += ["  </trk>", "</gpx>", ""]
    return "\n".join(out)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    target.write_text(gpx_text(), encoding="utf-8")
    print(target)
