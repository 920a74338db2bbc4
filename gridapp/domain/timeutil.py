"""Times: stored as ISO-8601 UTC text, shown in Asia/Shanghai (DESIGN §2).

This module holds GridApp's one clock.  Nothing else reads the wall clock:
services, the demo generator, printing and the window ask :func:`now_utc` or
:func:`today_local`, so a test (or a user reproducing a problem) can set the
time with :func:`use_clock` / :class:`FixedClock`, or for a whole process with
the ``GRIDAPP_NOW`` environment variable (an ISO-8601 instant with a zone,
e.g. ``2027-01-01T00:30+08:00``).

Examples
--------
>>> from datetime import timedelta
>>> with use_clock(FixedClock("2026-12-31T16:30:00Z")) as clock:
...     today_local().isoformat()
...     _ = clock.advance(timedelta(hours=-1))
...     today_local().isoformat()
'2027-01-01'
'2026-12-31'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
NOW_ENV = "GRIDAPP_NOW"


class Clock(Protocol):
    """Anything that says what time it is (an aware datetime)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The computer's clock, the default."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class FixedClock:
    """A clock that stands still until told to move (tests, reproductions).

    *at* is an aware datetime or ISO-8601 text with a zone (``Z`` accepted).
    """

    def __init__(self, at: datetime | str) -> None:
        self._at = _aware(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime | str) -> None:
        self._at = _aware(at)

    def advance(self, delta: timedelta) -> datetime:
        self._at = self._at + delta
        return self._at

    def __repr__(self) -> str:
        return f"FixedClock({self._at.isoformat()!r})"


def _aware(at: datetime | str) -> datetime:
    if isinstance(at, str):
        text = at.strip().replace("Z", "+00:00").replace(" ", "T", 1)
        try:
            at = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not an ISO-8601 time: {text!r} (e.g. 2027-01-01T00:30+08:00)") from exc
    if at.tzinfo is None:
        raise ValueError("a clock needs a time with a zone, e.g. 2027-01-01T00:30+08:00")
    return at.astimezone(UTC)


def _clock_from_env() -> Clock:
    text = os.environ.get(NOW_ENV, "").strip()
    return FixedClock(text) if text else SystemClock()


_clock: Clock = _clock_from_env()


def get_clock() -> Clock:
    return _clock


def set_clock(clock: Clock | None) -> Clock:
    """Make *clock* the program's clock (``None``: the system clock); returns the old one."""
    global _clock
    old = _clock
    _clock = clock if clock is not None else SystemClock()
    return old


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """Run a block with *clock* as the program's clock, then restore the previous one."""
    old = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(old)


def now_utc() -> datetime:
    """The current instant (aware, UTC) by the program's clock."""
    return _clock.now().astimezone(UTC)


def now_local() -> datetime:
    """The current instant in Asia/Shanghai by the program's clock."""
    return _clock.now().astimezone(LOCAL_TZ)


def today_local() -> date:
    """Today's date in Beijing (not the computer's zone) by the program's clock."""
    return now_local().date()


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
