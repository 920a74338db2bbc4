"""The demo street has residents (fictional, encrypted) and a week of tracks (issue 18)."""

from __future__ import annotations

from datetime import timedelta

from gridapp.domain import idcard
from gridapp.domain.timeutil import from_iso, local
from gridapp.services.basedata.residents import grid_population, list_residents
from gridapp.services.patrols.coverage import grid_coverage
from gridapp.services.session import Session, system_session
from gridapp.storage import open_store


def test_demo_residents_are_fictional_valid_and_encrypted(demo_file):
    store = open_store(demo_file, readonly=True)
    try:
        rows = list_residents(system_session(store))  # read-only: shown masked
        assert len(rows) > 300 and all(r.masked for r in rows)
        from gridapp.domain.enums import Role
        from gridapp.services.session import User

        office = Session(store, User(1, "admin", "admin", Role.ADMIN))
        numbers = [r.id_number for r in list_residents(office) if r.id_number]
        assert len(numbers) > 300 and all(len(n) == 18 for n in numbers)
        data = demo_file.read_bytes()
        # No ID number in clear anywhere in the file. Whole numbers, not the
        # "520199" prefix: six digits turn up by chance in the audit chain's hex
        # hashes (CI failed on that once).
        assert [n for n in numbers if n.encode() in data] == []
        counts = grid_population(system_session(store))
        assert sum(c.population for c in counts) == len(rows)
    finally:
        store.close()


def test_demo_residents_in_full_for_the_office(demo_workspace):
    from gridapp.domain.enums import Role
    from gridapp.services.session import User

    rows = list_residents(Session(demo_workspace, User(1, "admin", "admin", Role.ADMIN)))
    assert all(r.id_number.startswith("520199") and idcard.is_valid(r.id_number)
               for r in rows if r.id_number)
    assert {"虚构演示数据"} == {r.notes for r in rows}


def test_demo_has_a_week_of_tracks_with_coverage(demo_file):
    store = open_store(demo_file, readonly=True)
    try:
        starts = [from_iso(r[0]) for r in store.query("SELECT started_at FROM patrol_track")]
    finally:
        store.close()
    days = sorted({local(s).date() for s in starts})
    assert len(days) >= 6 and days[-1] - days[0] <= timedelta(days=6)
    store = open_store(demo_file, readonly=True)
    try:
        rows = grid_coverage(system_session(store), days[-1])
    finally:
        store.close()
    assert any(r.coverage > 0.3 for r in rows)
