"""CLI: ``kpi`` (text, JSON, Excel checked through headless LibreOffice), ``assess``
and ``cases escalate`` on the hand-built street of tests/services/test_assessment."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from gridapp.cli import main
from gridapp.domain.enums import Role
from gridapp.domain.timeutil import FixedClock, use_clock
from gridapp.services.assessment import indicators as kpi
from gridapp.services.session import Session, User
from gridapp.storage import open_store
from tests.services.test_assessment import GRID_A, NOW, build_street

ADMIN_PW = "Admin-pass-2026"


@pytest.fixture(scope="module")
def street_file(tmp_path_factory):
    from gridapp.services.workspace import StreetSpec, create_workspace

    path = tmp_path_factory.mktemp("assess") / "street.gpkg"
    store = create_workspace(path, StreetSpec("520102", "520102003", "测试街道"),
                             admin_username="admin", admin_password=ADMIN_PW)
    build_street(store)
    store.close()
    return path


def run(monkeypatch, capsys, argv, stdin=ADMIN_PW + "\n"):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    with use_clock(FixedClock(NOW)):
        code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def service_tables(path, kinds):
    with open_store(path, readonly=True) as store, use_clock(FixedClock(NOW)):
        s = Session(store, User(None, "boss", "领导", Role.LEADER))
        return {k: kpi.compute(s, "2026-11", k) for k in kinds}


def test_kpi_text_and_json(street_file, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, ["kpi", str(street_file), "--period",
                                               "2026-11", "--password-stdin"])
    assert code == 0, err
    assert f"{GRID_A} 网格A" in out and "66.7%" in out  # grid A: 结案率 2/3
    code, out, err = run(monkeypatch, capsys, ["kpi", str(street_file), "--period",
                                               "2026-11", "--by", "department", "--json",
                                               "--password-stdin"])
    data = json.loads(out)
    assert data[0]["by"] == "department" and data[0]["total"]["filed"] == 5
    code, out, err = run(monkeypatch, capsys, ["kpi", str(street_file), "--period",
                                               "2025-01", "--password-stdin"])
    assert code == 0 and "没有案件数据" in out
    code, out, err = run(monkeypatch, capsys, ["kpi", str(street_file), "--period",
                                               "Nov", "--password-stdin"])
    assert code != 0 and "无法识别的考核周期" in err


def _csv_number(text: str) -> float | None:
    if text == "":
        return None
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def test_xlsx_matches_the_service_through_libreoffice(street_file, tmp_path,
                                                      monkeypatch, capsys):
    target = tmp_path / "kpi.xlsx"
    code, out, err = run(monkeypatch, capsys, [
        "kpi", str(street_file), "--period", "2026-11", "--by", "grid", "--by",
        "department", "--xlsx", str(target), "--password-stdin"])
    assert code == 0, err
    tables = service_tables(street_file, ["grid", "department"])
    wb = load_workbook(target)
    assert wb.sheetnames == ["网格", "职能部门", "说明"]
    grid = wb["网格"]
    assert grid.freeze_panes == "B2"
    inds = tables["grid"].indicators
    assert [c.value for c in grid[1]] == ["网格", *[i.name_zh for i in inds]]
    col = 1 + [i.code for i in inds].index("close_rate") + 1
    assert grid.cell(2, col).number_format == "0.0%"
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True) if r and r[0]}
    assert notes["考核周期"] == "2026-11"
    assert notes["结案率"] == "结案数 / (应结案数 - 缓办数)"
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (libreoffice-calc-nogui) is not installed")
    outdir = tmp_path / "csv"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,"
                    "false,false,-1", "--outdir", str(outdir), str(target)],
                   check=True, capture_output=True, timeout=120)
    for kind, sheet in (("grid", "网格"), ("department", "职能部门")):
        table = tables[kind]
        with open(outdir / f"kpi-{sheet}.csv", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        expected = [*table.frame.to_dict("records"), {"label": "合计（全街道）",
                                                      **table.total}]
        assert len(rows) == 1 + len(expected)
        compared = 0
        for row, want in zip(rows[1:], expected, strict=True):
            assert row[0] == str(want["label"])
            for cell, ind in zip(row[1:], table.indicators, strict=True):
                value = want[ind.code]
                got = _csv_number(cell)
                if value is None or math.isnan(value):
                    assert got is None, (sheet, want["label"], ind.code)
                else:
                    assert got == pytest.approx(float(value), rel=1e-9, abs=1e-12)
                compared += 1
        assert compared == len(expected) * len(table.indicators)


def test_xlsx_refuses_open_or_read_only_targets(street_file, tmp_path, monkeypatch,
                                                capsys):
    target = tmp_path / "open.xlsx"
    target.write_bytes(b"old")
    lock = tmp_path / ".~lock.open.xlsx#"
    lock.write_text("someone,host")
    code, out, err = run(monkeypatch, capsys, [
        "kpi", str(street_file), "--period", "2026-11", "--xlsx", str(target),
        "--password-stdin"])
    assert code != 0 and "正在被其他程序" in err and target.read_bytes() == b"old"
    lock.unlink()
    target.chmod(0o444)
    try:
        code, out, err = run(monkeypatch, capsys, [
            "kpi", str(street_file), "--period", "2026-11", "--xlsx", str(target),
            "--password-stdin"])
        assert code != 0 and "只读" in err and target.read_bytes() == b"old"
    finally:
        target.chmod(0o644)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["open.xlsx"]


def test_thresholds_callback_and_escalate(street_file, tmp_path, monkeypatch, capsys):
    path = tmp_path / "copy.gpkg"
    shutil.copy(street_file, path)
    code, out, err = run(monkeypatch, capsys, ["assess", "thresholds", str(path),
                                               "--set", "close_rate", "0.9", "0.8",
                                               "--password-stdin"])
    assert code != 0 and "必须低于" in err
    code, out, err = run(monkeypatch, capsys, ["assess", "thresholds", str(path),
                                               "--set", "close_rate", "0.6", "0.8",
                                               "--password-stdin"])
    assert code == 0 and "close_rate\t红 0.6\t黄 0.8\t2" in out
    code, out, err = run(monkeypatch, capsys, ["cases", "escalate", str(path),
                                               "--password-stdin"])
    # open and overdue at 12-10: cases 3, 4 and 6
    assert code == 0 and "升级督办 3 件" in out
    code, out, err = run(monkeypatch, capsys, ["cases", "escalate", str(path),
                                               "--password-stdin"])
    assert "升级督办 0 件" in out
