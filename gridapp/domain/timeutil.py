"""Times: stored as ISO-8601 UTC text, shown in Asia/Shanghai (DESIGN §2)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_iso(dt: datetime | None) -> str | None:
    """GeoPackage DATETIME text (``YYYY-MM-DDTHH:MM:SS.sssZ``) of an aware datetime.

    Examples
    --------
    >>> from datetime import datetime, timezone, timedelta
    >>> to_iso(datetime(2026, 2, 14, 9, 30, tzinfo=timezone(timedelta(hours=8))))
    '2026-02-14T01:30:00.000Z'
    """
    if dt is None:
        return None
    if dt.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone before storing it")
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def from_iso(text: str | None) -> datetime | None:
    """Aware UTC datetime from stored text (accepts a trailing ``Z``)."""
    if text is None or text == "":
        return None
    dt = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def now_iso() -> str:
    return to_iso(now_utc())  # type: ignore[return-value]


def local(dt: datetime) -> datetime:
    """The datetime in Asia/Shanghai, for display."""
    return dt.astimezone(LOCAL_TZ)


def format_local(value: datetime | str | None, *, seconds: bool = False) -> str:
    """Stored ISO text or an aware datetime as Beijing time for display ("" for none).

    Examples
    --------
    >>> format_local("2026-02-14T01:30:00.000Z")
    '2026-02-14 09:30'
    """
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = from_iso(value)
    if not isinstance(value, datetime):
        return str(value)
    return local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
