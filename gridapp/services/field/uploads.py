"""Photos uploaded from a phone's browser: limits, re-encoding, GPS kept.

A phone sends the camera's file as it is: JPEG (Android, iOS "most
compatible"), HEIC (iOS), sometimes PNG or WebP from a screenshot or a
messenger.  :func:`prepare_upload` refuses what is not an image or is too
large *before* decoding it, then lets :func:`gridapp.services.cases.photos.read_photo`
turn it upright and re-encode it as a JPEG of at most 1600 px (which drops
every metadata block: the camera's serial number, the owner's name, thumbnails,
maker notes).  Only the EXIF GPS position (WGS84) is written back into the
stored JPEG, so the photo still says where it was taken when it leaves
GridApp; the time it was taken is kept in ``attachment.taken_at``.
"""

from __future__ import annotations

from PIL import Image

from gridapp.errors import ValidationError
from gridapp.services.cases.photos import PreparedPhoto, read_photo

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # one phone photo is 2–12 MB
MAX_PHOTOS = 9  # per report, as the 城管通 clients allow

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
    photo = read_photo(raw, filename=name)
    photo.data = with_gps_exif(photo.data, photo.lon, photo.lat)
    return photo


def gps_exif_bytes(lon: float, lat: float) -> bytes:
    """An EXIF block (``Exif\\0\\0`` + TIFF) holding only a WGS84 GPS position."""
    exif = Image.Exif()
    gps = exif.get_ifd(_GPS_IFD)
    gps.update({1: "N" if lat >= 0 else "S", 2: _dms(abs(lat)),
                3: "E" if lon >= 0 else "W", 4: _dms(abs(lon)), 18: "WGS-84"})
    return exif.tobytes()


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
