"""``residents export WORKSPACE FILE [--full]`` (issue 18): masked by default, --full only
for roles that may see personal data, and audited without the personal data."""

from __future__ import annotations

import io
import json
import sys

import openpyxl
import pytest

from gridapp.cli import main
from gridapp.domain.enums import Role
from gridapp.domain.passwords import hash_password
from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.errors import ValidationError
from gridapp.services.basedata import residents as svc
from gridapp.services.basedata.households import add_household
from gridapp.services.basedata.links import relink_base_data
from gridapp.services.basedata.resident_export import export_residents
from gridapp.services.basedata.residents import ResidentDraft
from gridapp.services.session import Session, User
from gridapp.storage import open_store
from tests.services.test_reports import make_street

ID1 = "52010219900101123X"  # check character worked out in tests/domain/test_idcard.py
ID2 = "11010519491231002X"
PHONE1, PHONE2 = "13812345678", "13987654321"
PW = "Export-test-2026"
SECRETS = (ID1, ID2, ID1[6:14], PHONE1, PHONE2, "王小明", "李秀英", "需要每周探访")


@pytest.fixture
def path(empty_workspace):
    """A street with two residents in grid 0 and passwords for office, leader, manager."""
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        s = make_street(empty_workspace)
        relink_base_data(s.session("admin1"))
        building = s.store.query("SELECT id FROM building")[0][0]
        h1 = add_household(s.session("office"), building, "1单元101")
        h2 = add_household(s.session("office"), building, "1单元102")
        office = s.session("office")
        svc.add_resident(office, ResidentDraft("王小明", h1, ID1, PHONE1, ["elderly_alone"],
                                               "需要每周探访"))
        svc.add_resident(office, ResidentDraft("李秀英", h2, ID2, PHONE2, []))
        with s.store.transaction("test") as tx:
            for user in ("office", "leader", "manager", "dispatcher"):
                tx.execute("UPDATE app_user SET password_hash = ? WHERE username = ?",
                           (hash_password(PW, n=2**10), user))
        yield str(s.store.path)
        s.store.close()


def run(monkeypatch, capsys, argv, user):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PW + "\n"))
    code = main([*argv, "--as", user, "--password-stdin"])
    out = capsys.readouterr()
    return code, out.out, out.err


def audit(path):
    store = open_store(path, readonly=True)
    try:
        return [(r[0], r[1], json.loads(r[2]) if r[2] else None) for r in store.query(
            "SELECT action, table_name, changes FROM audit_log"
            " WHERE table_name IS NOT 'app_user' ORDER BY id")]  # logging in is not the export
    finally:
        store.close()


@pytest.mark.parametrize("user", ["office", "leader"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_masked_export_holds_no_clear_id_number_or_phone(path, tmp_path, monkeypatch,
                                                         capsys, user, suffix):
    out_file = tmp_path / f"residents{suffix}"
    code, out, err = run(monkeypatch, capsys, ["residents", "export", path, str(out_file)],
                         user)
    assert code == 0, err
    assert "2" in out
    data = out_file.read_bytes()
    for secret in SECRETS:  # the bytes of the file, as mailed (xlsx: zipped XML, so
        assert secret.encode() not in data  # also checked cell by cell below)
    if suffix == ".csv":
        text = data.decode("utf-8-sig")
    else:
        sheet = openpyxl.load_workbook(out_file).active
        text = "\n".join(",".join("" if v is None else str(v) for v in row)
                         for row in sheet.iter_rows(values_only=True))
    for secret in SECRETS:
        assert secret not in text
    assert "王*" in text and "520***********123X" in text and "138****5678" in text
    assert "王**" not in text  # one star for the given name (issue 18: 张*)
    assert "110***********002X" in text and "139****4321" in text
    assert "独居老人" in text or "elderly_alone" in text  # the category is kept
    last = audit(path)[-1]
    assert last[0] == "export" and last[2]["masked"] and last[2]["count"] == 2
    assert not any(s in json.dumps(last[2], ensure_ascii=False) for s in SECRETS)


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_full_export_by_a_role_without_the_right_is_refused_and_changes_nothing(
        path, tmp_path, monkeypatch, capsys, user):
    before = audit(path)
    out_file = tmp_path / "full.csv"
    code, out, err = run(monkeypatch, capsys, ["residents", "export", path, str(out_file),
                                               "--full"], user)
    assert code == 1
    assert not out_file.exists()
    assert err.strip()
    assert audit(path) == before


def test_full_export_by_the_office_is_audited_without_personal_data(path, tmp_path,
                                                                    monkeypatch, capsys):
    before = len(audit(path))
    out_file = tmp_path / "full.csv"
    code, out, err = run(monkeypatch, capsys, ["residents", "export", path, str(out_file),
                                               "--full"], "office")
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8-sig")
    for secret in (ID1, ID2, PHONE1, PHONE2, "王小明", "李秀英", "需要每周探访"):
        assert secret in text
    new = audit(path)[before:]
    assert [(a, t) for a, t, _ in new] == [("view_personal", "resident")]
    changes = new[0][2]
    assert changes["what"] == "resident_export" and changes["count"] == 2
    assert len(changes["ids"]) == 2 and changes["role"] == "office"
    dumped = json.dumps(changes, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in dumped


def test_an_unknown_format_is_refused_before_anything_is_written(path, tmp_path):
    store = open_store(path)
    try:
        office = store.query("SELECT id FROM app_user WHERE username = 'office'")[0][0]
        session = Session(store, User(office, "office", "office", Role.OFFICE))
        with pytest.raises(ValidationError):
            export_residents(session, tmp_path / "r.gpkg")
        assert not (tmp_path / "r.gpkg").exists()
    finally:
        store.close()
