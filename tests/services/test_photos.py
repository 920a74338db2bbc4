"""Photos: EXIF GPS and time to a draft report, downscaled storage, bad files."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from gridapp.errors import ValidationError
from gridapp.services.cases.photos import (
    add_photos,
    draft_from_photo,
    photo_data,
    read_photo,
    read_photos,
    report_photos,
)
from gridapp.services.cases.reports import file_report
from tests.services.test_reports import make_street


@pytest.fixture
def street(empty_workspace):
    return make_street(empty_workspace)


def _dms(v: float) -> tuple[float, float, float]:
    d = int(v)
    m = int((v - d) * 60)
    return float(d), float(m), round(((v - d) * 60 - m) * 60, 4)


def make_jpeg(
    size=(2400, 1800),
    lon=None,
    lat=None,
    when="2026:03:10 09:15:00",
    offset=None,
    orientation=None,
    fmt="JPEG",
) -> bytes:
    im = Image.new("RGB", size, (30, 120, 200))
    im.paste((200, 40, 40), (0, 0, size[0] // 2, size[1] // 4))  # mark the top-left
    exif = Image.Exif()
    if lon is not None:
        exif[0x8825] = {
            1: "N" if lat >= 0 else "S",
            2: _dms(abs(lat)),
            3: "E" if lon >= 0 else "W",
            4: _dms(abs(lon)),
        }
    if when:
        sub = {36867: when}
        if offset:
            sub[36881] = offset
        exif[0x8769] = sub
    if orientation:
        exif[274] = orientation
    buf = io.BytesIO()
    im.save(buf, fmt, exif=exif.tobytes()) if len(exif) else im.save(buf, fmt)
    return buf.getvalue()


def test_exif_gps_and_time_make_a_draft_report_with_the_photo(street, tmp_path):
    lon, lat = street.inside(1)
    path = tmp_path / "IMG_0001.jpg"
    path.write_bytes(make_jpeg(lon=lon, lat=lat))
    photo = read_photo(path)
    assert photo.lon == pytest.approx(lon, abs=1e-6) and photo.lat == pytest.approx(
        lat, abs=1e-6
    )
    assert photo.taken_at == datetime(2026, 3, 10, 1, 15, tzinfo=UTC)
    assert max(photo.width, photo.height) == 1600 and photo.warnings == []
    draft = draft_from_photo(photo, "0401", description="占道")
    res = file_report(street.session("manager"), draft, photos=[photo])
    row = street.store.get("report", res.report_id)
    assert row["reported_at"] == "2026-03-10T01:15:00.000Z"
    assert row["grid_id"] == street.grids[1]
    listed = report_photos(street.session("dispatcher"), res.report_id)
    assert [p["filename"] for p in listed] == ["IMG_0001.jpg"]
    assert listed[0]["width"] == 1600 and not listed[0]["has_original"]
    stored = Image.open(io.BytesIO(photo_data(street.session("dispatcher"), listed[0]["id"])))
    assert stored.format == "JPEG" and stored.size == (1600, 1200)
    # Related Tables: the mapping table is registered as a media relation
    rel = street.store.query(
        "SELECT relation_name FROM gpkgext_relations WHERE "
        "mapping_table_name = 'report_attachment'"
    )
    assert rel[0][0] == "media"


def test_offset_time_and_orientation(street):
    photo = read_photo(
        make_jpeg(
            (1000, 600), when="2026:03:10 09:15:00", offset="+02:00", orientation=6
        )
    )
    assert photo.taken_at.utcoffset() == timedelta(hours=2)
    assert (photo.width, photo.height) == (600, 1000)  # turned upright, not enlarged
    assert photo.warnings  # no GPS: ask for a position
    with pytest.raises(ValidationError, match="没有位置"):
        draft_from_photo(photo, "0401")


def test_original_kept_on_request(street):
    lon, lat = street.inside(0)
    raw = make_jpeg(lon=lon, lat=lat)
    photo = read_photo(raw, keep_original=True)
    res = file_report(
        street.session("dispatcher"), draft_from_photo(photo, "0401"), photos=[photo]
    )
    aid = report_photos(street.session("dispatcher"), res.report_id)[0]["id"]
    assert photo_data(street.session("dispatcher"), aid, original=True) == raw
    extra = read_photo(make_jpeg((800, 600), when=None), filename="more.png")
    add_photos(street.session("dispatcher"), res.report_id, [extra])
    assert len(report_photos(street.session("dispatcher"), res.report_id)) == 2


def test_no_exif_png_is_accepted_with_a_warning():
    buf = io.BytesIO()
    Image.new("RGBA", (300, 200)).save(buf, "PNG")
    photo = read_photo(buf.getvalue(), filename="screen.png")
    assert not photo.has_position and "EXIF" in photo.warnings[0]
    assert photo.content_type == "image/jpeg"


def test_corrupt_exif_gps_gives_a_warning_not_a_crash():
    im = Image.new("RGB", (100, 100))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (999.0, 0.0, 0.0)}
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif.tobytes())
    photo = read_photo(buf.getvalue())
    assert not photo.has_position and "GPS" in photo.warnings[0]
    # EXIF block with garbage bytes
    raw = bytearray(make_jpeg((100, 100), lon=106.7, lat=26.5))
    i = raw.find(b"Exif\x00\x00")
    raw[i + 6 : i + 40] = b"\xff" * 34
    photo = read_photo(bytes(raw))
    assert not photo.has_position and photo.warnings


def test_non_image_truncated_and_huge_images_refused(tmp_path):
    with pytest.raises(ValidationError) as err:
        read_photo(b"%PDF-1.4 not a photo", filename="doc.pdf")
    assert err.value.params["reason"] == "not_image" and "doc.pdf" in str(err.value)
    raw = make_jpeg((800, 600))
    with pytest.raises(ValidationError) as err:
        read_photo(raw[: len(raw) // 2], filename="cut.jpg")
    assert err.value.params["reason"] == "damaged"
    # A decompression bomb: a tiny PNG claiming 30000 × 30000 pixels.
    buf = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buf, "PNG")
    with pytest.raises(ValidationError) as err:
        read_photo(buf.getvalue(), filename="bomb.png")
    assert err.value.params["reason"] == "too_large"
    missing = tmp_path / "gone.jpg"
    with pytest.raises(ValidationError, match="gone.jpg"):
        read_photo(missing)


def test_heic_without_pillow_heif_says_what_to_install(monkeypatch):
    import gridapp.services.cases.photos as photos

    monkeypatch.setattr(photos, "heif_available", lambda: False)
    fake = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64
    with pytest.raises(ValidationError, match="pillow-heif"):
        read_photo(fake, filename="IMG_1234.HEIC")


def test_read_many_photos_keeps_going_past_bad_files(tmp_path, street):
    lon, lat = street.inside(0)
    good = tmp_path / "a.jpg"
    good.write_bytes(make_jpeg((640, 480), lon=lon, lat=lat))
    plain = tmp_path / "b.jpg"
    plain.write_bytes(make_jpeg((640, 480), when=None))
    bad = tmp_path / "c.txt"
    bad.write_text("not a photo")
    calls = []
    photos, refused = read_photos(
        [good, plain, bad], progress=lambda d, t, m="": calls.append(d)
    )
    assert [p.filename for p in photos] == ["a.jpg", "b.jpg"]
    assert [p.has_position for p in photos] == [True, False]
    assert refused[0].params["file"] == "c.txt" and calls[-1] == 3


def test_adding_photos_respects_case_scope(street):
    from gridapp.errors import PermissionDenied
    from gridapp.services.cases.reports import ReportDraft

    lon, lat = street.inside(3)
    rid = file_report(
        street.session("dispatcher"), ReportDraft(category="0401", lon=lon, lat=lat)
    ).report_id
    photo = read_photo(make_jpeg((300, 200), when=None))
    with pytest.raises(PermissionDenied):
        add_photos(street.session("manager"), rid, [photo])  # grid 3 is not theirs
    with pytest.raises(PermissionDenied):
        add_photos(street.session("leader"), rid, [photo])
    assert add_photos(street.session("manager2"), rid, [photo])
