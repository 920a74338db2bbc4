"""The working calendar of a workspace: chinesecalendar plus the years loaded.

Kept apart from :mod:`gridapp.services.cases.workflow` (which counts deadlines on it)
and :mod:`gridapp.services.cases.holidays` (which loads years and recomputes
deadlines) so that neither has to import the other.

The calendar is cached per workspace file and rebuilt whenever the
workspace's ``calendar.*`` settings change, also when another process (the
CLI's ``calendar load`` while the window is open) changed them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from gridapp.domain.workdays import WorkCalendar
from gridapp.storage import GeoPackageStore
from gridapp.storage.calendar_days import LEGACY_CSV_KEY, YEAR_PREFIX, calendar_settings

_cache: dict[str, tuple[str, WorkCalendar]] = {}


def schedule_days(schedule: dict[str, Any]) -> dict[date, tuple[bool, str]]:
    """A stored year's days as :meth:`WorkCalendar.load_days` takes them."""
    return {
        date.fromisoformat(d): (kind == "workday", name or "")
        for d, kind, name in schedule.get("days", [])
    }


def workspace_calendar(store: GeoPackageStore) -> WorkCalendar:
    """The working calendar for *store*.

    chinesecalendar's years, then the legacy ``calendar.csv`` setting (a path
    to an office CSV), then every year loaded with ``calendar load`` (which
    wins over both for its year).
    """
    settings = calendar_settings(store)
    fingerprint = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    key = str(store.path)
    hit = _cache.get(key)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    cal = WorkCalendar()
    csv_path = settings.get(LEGACY_CSV_KEY)
    if csv_path:
        cal.load_csv(str(csv_path))
    for k in sorted(settings):
        tail = k[len(YEAR_PREFIX):]
        if k.startswith(YEAR_PREFIX) and tail.isdigit():
            days = schedule_days(settings[k])
            if days:
                cal.load_days(days)
    _cache[key] = (fingerprint, cal)
    return cal
