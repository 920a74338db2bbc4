"""bench/run.py reads the benchmark scripts' lines and prints one table (issue 22)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load_runner():  # type: ignore[no-untyped-def]
    """bench/run.py as a module, without leaving bench/ on sys.path (its scripts'
    names, such as coverage.py, would shadow installed packages)."""
    saved = list(sys.path)
    try:
        spec = importlib.util.spec_from_file_location("gridapp_bench_run", BENCH / "run.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        return module, sys.modules["common"]
    finally:
        sys.path[:] = saved


run, common = _load_runner()


def test_bench_line_reads_what_result_prints() -> None:
    line = common.Result("report_import_20000", [3.0, 5.0, 4.0], [2.0, 2.0], 2.0, 123.4,
                         "a note").line()
    m = run.bench_line("report_import_20000", "noise\n" + line + "\nmore")
    assert float(m["ours"]) == pytest.approx(4.0)
    assert float(m["anchor"]) == pytest.approx(2.0)
    assert float(m["ratio"]) == pytest.approx(2.0)
    assert int(m["rss"]) == 123


def test_bench_line_does_not_match_another_name() -> None:
    line = common.Result("search_1m", [0.01], [0.05], 1.0, 10.0).line()
    with pytest.raises(RuntimeError):
        run.bench_line("search", line.replace("search_1m", "search_1mx"))


def test_table_has_one_line_per_row_and_judges() -> None:
    rows = [run.Row("a", "1 s", "—", 0.5, "≤ 1×", True),
            run.Row("b", "3 s", "—", 3.0, "≤ 1×", False, "why"),
            run.Row("c", "2 s", "QGIS not installed", None, "≤ 1×", None)]
    lines = run.table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]
    assert [c[-1] for c in cells] == ["ok", "NOT ok (why)", "n/a"]
    assert [c[3] for c in cells] == ["0.50", "3.00", "—"]


def test_every_benchmark_script_named_by_the_runner_exists() -> None:
    scripts = {"report_import", "store", "coverage", "startup", "render", "clustering",
               "search", "assign_reports", "print"}
    source = Path(run.__file__).read_text(encoding="utf-8")
    for name in scripts:
        assert f'run_script("{name}"' in source
        assert (run.BENCH / f"{name}.py").exists(), name
