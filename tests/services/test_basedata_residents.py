"""Residents (issue 18): encrypted at rest, masked per role, audited, erasable."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.errors import PermissionDenied, StorageError, ValidationError
from gridapp.services.basedata import residents as svc
from gridapp.services.basedata.households import add_household
from gridapp.services.basedata.links import grid_on, relink_base_data
from gridapp.services.basedata.residents import ResidentDraft
from gridapp.storage import open_store
from tests.services.test_reports import make_street

ID1 = "52010219900101123X"  # check character worked out in tests/domain/test_idcard.py
ID2 = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture
def street(empty_workspace):
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        s = make_street(empty_workspace)
        relink_base_data(s.session("admin1"))
        building = s.store.query("SELECT id FROM building")[0][0]
        s.household = add_household(s.session("office"), building, "1单元101", size=3)
        s.resident = svc.add_resident(s.session("office"), ResidentDraft(
            "王小明", s.household, ID1, PHONE, ["elderly_alone"], "需要每周探访"))
        yield s


def test_building_is_linked_to_its_grid(street):
    assert street.store.query("SELECT grid_id FROM building")[0][0] == street.grids[0]
    building = street.store.query("SELECT id FROM building")[0][0]
    assert grid_on(street.session("leader"), "building", building, "2026-11-20")[0] \
        == street.grids[0]
    assert grid_on(street.session("leader"), "building", building, "2026-11-01") == \
        (None, None)  # not linked before the relink


def test_a_copied_file_holds_no_clear_id_number_phone_or_name(street, tmp_path):
    copy = tmp_path / "copy.gpkg"
    street.store.close()  # the copy is what a colleague would mail: the file alone
    shutil.copy(street.store.path, copy)
    data = copy.read_bytes()
    for secret in (ID1, ID1[:17], PHONE, "王小明", "需要每周探访"):
        assert secret.encode("utf-8") not in data, secret
    con = sqlite3.connect(copy)  # plain sqlite3, as QGIS would read it
    row = con.execute("SELECT name_enc, id_enc, phone_enc, id_hash FROM resident").fetchone()
    dump = "\n".join(con.iterdump())
    con.close()
    assert all(isinstance(v, bytes) for v in row[:3])
    assert ID1 not in dump and PHONE not in dump and "王小明" not in dump
    assert len(row[3]) == 64 and ID1 not in row[3]


def test_each_role_sees_what_it_should(street):
    full = svc.list_residents(street.session("office"))
    assert [(r.name, r.id_number, r.phone) for r in full] == [("王小明", ID1, PHONE)]
    assert full[0].age == 36 and not full[0].masked
    mine = svc.list_residents(street.session("manager"))  # grid 0 is theirs
    assert mine[0].id_number == ID1
    assert svc.list_residents(street.session("manager2")) == []  # not their grid
    for who in ("leader", "liaison"):
        seen = svc.list_residents(street.session(who))
        assert [(r.name, r.id_number, r.phone) for r in seen] == \
            [("王*", "520***********123X", "138****5678")]
        assert seen[0].notes is None and seen[0].masked


def test_every_full_view_is_audited_and_masked_views_are_not(street):
    def views():
        return [json.loads(r[0]) for r in street.store.query(
            "SELECT changes FROM audit_log WHERE action = 'view_personal'")]

    before = len(views())
    svc.list_residents(street.session("leader"))
    assert len(views()) == before
    svc.list_residents(street.session("office"))
    entry = views()[-1]
    assert entry["ids"] == [street.resident] and entry["role"] == "office"


def test_lookup_by_id_number_goes_through_the_keyed_hash(street):
    found = svc.find_by_id_number(street.session("dispatcher"), ID1.lower())
    assert found is not None and found.id == street.resident
    assert svc.find_by_id_number(street.session("dispatcher"), ID2) is None


def test_duplicate_id_and_bad_id_are_refused(street):
    with pytest.raises(ValidationError) as err:
        svc.add_resident(street.session("office"), ResidentDraft("李四", street.household, ID1))
    assert err.value.params["id"] == street.resident
    with pytest.raises(ValidationError) as err:
        svc.add_resident(street.session("office"),
                         ResidentDraft("李四", street.household, "110105194912310021"))
    assert "校验位" in str(err.value)


def test_managers_record_only_in_their_own_grids(street):
    svc.add_resident(street.session("manager"), ResidentDraft("赵六", street.household, ID2))
    with pytest.raises(PermissionDenied):
        svc.add_resident(street.session("manager2"), ResidentDraft("钱七", street.household))
    with pytest.raises(PermissionDenied):
        svc.add_resident(street.session("leader"), ResidentDraft("钱七", street.household))


def test_erasure_removes_the_row_and_audits_without_personal_data(street):
    svc.erase_resident(street.session("office"), street.resident, "本人申请")
    assert street.store.query("SELECT count(*) FROM resident")[0][0] == 0
    log = "\n".join(str(r[0]) for r in street.store.query("SELECT changes FROM audit_log"))
    assert "本人申请" in log
    for secret in (ID1, PHONE, "王小明"):
        assert secret not in log
    with pytest.raises(PermissionDenied):
        svc.erase_resident(street.session("manager"), 1, "x")


def test_without_the_key_nothing_personal_can_be_read(street, tmp_path, monkeypatch):
    path = street.store.path
    street.store.close()
    monkeypatch.setenv("GRIDAPP_CONFIG_DIR", str(tmp_path / "other-computer"))
    store = open_store(path)
    try:
        from gridapp.services.session import Session
        session = Session(store, street.users["office"])
        with pytest.raises(StorageError) as err:
            svc.list_residents(session)
        assert ".personal.key" in str(err.value)
    finally:
        store.close()


def test_population_is_computed_from_residents_and_households(street):
    svc.add_resident(street.session("office"), ResidentDraft("赵六", street.household, ID2))
    counts = {p.grid_id: p for p in svc.grid_population(street.session("leader"))}
    assert counts[street.grids[0]].population == 2
    assert counts[street.grids[0]].households == 1
    assert counts[street.grids[1]].population == 0
