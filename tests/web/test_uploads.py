"""Phone photos: decoded at a reduced DCT scale, upright, EXIF GPS kept, on the photo threads."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest
from PIL import Image

from gridapp.errors import ValidationError
from gridapp.services.field import uploads
from gridapp.web import api
from tests.web.conftest import jpeg, login


def phone_jpeg(size=(4032, 3024), orientation: int | None = None) -> bytes:
    """A 12 MP camera JPEG with GPS, the owner's name and (optionally) an orientation."""
    rng = np.random.default_rng(3)
    arr = rng.integers(0, 255, (size[1] // 8, size[0] // 8, 3), dtype=np.uint8)
    im = Image.fromarray(arr).resize(size)
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (26.0, 34.0, 21.0), 3: "E", 4: (106.0, 42.0, 9.0)})
    exif[0x013B] = "Owner Name"
    if orientation is not None:
        exif[0x0112] = orientation
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def test_a_12_mp_photo_is_decoded_at_a_quarter_and_keeps_only_its_gps():
    photo = uploads.prepare_upload(phone_jpeg(), "IMG_1.jpg")
    # libjpeg's 1/4 scale of 4032×3024 is 1008×756: no resampling after the decode.
    assert (photo.width, photo.height) == (1008, 756)
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.size == (1008, 756)
    exif = stored.getexif()
    gps = exif.get_ifd(0x8825)
    assert abs(gps[2][0] + gps[2][1] / 60 + gps[2][2] / 3600 - (26 + 34 / 60 + 21 / 3600)) < 1e-6
    assert 0x013B not in exif
    assert abs(photo.lon - (106 + 42 / 60 + 9 / 3600)) < 1e-9


def test_a_portrait_photo_is_turned_upright():
    photo = uploads.prepare_upload(phone_jpeg(orientation=6), "IMG_2.jpg")
    assert (photo.width, photo.height) == (756, 1008)
    assert Image.open(io.BytesIO(photo.data)).size == (756, 1008)


def test_an_8_mp_photo_is_decoded_at_half_and_scaled_to_the_limit():
    photo = uploads.prepare_upload(phone_jpeg((3264, 2448)), "IMG_3.jpg")
    # A quarter (816 px) is below FIELD_MIN_SIDE, a half (1632 px) above FIELD_MAX_SIDE.
    assert max(photo.width, photo.height) == uploads.FIELD_MAX_SIDE
    assert photo.width / photo.height == 3264 / 2448


def test_a_small_photo_keeps_its_size():
    photo = uploads.prepare_upload(jpeg(size=(800, 600)), "small.jpg")
    assert (photo.width, photo.height) == (800, 600)


def test_a_damaged_jpeg_gets_read_photos_message():
    raw = phone_jpeg()[: 40_000]  # cut off: the quick path gives up, read_photo explains
    with pytest.raises(ValidationError) as refused:
        uploads.prepare_upload(raw, "cut.jpg")
    assert refused.value.params["reason"] == "damaged"
    assert refused.value.params["file"] == "cut.jpg"


def test_photos_are_prepared_on_the_photo_threads(client, field_street, monkeypatch):
    seen: list[str] = []
    real = uploads.prepare_upload

    def spy(*args, **kwargs):
        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(uploads, "prepare_upload", spy)
    login(client, "manager")
    lon, lat = field_street.inside(0)
    r = client.post("/api/reports", data={"category": "0401", "lon": str(lon), "lat": str(lat),
                                          "key": "photo-threads-1"},
                    files=[("photos", ("a.jpg", jpeg(), "image/jpeg")),
                           ("photos", ("b.jpg", jpeg(), "image/jpeg"))],
                    headers={"X-CSRF-Token": client.cookies.get("gridapp_csrf")})
    assert r.status_code == 201, r.text
    assert len(seen) == 2 and all(n.startswith("field-photo") for n in seen), seen
    assert api.photo_pool()._max_workers == api.cores()


def test_the_server_answers_while_a_photo_is_being_prepared(client, field_street, monkeypatch):
    """The event loop never decodes: a report whose photo is still being prepared holds
    neither the loop nor the workspace's write lock."""
    started, release = threading.Event(), threading.Event()
    real = uploads.prepare_upload

    def slow(*args, **kwargs):
        started.set()
        assert release.wait(30), "the test never released the photo"
        return real(*args, **kwargs)

    monkeypatch.setattr(uploads, "prepare_upload", slow)
    login(client, "manager")
    token = client.cookies.get("gridapp_csrf")
    lon, lat = field_street.inside(0)
    result: dict = {}

    def send() -> None:
        result["r"] = client.post(
            "/api/reports", data={"category": "0401", "lon": str(lon), "lat": str(lat),
                                  "key": "slow-photo-1"},
            files=[("photos", ("a.jpg", jpeg(), "image/jpeg"))],
            headers={"X-CSRF-Token": token})

    sender = threading.Thread(target=send)
    sender.start()
    try:
        assert started.wait(30), "the photo was never prepared"
        assert client.get("/api/me").status_code == 200  # the loop still answers
        assert client.get("/api/cases").status_code == 200
        with field_street.admin.transaction() as tx:  # and nothing holds the write lock
            tx.audit("test_probe", None, None, None)
        assert field_street.store.scalar("SELECT count(*) FROM report") == 0
    finally:
        release.set()
        sender.join(60)
    assert result["r"].status_code == 201, result["r"].text
    assert field_street.store.scalar("SELECT count(*) FROM report") == 1
