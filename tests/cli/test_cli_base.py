"""CLI: ``patrols import`` and ``patrols coverage`` (issue 18)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from gridapp.cli import main
from gridapp.domain.timeutil import FixedClock, use_clock
from tests.services.test_patrols_coverage import GPX, square  # noqa: F401 (fixture)

PW = "Admin-pass-2026\n"


def run(monkeypatch, capsys, argv):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PW))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("argv", [["patrols", "import", "--help"],
                                  ["patrols", "coverage", "--help"]])
def test_help(capsys, argv):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    assert "--manager" in capsys.readouterr().out or argv[1] == "coverage"


def test_import_then_coverage_json(square, monkeypatch, capsys):  # noqa: F811
    store, (grid, _east) = square
    path = str(store.path)
    store.close()
    with use_clock(FixedClock("2026-11-20T06:00:00Z")):
        code, out, err = run(monkeypatch, capsys, ["patrols", "import", path, str(GPX),
                                                   "--manager", "G001", "--password-stdin"])
        assert code == 0, err
        assert "2" in out
        code, out, err = run(monkeypatch, capsys, ["patrols", "coverage", path, "--date",
                                                   "2026-11-20", "--json",
                                                   "--password-stdin"])
    assert code == 0, err
    rows = {r["grid_id"]: r for r in json.loads(out)}
    assert rows[grid]["coverage"] == pytest.approx(0.51, abs=0.001)


def test_unknown_manager_exits_with_a_message(square, monkeypatch, capsys):  # noqa: F811
    store, _ = square
    path = str(store.path)
    store.close()
    code, _out, err = run(monkeypatch, capsys, ["patrols", "import", path, str(GPX),
                                                "--manager", "X9", "--password-stdin"])
    assert code != 0 and "X9" in err
