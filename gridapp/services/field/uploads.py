"""Photos uploaded from a phone's browser: limits, re-encoding, GPS kept.

A phone sends the camera's file as it is: JPEG (Android, iOS "most
compatible"), HEIC (iOS), sometimes PNG or WebP from a screenshot or a
messenger.  :func:`prepare_upload` refuses what is not an image or is too
large *before* decoding it, then decodes it (a JPEG at a reduced DCT scale in
:func:`quick_jpeg`, other types through
:func:`gridapp.services.cases.photos.read_photo`), turns it upright and
re-encodes it as a JPEG of at most :data:`FIELD_MAX_SIDE` px (which drops
every metadata block: the camera's serial number, the owner's name, thumbnails,
maker notes).  Only the EXIF GPS position (WGS84) is written back into the
stored JPEG, so the photo still says where it was taken when it leaves
GridApp; the time it was taken is kept in ``attachment.taken_at``.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import warnings

from gridapp.errors import ValidationError
from gridapp.services.cases.photos import (
    JPEG_QUALITY,
    MAX_PIXELS,
    PreparedPhoto,
    _read_exif,
    read_photo,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # one phone photo is 2–12 MB
MAX_PHOTOS = 9  # per report, as the 城管通 clients allow
# A phone's JPEG is decoded by libjpeg at the smallest DCT scale (1/2, 1/4,
# 1/8) that still gives FIELD_MIN_SIDE px on its long side, and kept at that
# size when it is at most FIELD_MAX_SIDE: a 12 MP photo (4032×3024 or
# 4000×3000) is decoded at 1/4 straight to ~1000 px and never resampled, a
# third of the CPU of decoding at 1/2 and resampling to 1600 px.  A phone's
# screen is ~1080 px wide; the window's own imports keep 1600 px.  The page
# shrinks a photo to FIELD_MAX_SIDE before sending it (``photo_side``), so a
# photo shrunk on the phone is stored at about the size a camera original is
# (1024 against 1008 px): 1280 px cost the server 0.64× more pixels to decode
# and encode per report for detail no phone photo taken through the page had.
FIELD_MIN_SIDE = 960
FIELD_MAX_SIDE = 1024

# Magic numbers of the image files a phone sends (HEIC is an ISO BMFF box).
_SIGNATURES = (
    (0, b"\xff\xd8\xff", "jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (8, b"WEBP", "webp"),
    (4, b"ftypheic", "heic"), (4, b"ftypheix", "heic"), (4, b"ftypmif1", "heic"),
    (4, b"ftyphevc", "heic"), (4, b"ftypmsf1", "heic"),
)
_GPS_IFD = 0x8825


def image_kind(head: bytes) -> str | None:
    """``jpeg``/``png``/``webp``/``heic`` from a file's first bytes, else ``None``."""
    for offset, magic, kind in _SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return kind
    return None


def prepare_upload(raw: bytes, filename: str, *,
                   max_bytes: int = MAX_UPLOAD_BYTES) -> PreparedPhoto:
    """A phone's photo ready to attach: checked, upright, re-encoded, GPS kept.

    Raises
    ------
    ValidationError
        Over *max_bytes* (``reason='too_big'``), not an image
        (``'not_image'``), damaged, or too many pixels; ``params['file']``
        names it.
    """
    name = (filename or "photo.jpg").replace("\\", "/").rsplit("/", 1)[-1][:120]
    if len(raw) > max_bytes:
        raise ValidationError(
            "照片 {file} 太大（{mb:.0f} MB），每张不能超过 {limit} MB；请在相机设置中降低分辨率",
            "The photo {file} is too large ({mb:.0f} MB); each may be at most {limit} MB; "
            "lower the camera's resolution",
            file=name, mb=len(raw) / 2**20, limit=max_bytes // 2**20,
            reason="too_big")
    if image_kind(raw[:16]) is None:
        raise ValidationError(
            "{file} 不是照片（只接受 JPEG、HEIC、PNG、WebP 图片）",
            "{file} is not a photo (JPEG, HEIC, PNG or WebP images only)",
            file=name, reason="not_image")
    photo = quick_jpeg(raw, name) if image_kind(raw[:16]) == "jpeg" else None
    if photo is None:  # other types, and what the quick path would not read
        photo = read_photo(raw, filename=name, max_side=FIELD_MAX_SIDE)
    photo.data = with_gps_exif(photo.data, photo.lon, photo.lat)
    return photo


def quick_jpeg(raw: bytes, name: str) -> PreparedPhoto | None:
    """A JPEG decoded at a reduced DCT scale, upright, re-encoded; ``None`` if it cannot be.

    ``None`` (damaged, too many pixels, not really a JPEG) sends the file to
    :func:`~gridapp.services.cases.photos.read_photo`, which refuses it with
    its message.  EXIF position and time are read as there.
    """
    from PIL import Image, ImageOps  # with the first photo, not the window (issue 22)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im: Image.Image = Image.open(io.BytesIO(raw))
            w, h = im.size
            if im.format != "JPEG" or w * h > MAX_PIXELS:
                return None
            long_side = max(w, h, 1)
            if long_side > FIELD_MAX_SIDE:
                scale = FIELD_MIN_SIDE / long_side
                im.draft("RGB", (math.ceil(w * scale), math.ceil(h * scale)))
            photo = PreparedPhoto(b"", 0, 0, name, hashlib.sha256(raw).hexdigest())
            orientation = _read_exif(im, photo)
            im.load()
            if orientation in (2, 3, 4, 5, 6, 7, 8):
                im = ImageOps.exif_transpose(im)
            if max(im.size) > FIELD_MAX_SIDE:
                im.thumbnail((FIELD_MAX_SIDE, FIELD_MAX_SIDE), Image.Resampling.BILINEAR)
            if im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            out = io.BytesIO()
            im.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False)
    except Exception:  # noqa: BLE001 - read_photo gives the file's message
        return None
    photo.data = out.getvalue()
    photo.width, photo.height = im.size
    return photo


def gps_exif_bytes(lon: float, lat: float) -> bytes:
    """An EXIF block (``Exif\\0\\0`` + TIFF) holding only a WGS84 GPS position.

    Written with :mod:`struct` (big-endian TIFF: IFD0 with the GPS IFD's
    offset, then GPSLatitudeRef, GPSLatitude, GPSLongitudeRef, GPSLongitude,
    GPSMapDatum): a few microseconds, where building it with ``PIL.Image.Exif``
    took ~0.2 ms per photo.
    """
    def rationals(value: float) -> bytes:
        d, m, s = _dms(abs(value))
        return struct.pack(">6I", int(d), 1, int(m), 1, round(s * 10_000), 10_000)

    gps_at, n = 26, 5  # TIFF header (8) + IFD0 with one entry (2 + 12 + 4)
    data_at = gps_at + 2 + n * 12 + 4
    entries = [
        (1, 2, 2, (b"N" if lat >= 0 else b"S") + b"\0\0\0"),
        (2, 5, 3, struct.pack(">I", data_at)),
        (3, 2, 2, (b"E" if lon >= 0 else b"W") + b"\0\0\0"),
        (4, 5, 3, struct.pack(">I", data_at + 24)),
        (18, 2, 7, struct.pack(">I", data_at + 48)),
    ]
    return b"".join([
        b"Exif\0\0MM\0\x2a", struct.pack(">I", 8),
        struct.pack(">HHHII", 1, _GPS_IFD, 4, 1, gps_at), struct.pack(">I", 0),
        struct.pack(">H", n), *(struct.pack(">HHI", tag, kind, count) + value
                                for tag, kind, count, value in entries),
        struct.pack(">I", 0), rationals(lat), rationals(lon), b"WGS-84\0\0",
    ])


def with_gps_exif(jpeg: bytes, lon: float | None, lat: float | None) -> bytes:
    """*jpeg* with an APP1 EXIF segment of its GPS position (unchanged without one).

    The segment is spliced in after the JFIF header, so the picture is not
    encoded a second time.
    """
    if lon is None or lat is None or jpeg[:2] != b"\xff\xd8":
        return jpeg
    block = gps_exif_bytes(lon, lat)
    segment = b"\xff\xe1" + (len(block) + 2).to_bytes(2, "big") + block
    at = 2
    if jpeg[2:4] == b"\xff\xe0":  # keep JFIF's APP0 first, as the standard asks
        at = 4 + int.from_bytes(jpeg[4:6], "big")
    return jpeg[:at] + segment + jpeg[at:]


def _dms(value: float) -> tuple[float, float, float]:
    d = int(value)
    m = int((value - d) * 60)
    s = round((value - d - m / 60) * 3600, 4)
    return float(d), float(m), s
