"""The layers of docs/architecture.md hold: one door to the data, no cycles.

* import-linter's contracts in setup.cfg are kept (domain → nothing; storage → domain;
  services → no Qt, window, CLI, printing or rendering; window/CLI/printing/rendering
  never storage);
* no SQL text outside gridapp/storage;
* the session's store is private to the services: nothing outside gridapp/services and
  gridapp/storage touches a ``.store`` attribute;
* no import cycle between gridapp's modules (imports under TYPE_CHECKING aside).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WITH|REPLACE"
                 r"|BEGIN|ATTACH)\b", re.IGNORECASE)
# Words that start SQL and ordinary sentences alike: a string counts as SQL only
# when it also has an SQL word after the first one.
SQL_BODY = re.compile(r"\b(FROM|INTO|SET|TABLE|VIEW|INDEX|TRIGGER|WHERE|VALUES|AS|"
                      r"TRANSACTION|IMMEDIATE|DATABASE)\b")


def is_sql(text: str) -> bool:
    return bool(SQL.match(text)) and (
        bool(SQL_BODY.search(text)) or text.strip().upper().startswith(("PRAGMA", "BEGIN")))


def sql_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [f"{path.name}:{node.lineno}: {node.value[:60]!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and is_sql(node.value)]


def test_no_sql_outside_storage():
    files = [p for p in (ROOT / "gridapp").rglob("*.py")
             if p.relative_to(ROOT / "gridapp").parts[0] != "storage"]
    assert [f"{p.parent.name}/{hit}" for p in files for hit in sql_strings(p)] == []


def test_the_sql_scanner_sees_sql(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('q = "SELECT id FROM grid WHERE code = ?"\n'
                      'msg = "Select a grid first"\n'
                      'conn.execute("PRAGMA trusted_schema = OFF")\n'
                      'note = "Update the grids, then save"\n')
    assert len(sql_strings(sample)) == 2


@pytest.mark.skipif(shutil.which("lint-imports", path=str(Path(sys.executable).parent)) is None,
                    reason="import-linter is installed with the test extras")
def store_touches(path: Path) -> list[int]:
    """Lines of *path* that read or write an attribute called ``store``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted(n.lineno for n in ast.walk(tree)
                  if isinstance(n, ast.Attribute) and n.attr in ("store", "_store"))


def test_only_services_touch_the_store():
    outside = [p for p in (ROOT / "gridapp").rglob("*.py")
               if not {"services", "storage"} & set(p.relative_to(ROOT / "gridapp").parts)]
    found = {str(p.relative_to(ROOT)): lines for p in outside if (lines := store_touches(p))}
    assert not found, f"store used outside the services (hold the session instead): {found}"


def test_the_store_scan_sees_a_touch(tmp_path):
    sample = tmp_path / "widget.py"
    sample.write_text("def f(window):\n    return window.session.store.get('grid', 1)\n")
    assert store_touches(sample) == [2]


def test_import_contracts_are_kept():
    exe = Path(sys.executable).parent / "lint-imports"
    res = subprocess.run([str(exe), "--config", str(ROOT / "setup.cfg")], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert "broken" in res.stdout and "0 broken" in res.stdout


def test_no_import_cycles():
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("gridapp", exclude_type_checking_imports=True)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in graph.modules:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for m in sorted(graph.modules):
        if m not in index:
            visit(m)
    assert cycles == []
