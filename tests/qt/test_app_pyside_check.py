"""PySide6's per-module "uses PySide6?" check, answered from the file (gridapp.qt.app).

Issue 22: PySide6 reads the source of every module imported after it through
inspect.getsource; the window replaces that check with one on the file's bytes.
The answers must stay PySide6's own: 0 (a PySide6 module) or -1 (ignored) in
its table of modules.
"""

from __future__ import annotations

import sys

import pytest


@pytest.fixture
def modules_dir(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    (tmp_path / "gridapp_probe_qt.py").write_text(
        "from PySide6.QtCore import QObject\nVALUE = QObject\n", encoding="utf-8")
    (tmp_path / "gridapp_probe_plain.py").write_text(
        "# 纯 Python 模块，没有 Qt\nVALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in ("gridapp_probe_qt", "gridapp_probe_plain"):
        sys.modules.pop(name, None)


def test_same_answers_as_pyside_from_the_file(modules_dir) -> None:  # type: ignore[no-untyped-def]
    feature = pytest.importorskip("shibokensupport.feature")
    from gridapp.qt.app import quicker_pyside_module_check

    original = feature._mod_uses_pyside
    try:
        assert quicker_pyside_module_check()
        quicker = feature._mod_uses_pyside
        assert quicker is not original
        assert quicker_pyside_module_check() and feature._mod_uses_pyside is quicker  # once
        # Through the import statement: PySide6 hooks builtins.__import__.
        qt_mod = __import__("gridapp_probe_qt")
        plain = __import__("gridapp_probe_plain")
        # PySide6's table: 0 = uses PySide6, -1 = ignored; as its own check says.
        assert feature.pyside_feature_dict["gridapp_probe_qt"] == 0
        assert feature.pyside_feature_dict["gridapp_probe_plain"] == -1
        for module in (qt_mod, plain):
            assert quicker(module) == original(module)
        assert qt_mod.VALUE.__name__ == "QObject"
        # Without a .py file (a built-in module) PySide6's own check answers.
        assert quicker(sys) == original(sys)
    finally:
        feature._mod_uses_pyside = original
