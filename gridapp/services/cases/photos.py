"""Photos for reports: EXIF position and time, downscaled storage (Related Tables).

:func:`read_photo` turns a file (or bytes) into a :class:`PreparedPhoto`:
the picture turned upright, downscaled to :data:`MAX_SIDE` px as JPEG, with
the EXIF GPS position (WGS84, DESIGN §4) and the time it was taken when the
file has them.  Preparing happens outside any transaction (it is the slow
part); :func:`attach_photos` then writes the rows into ``attachment`` and the
``report_attachment`` mapping table inside the report's transaction.

HEIC/HEIF from phones is read when ``pillow-heif`` is installed.  Files that
are not images, are truncated, or are too large to decode safely
(decompression bombs) are refused with a clear message; an image with corrupt
or missing EXIF is accepted with a warning and no position.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridapp import i18n
from gridapp.domain.timeutil import LOCAL_TZ, now_iso, to_iso
from gridapp.errors import ValidationError
from gridapp.services.cases.drafts import ReportDraft
from gridapp.services.cases.scope import _check_scope, visible_case
from gridapp.services.session import Session

if TYPE_CHECKING:  # Pillow loads with the first photo read, not with the window (issue 22)
    from PIL import Image
from gridapp.storage.queries import cases as queries
from gridapp.storage.transaction import Transaction

MAX_SIDE = 1600
JPEG_QUALITY = 85
# Refuse images above this many pixels before decoding them (a phone photo is
# 12–50 MP; a decompression bomb claims billions).
MAX_PIXELS = 120_000_000
MAX_FILE_BYTES = 80 * 1024 * 1024

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_OFFSET_TIME_ORIGINAL = 36881
_DATETIME = 306

_heif_checked = False


def heif_available() -> bool:
    """Register pillow-heif's opener once; True when HEIC can be read."""
    global _heif_checked
    try:
        import pillow_heif  # type: ignore[import-not-found]
    except ImportError:
        return False
    if not _heif_checked:
        pillow_heif.register_heif_opener()
        _heif_checked = True
    return True


@dataclass
class PreparedPhoto:
    """A photo ready to store, with what its EXIF said."""

    data: bytes
    width: int
    height: int
    filename: str
    sha256: str
    content_type: str = "image/jpeg"
    taken_at: datetime | None = None
    lon: float | None = None  # WGS84 from EXIF GPS
    lat: float | None = None
    original: bytes | None = None
    warnings_zh: list[str] = field(default_factory=list)
    warnings_en: list[str] = field(default_factory=list)

    @property
    def has_position(self) -> bool:
        return self.lon is not None and self.lat is not None

    @property
    def warnings(self) -> list[str]:
        return list(self.warnings_zh if i18n.language() == "zh" else self.warnings_en)

    def warn(self, zh: str, en: str) -> None:
        self.warnings_zh.append(zh)
        self.warnings_en.append(en)


def _ratio(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        return float(value[0]) / float(value[1])
    return float(value)


def _dms(values: Any) -> float:
    d, m, s = (_ratio(v) for v in values)
    return d + m / 60.0 + s / 3600.0


def gps_from_exif(exif: Image.Exif) -> tuple[float, float] | None:
    """WGS84 (lon, lat) from an EXIF GPS IFD, or None; raises ValueError when corrupt."""
    gps = exif.get_ifd(_GPS_IFD)
    if not gps or 2 not in gps or 4 not in gps:
        return None
    lat = _dms(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
    lon = _dms(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        raise ValueError(f"GPS out of range: {lat}, {lon}")
    return lon, lat


def time_from_exif(exif: Image.Exif) -> datetime | None:
    """When the photo was taken; local phone time without an offset is read as Beijing time."""
    sub = exif.get_ifd(_EXIF_IFD)
    text = sub.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    if not text:
        return None
    dt = datetime.strptime(str(text).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    offset = sub.get(_OFFSET_TIME_ORIGINAL)
    if offset and len(str(offset)) >= 6:
        sign = -1 if str(offset)[0] == "-" else 1
        hh, mm = int(str(offset)[1:3]), int(str(offset)[4:6])
        return dt.replace(tzinfo=timezone(sign * timedelta(hours=hh, minutes=mm)))
    return dt.replace(tzinfo=LOCAL_TZ)


def _refuse(zh: str, en: str, name: str, **extra: Any) -> ValidationError:
    return ValidationError(zh, en, file=name, **extra)


def read_photo(
    source: str | os.PathLike | bytes,
    *,
    filename: str | None = None,
    keep_original: bool = False,
    max_side: int = MAX_SIDE,
    max_pixels: int = MAX_PIXELS,
) -> PreparedPhoto:
    """Read, turn upright and downscale a photo; read its EXIF GPS and time.

    Raises
    ------
    ValidationError
        Not an image, unreadable or truncated, too large (decompression
        bomb), or HEIC without pillow-heif.  ``params['file']`` names it.
    """
    if isinstance(source, bytes | bytearray):
        raw, name = bytes(source), filename or "photo"
    else:
        path = Path(source)
        name = filename or path.name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise _refuse(
                    "照片文件过大（超过 {mb} MB）：{file}",
                    "The photo file is too large (over {mb} MB): {file}",
                    name,
                    mb=MAX_FILE_BYTES // 2**20,
                )
            raw = path.read_bytes()
        except OSError as exc:
            raise _refuse(
                "无法读取照片 {file}：{err}",
                "Cannot read the photo {file}: {err}",
                name,
                err=str(exc),
            ) from None
    if name.lower().endswith((".heic", ".heif")) or raw[4:12] in (
        b"ftypheic",
        b"ftypheix",
        b"ftypmif1",
        b"ftyphevc",
    ):
        if not heif_available():
            raise _refuse(
                "无法读取 HEIC 照片 {file}：需要安装 pillow-heif，或在手机上导出为 JPEG",
                "Cannot read the HEIC photo {file}: install pillow-heif, or export "
                "it as JPEG on the phone",
                name,
                reason="heic",
            )
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im: Image.Image = Image.open(io.BytesIO(raw))
            w, h = im.size
            if w * h > max_pixels:
                raise _refuse(
                    "照片尺寸过大（{w}×{h} 像素），拒绝读取：{file}",
                    "The image is too large ({w}×{h} pixels) to read safely: {file}",
                    name,
                    w=w,
                    h=h,
                    reason="too_large",
                )
            scale = min(1.0, max_side / max(w, h, 1))
            if im.format == "JPEG" and scale < 1.0:
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale (never below the
                # target size): several times faster than a full decode.
                im.draft("RGB", (int(w * scale) + 1, int(h * scale) + 1))
            photo = PreparedPhoto(
                b"",
                0,
                0,
                name,
                hashlib.sha256(raw).hexdigest(),
                original=raw if keep_original else None,
            )
            orientation = _read_exif(im, photo)
            if orientation in (2, 3, 4, 5, 6, 7, 8):
                im = ImageOps.exif_transpose(im)
            # After the draft decode the remaining reduction is at most 2×;
            # bilinear is then as good as bicubic and twice as fast.
            im.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
            if im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            out = io.BytesIO()
            im.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse(
            "照片尺寸过大，拒绝读取：{file}",
            "The image is too large to read safely: {file}",
            name,
            reason="too_large",
            err=str(exc),
        ) from None
    except UnidentifiedImageError:
        raise _refuse(
            "{file} 不是可识别的图片",
            "{file} is not an image that can be read",
            name,
            reason="not_image",
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise _refuse(
            "照片 {file} 已损坏或不完整：{err}",
            "The photo {file} is damaged or incomplete: {err}",
            name,
            err=str(exc),
            reason="damaged",
        ) from None
    photo.data = out.getvalue()
    photo.width, photo.height = im.size
    return photo


def _read_exif(im: Image.Image, photo: PreparedPhoto) -> int:
    """Fill position and time from EXIF (warnings when missing or corrupt);
    returns the EXIF orientation (1 when unknown)."""
    try:
        exif = im.getexif()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on bad EXIF
        photo.warn(
            "照片的 EXIF 信息已损坏，无法读取位置和时间",
            "The photo's EXIF data is corrupt; no position or time",
        )
        return 1
    if not exif:
        photo.warn(
            "照片没有 EXIF 信息（位置、时间），请在地图上指定位置",
            "The photo has no EXIF data (position, time); choose its position on the map",
        )
        return 1
    try:
        pos = gps_from_exif(exif)
    except Exception:  # noqa: BLE001
        pos = None
        photo.warn(
            "照片的 GPS 信息已损坏，请在地图上指定位置",
            "The photo's GPS data is corrupt; choose its position on the map",
        )
    else:
        if pos is None:
            photo.warn(
                "照片没有 GPS 位置，请在地图上指定位置",
                "The photo has no GPS position; choose its position on the map",
            )
    if pos is not None:
        photo.lon, photo.lat = pos
    try:
        photo.taken_at = time_from_exif(exif)
    except Exception:  # noqa: BLE001
        photo.warn("照片的拍摄时间无法识别", "The photo's time cannot be read")
    try:
        return int(exif.get(274, 1))
    except (TypeError, ValueError):
        return 1


def read_photos(
    sources: Sequence[str | os.PathLike],
    *,
    keep_original: bool = False,
    progress: Any = None,
    cancel: Any = None,
) -> tuple[list[PreparedPhoto], list[ValidationError]]:
    """Read many dropped photos; returns (read photos, refusals).

    Photos with a position can become draft reports
    (:func:`draft_from_photo`); the others need one chosen on the map.  One
    bad file does not stop the rest.
    """
    done: list[PreparedPhoto] = []
    refused: list[ValidationError] = []
    for i, src in enumerate(sources):
        if cancel is not None:
            cancel.check()
        if progress is not None:
            progress(i, len(sources), Path(src).name)
        try:
            done.append(read_photo(src, keep_original=keep_original))
        except ValidationError as exc:
            refused.append(exc)
    if progress is not None:
        progress(len(sources), len(sources), "")
    return done, refused


def attach_photos(
    tx: Transaction, report_id: int, photos: Sequence[PreparedPhoto]
) -> list[int]:
    """Insert photos as ``attachment`` rows related to a report; inside its transaction."""
    ids = []
    for p in photos:
        aid = tx.insert(
            "attachment",
            {
                "data": p.data,
                "content_type": p.content_type,
                "filename": p.filename,
                "width": p.width,
                "height": p.height,
                "taken_at": to_iso(p.taken_at),
                "sha256": p.sha256,
                "original": p.original,
                "created_at": now_iso(),
            },
        )
        tx.insert("report_attachment", {"base_id": report_id, "related_id": aid})
        ids.append(aid)
    return ids


def add_photos(
    session: Session, report_id: int, photos: Sequence[PreparedPhoto]
) -> list[int]:
    """Attach photos to an existing report (filing or handling roles)."""
    if not session.can("case.transition"):
        session.require("report.file")
    _check_scope(session, session.store.get("report", report_id))
    with session.transaction() as tx:
        return attach_photos(tx, report_id, photos)


def report_photos(session: Session, report_id: int) -> list[dict[str, Any]]:
    """Photos of a case the user may read, without their bytes (id, filename, size, time)."""
    visible_case(session, report_id)
    return queries.report_photos(session.store, report_id)


def photo_data(session: Session, attachment_id: int, *, original: bool = False) -> bytes:
    """The stored (downscaled) image bytes, or the original when kept.

    Only for a photo of a case the user may read.
    """
    session.require("workspace.read")
    row = session.store.get("attachment", attachment_id)  # NotFoundError names it
    for report_id in queries.attachment_report_ids(session.store, attachment_id):
        visible_case(session, report_id)
    data = row["original"] if original and row["original"] is not None else row["data"]
    return bytes(data)


def draft_from_photo(
    photo: PreparedPhoto, category: int | str, **fields: Any
) -> ReportDraft:
    """A :class:`~gridapp.services.cases.reports.ReportDraft` at the photo's place and time.

    Raises :class:`ValidationError` when the photo has no position (the GUI
    then asks for one).
    """
    if not photo.has_position:
        raise ValidationError(
            "照片 {file} 没有位置，请在地图上指定",
            "The photo {file} has no position; choose one on the map",
            file=photo.filename,
            reason="no_position",
        )
    return ReportDraft(
        category=category,
        lon=photo.lon,
        lat=photo.lat,
        crs="wgs84",
        reported_at=photo.taken_at,
        **fields,
    )
