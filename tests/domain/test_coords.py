"""GCJ-02 / BD-09 conversions and position parsing (DESIGN §4).

Reference pairs come from two independent, widely used open-source
implementations of the published GCJ-02/BD-09 algorithm:

* wandergis/coordtransform, ``test/app.js`` (input 116.404, 39.915);
* hujiulong/gcoord, ``test/unit/crs/{WGS84,GCJ02,BD09}.spec.ts`` (input 123, 45,
  checked there with ``toBeCloseTo(x, 5)``, i.e. within 5e-6 degrees).

coordtransform's ``gcj02towgs84`` and ``bd09togcj02`` are the one-step closed
forms, which are only approximate inverses (decimetre level); ours iterate, so
those two are compared within 1e-6 degrees (about 0.1 m).
"""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from gridapp.domain import coords
from gridapp.errors import ValidationError

GEOD = Geod(ellps="WGS84")


def metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    _, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    return np.asarray(dist)


# --- published reference pairs ---------------------------------------------


def test_wgs84_to_gcj02_matches_coordtransform_reference():
    lon, lat = coords.wgs84_to_gcj02(116.404, 39.915)
    assert lon == pytest.approx(116.41024449916938, abs=1e-9)
    assert lat == pytest.approx(39.91640428150164, abs=1e-9)


def test_gcj02_to_bd09_matches_coordtransform_reference():
    lon, lat = coords.gcj02_to_bd09(116.404, 39.915)
    assert lon == pytest.approx(116.41036949371029, abs=1e-9)
    assert lat == pytest.approx(39.92133699351021, abs=1e-9)


def test_inverses_close_to_coordtransform_closed_forms():
    lon, lat = coords.bd09_to_gcj02(116.404, 39.915)
    assert lon == pytest.approx(116.39762729119315, abs=1e-6)
    assert lat == pytest.approx(39.90865673957631, abs=1e-6)
    lon, lat = coords.gcj02_to_wgs84(116.404, 39.915)
    assert lon == pytest.approx(116.39775550083061, abs=1e-6)
    assert lat == pytest.approx(39.91359571849836, abs=1e-6)


@pytest.mark.parametrize(
    ("func", "expected"),
    [
        (coords.wgs84_to_gcj02, (123.00607541, 45.00197815)),
        (coords.wgs84_to_bd09, (123.0124491, 45.0083293)),
        (coords.gcj02_to_wgs84, (122.99395597, 44.99804071)),
        (coords.gcj02_to_bd09, (123.00636499, 45.00636899)),
        (coords.bd09_to_gcj02, (122.99363304, 44.99365430)),
        (coords.bd09_to_wgs84, (122.98762210, 44.99171540)),
    ],
)
def test_matches_gcoord_reference(func, expected):
    lon, lat = func(123, 45)
    assert lon == pytest.approx(expected[0], abs=5e-6)
    assert lat == pytest.approx(expected[1], abs=5e-6)


# --- inverse accuracy and offsets --------------------------------------------

# Beijing Tiananmen, Guiyang, Harbin, Urumqi, Sanya, Lhasa, Shanghai
PLACES_LON = np.array([116.3975, 106.7135, 126.535, 87.617, 109.512, 91.117, 121.4737])
PLACES_LAT = np.array([39.9087, 26.5783, 45.803, 43.826, 18.252, 29.653, 31.2304])


def test_gcj02_round_trip_under_a_millimetre():
    glon, glat = coords.wgs84_to_gcj02(PLACES_LON, PLACES_LAT)
    wlon, wlat = coords.gcj02_to_wgs84(glon, glat)
    assert np.all(metres(PLACES_LON, PLACES_LAT, wlon, wlat) < 0.001)


def test_gcj02_inverse_on_dense_grid_under_one_metre():
    lon, lat = np.meshgrid(np.linspace(74, 134, 61), np.linspace(4, 53, 50))
    wlon, wlat = coords.gcj02_to_wgs84(lon, lat)
    back_lon, back_lat = coords.wgs84_to_gcj02(wlon, wlat)
    assert (
        metres(lon.ravel(), lat.ravel(), back_lon.ravel(), back_lat.ravel()).max()
        < 0.01
    )


def test_bd09_round_trips():
    blon, blat = coords.wgs84_to_bd09(PLACES_LON, PLACES_LAT)
    wlon, wlat = coords.bd09_to_wgs84(blon, blat)
    assert np.all(metres(PLACES_LON, PLACES_LAT, wlon, wlat) < 0.001)
    glon, glat = coords.bd09_to_gcj02(*coords.gcj02_to_bd09(PLACES_LON, PLACES_LAT))
    assert np.all(metres(PLACES_LON, PLACES_LAT, glon, glat) < 0.001)


@pytest.mark.parametrize(("lon", "lat"), [(116.3975, 39.9087), (106.7135, 26.5783)])
def test_gcj_offset_is_several_hundred_metres_in_beijing_and_guiyang(lon, lat):
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    assert 100 < float(metres(lon, lat, glon, glat)) < 1000


def test_bd09_adds_a_further_offset_of_hundreds_of_metres():
    glon, glat = coords.wgs84_to_gcj02(106.7135, 26.5783)
    blon, blat = coords.gcj02_to_bd09(glon, glat)
    assert 300 < float(metres(glon, glat, blon, blat)) < 1500


def test_no_offset_outside_china():
    # Tokyo, London, Sydney (the box of the algorithm excludes them)
    lon = np.array([139.6917, -0.1276, 151.2093])
    lat = np.array([35.6895, 51.5072, -33.8688])
    assert coords.out_of_china(lon, lat).tolist() == [True, True, True]
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    np.testing.assert_array_equal(glon, lon)
    np.testing.assert_array_equal(glat, lat)
    wlon, wlat = coords.gcj02_to_wgs84(lon, lat)
    np.testing.assert_array_equal(wlon, lon)
    assert coords.out_of_china(106.7, 26.5) is False


def test_scalars_give_floats_arrays_give_arrays():
    lon, lat = coords.wgs84_to_gcj02(106.7135, 26.5783)
    assert isinstance(lon, float) and isinstance(lat, float)
    alon, alat = coords.wgs84_to_gcj02([106.7135, 116.3975], [26.5783, 39.9087])
    assert alon.shape == (2,) and alat.shape == (2,)
    assert alon[0] == lon and alat[0] == lat


# --- parsing ---------------------------------------------------------------------

# 26°34'12.5" = 26 + 34/60 + 12.5/3600 ; 106°42'30" = 106 + 42/60 + 30/3600
LAT_DMS = 26 + 34 / 60 + 12.5 / 3600
LON_DMS = 106 + 42 / 60 + 30 / 3600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("106度42分30秒", LON_DMS),
        ("东经106度42分30秒", LON_DMS),
        ("26°34'12.5\"N", LAT_DMS),
        ("N26°34′12.5″", LAT_DMS),
        ("26°34'12.5\"S", -LAT_DMS),
        ("西经73.5", -73.5),
        ("106°42.5'", 106 + 42.5 / 60),
        ("-26.57", -26.57),
    ],
)
def test_parse_dms(text, expected):
    assert coords.parse_dms(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("text", ["26°75'", "26°30'61\"", "北纬", ""])
def test_parse_dms_refuses_bad_values(text):
    with pytest.raises(ValidationError):
        coords.parse_dms(text)


@pytest.mark.parametrize(
    ("text", "lon", "lat", "order"),
    [
        ("106.7123,26.5712", 106.7123, 26.5712, "lon_lat"),
        ("26.5712, 106.7123", 106.7123, 26.5712, "lat_lon"),
        ("26.5712，106.7123", 106.7123, 26.5712, "lat_lon"),
        ("106.7123 26.5712", 106.7123, 26.5712, "lon_lat"),
        ("长岭北路8号 106.7123 26.5712", 106.7123, 26.5712, "lon_lat"),
        ("26°34'12.5\"N 106°42'30\"E", LON_DMS, LAT_DMS, "lat_lon"),
        ("106°42'30\"E, 26°34'12.5\"N", LON_DMS, LAT_DMS, "lon_lat"),
        ("北纬26度34分12.5秒 东经106度42分30秒", LON_DMS, LAT_DMS, "lat_lon"),
        ("106度42分30秒 26度34分12.5秒", LON_DMS, LAT_DMS, "lon_lat"),
    ],
)
def test_parse_position(text, lon, lat, order):
    p = coords.parse_position(text)
    assert p.lon == pytest.approx(lon, abs=1e-12)
    assert p.lat == pytest.approx(lat, abs=1e-12)
    assert p.order_guess == order
    assert p.certain
    assert p.note


@pytest.mark.parametrize(
    ("text", "lon", "lat", "hint"),
    [
        (
            "【高德地图】长岭北路 https://uri.amap.com/marker?position=106.7123,26.5712&name=x",
            106.7123,
            26.5712,
            "gcj02",
        ),
        (
            "http://api.map.baidu.com/marker?location=26.5712,106.7123&title=a&coord_type=bd09ll",
            106.7123,
            26.5712,
            "bd09",
        ),
        (
            "http://api.map.baidu.com/marker?location=26.5712,106.7123&coord_type=gcj02",
            106.7123,
            26.5712,
            "gcj02",
        ),
        (
            "https://apis.map.qq.com/uri/v1/marker?marker=coord:26.5712,106.7123;title:x",
            106.7123,
            26.5712,
            "gcj02",
        ),
        ("location=106.7123%2C26.5712", 106.7123, 26.5712, None),
    ],
)
def test_parse_share_links(text, lon, lat, hint):
    p = coords.parse_position(text)
    assert (p.lon, p.lat) == (lon, lat)
    assert p.crs_hint == hint


def test_parse_position_ambiguous_outside_china_is_flagged():
    p = coords.parse_position("12.5, 41.9")
    assert (p.lon, p.lat, p.order_guess) == (12.5, 41.9, "lon_lat")
    assert not p.certain


def test_parse_position_without_numbers_explains():
    with pytest.raises(ValidationError) as info:
        coords.parse_position("我在这里 https://surl.amap.com/abcDEF")
    assert "短链接" in info.value.zh and "short link" in info.value.en


# --- range checks ------------------------------------------------------------------


def test_detect_swapped():
    assert coords.detect_swapped(26.5712, 106.7123) is True
    assert coords.detect_swapped(106.7123, 26.5712) is False
    assert coords.detect_swapped([26.5, 106.7], [106.7, 26.5]).tolist() == [True, False]


def test_check_in_range_accepts_china():
    coords.check_in_range(106.7123, 26.5712)
    coords.check_in_range([106.7, 116.4], [26.5, 39.9])
    coords.check_in_range(-0.1276, 51.5072, require_china=False)


@pytest.mark.parametrize(
    ("lon", "lat", "zh_word", "en_word"),
    [
        (26.5712, 106.7123, "写反", "swapped"),
        (200.0, 26.0, "超出范围", "out of range"),
        (106.0, -95.0, "超出范围", "out of range"),
        (-0.1276, 51.5072, "中国境内", "outside China"),
        (float("nan"), 26.0, "有效数字", "not valid"),
    ],
)
def test_check_in_range_refuses_with_reason(lon, lat, zh_word, en_word):
    with pytest.raises(ValidationError) as info:
        coords.check_in_range(lon, lat)
    assert zh_word in info.value.message_in("zh")
    assert en_word in info.value.message_in("en")
    assert info.value.params["index"] is None


def test_check_in_range_names_first_bad_index():
    with pytest.raises(ValidationError) as info:
        coords.check_in_range([106.7, 116.4, 2.35], [26.5, 39.9, 48.85])
    assert info.value.params["index"] == 2
