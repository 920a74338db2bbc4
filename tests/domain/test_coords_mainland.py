"""GCJ-02/BD-09 offsets apply in mainland China only (issue 14, section 3).

Positions are well-known places (city centres, WGS84, to about 0.01°); the
expected answer ("mainland or not") is a fact about the place, not read
from the outline file.  Distances are measured here with pyproj.Geod.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from gridapp.domain import coords

GEOD = Geod(ellps="WGS84")

# The 31 provincial capitals of the mainland plus border cities next to
# Hong Kong, Macau, Kinmen, North Korea and Russia.
MAINLAND = {
    "北京": (116.40, 39.90),
    "天津": (117.20, 39.13),
    "石家庄": (114.51, 38.04),
    "太原": (112.55, 37.87),
    "呼和浩特": (111.75, 40.84),
    "沈阳": (123.43, 41.80),
    "长春": (125.32, 43.82),
    "哈尔滨": (126.53, 45.80),
    "上海": (121.47, 31.23),
    "南京": (118.80, 32.06),
    "杭州": (120.15, 30.27),
    "合肥": (117.23, 31.82),
    "福州": (119.30, 26.08),
    "南昌": (115.86, 28.68),
    "济南": (117.00, 36.65),
    "郑州": (113.63, 34.75),
    "武汉": (114.31, 30.59),
    "长沙": (112.94, 28.23),
    "广州": (113.26, 23.13),
    "南宁": (108.37, 22.82),
    "海口": (110.20, 20.04),
    "重庆": (106.55, 29.56),
    "成都": (104.07, 30.57),
    "贵阳": (106.63, 26.65),
    "昆明": (102.83, 24.88),
    "拉萨": (91.12, 29.65),
    "西安": (108.94, 34.34),
    "兰州": (103.83, 36.06),
    "西宁": (101.78, 36.62),
    "银川": (106.23, 38.49),
    "乌鲁木齐": (87.62, 43.83),
    "三亚": (109.51, 18.25),
    "深圳福田": (114.055, 22.541),
    "珠海拱北": (113.552, 22.222),
    "厦门": (118.089, 24.479),
    "丹东": (124.383, 40.125),
    "黑河": (127.49, 50.25),
}
NOT_MAINLAND = {
    "香港中环": (114.158, 22.282),
    "香港上水": (114.128, 22.501),
    "澳门": (113.543, 22.189),
    "台北": (121.565, 25.033),
    "高雄": (120.30, 22.63),
    "金门": (118.32, 24.44),
    "马祖南竿": (119.938, 26.152),
    "首尔": (126.978, 37.566),
    "平壤": (125.754, 39.039),
    "新义州": (124.40, 40.08),
    "河内": (105.834, 21.027),
    "万象": (102.63, 17.97),
    "加德满都": (85.324, 27.717),
    "乌兰巴托": (106.917, 47.918),
    "符拉迪沃斯托克": (131.886, 43.116),
    "布拉戈维申斯克": (127.53, 50.27),
    "马尼拉": (120.98, 14.60),
    "大阪": (135.50, 34.69),
    "比什凯克": (74.59, 42.87),
}


def _arrays(places: dict[str, tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    pts = np.array(list(places.values()))
    return pts[:, 0], pts[:, 1]


def metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    return np.asarray(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def test_mainland_outline_knows_mainland_from_elsewhere():
    lon, lat = _arrays(MAINLAND)
    inside = coords.in_mainland_china(lon, lat)
    assert dict(zip(MAINLAND, inside.tolist(), strict=True)) == dict.fromkeys(
        MAINLAND, True
    )
    lon, lat = _arrays(NOT_MAINLAND)
    inside = coords.in_mainland_china(lon, lat)
    assert dict(zip(NOT_MAINLAND, inside.tolist(), strict=True)) == dict.fromkeys(
        NOT_MAINLAND, False
    )


def test_scalar_answer_is_a_bool():
    assert coords.in_mainland_china(116.40, 39.90) is True
    assert coords.in_mainland_china(114.158, 22.282) is False
    assert coords.in_mainland_china(-0.1276, 51.5072) is False


@pytest.mark.parametrize(
    "convert",
    [
        coords.wgs84_to_gcj02,
        coords.gcj02_to_wgs84,
        coords.wgs84_to_bd09,
        coords.bd09_to_wgs84,
    ],
)
def test_hong_kong_macau_taiwan_and_abroad_are_not_shifted(convert):
    # All of these lie inside the rectangle of the original algorithm, which
    # used to move them by hundreds of metres.
    lon, lat = _arrays(NOT_MAINLAND)
    in_box = ~np.asarray(coords.out_of_china(lon, lat))
    assert in_box.sum() >= 15
    out_lon, out_lat = convert(lon, lat)
    np.testing.assert_array_equal(out_lon, lon)
    np.testing.assert_array_equal(out_lat, lat)


@pytest.mark.parametrize(
    "convert", [coords.wgs84_to_gcj02, coords.gcj02_to_wgs84, coords.bd09_to_wgs84]
)
def test_mainland_cities_are_shifted_by_hundreds_of_metres(convert):
    lon, lat = _arrays(MAINLAND)
    out_lon, out_lat = convert(lon, lat)
    moved = metres(lon, lat, out_lon, out_lat)
    assert moved.min() > 50 and moved.max() < 2000


def test_shift_summary_reports_max_and_median_and_kept_points():
    places = {**MAINLAND, **NOT_MAINLAND}
    lon, lat = _arrays(places)
    wlon, wlat = coords.gcj02_to_wgs84(lon, lat)
    summary = coords.shift_summary("gcj02", lon, lat, wlon, wlat)
    expected = metres(
        lon[: len(MAINLAND)],
        lat[: len(MAINLAND)],
        wlon[: len(MAINLAND)],
        wlat[: len(MAINLAND)],
    )
    assert summary.count == len(places)
    assert summary.moved == len(MAINLAND)
    assert summary.kept == len(NOT_MAINLAND)
    assert summary.max_m == pytest.approx(expected.max(), abs=0.01)
    assert summary.median_m == pytest.approx(np.median(expected), abs=0.01)
    zh, en = summary.message_in("zh"), summary.message_in("en")
    assert f"最大 {expected.max():.0f} 米" in zh and "未偏移" in zh
    assert f"median {np.median(expected):.0f} m" in en


def test_shift_summary_of_nothing():
    summary = coords.shift_summary("bd09", [], [], [], [])
    assert (summary.count, summary.moved, summary.max_m) == (0, 0, 0.0)
