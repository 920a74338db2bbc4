"""The one translation toolchain (gridapp.qt.catalogue) and the catalogues it built.

Fails when a committed catalogue is stale (someone changed a text or a
``translations_zh.py`` and did not run ``python -m gridapp.qt.catalogue``) or a
text in the Qt code has no Chinese.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gridapp.qt import catalogue
from gridapp.qt.catalogue import Catalogue, assign, ts_text

ROOT = Path(__file__).resolve().parents[2]


def test_every_catalogue_is_built_and_complete():
    """The committed catalogues are what the modules build, and nothing is untranslated."""
    result = catalogue.run(write=False)
    assert result.untranslated == []
    assert result.conflicts == []
    assert result.stale == []
    names = {c.name for c in result.catalogues}
    # discovered, not listed: the window's own and at least these features
    assert {"gridapp", "cases", "grids", "people", "printing", "reports", "tasks"} <= names


def test_the_command_checks_without_writing():
    """The command line: --check changes nothing and exits 0 on the committed tree."""
    before = sorted((p.name, p.stat().st_mtime_ns) for p in catalogue.TRANSLATIONS.iterdir())
    done = subprocess.run([sys.executable, "-m", "gridapp.qt.catalogue", "--check"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "untranslated" not in done.stdout
    after = sorted((p.name, p.stat().st_mtime_ns) for p in catalogue.TRANSLATIONS.iterdir())
    assert after == before


def test_assign_finds_untranslated_conflicting_and_unused_texts():
    a = Catalogue("a", "pkg.a", {"Ctx": {"Open": "打开", "Old": "旧"}})
    b = Catalogue("b", "pkg.b", {"Ctx": {"Open": "开启"}, "Other": {"Save": "保存"}},
                  extra=(("Other", "Save"),))
    result = assign([a, b], [("Ctx", "Open"), ("Ctx", "Close"), ("", "Stray")])
    assert result.untranslated == ["Ctx: 'Close'", "(no context): 'Stray'"]
    assert len(result.conflicts) == 1 and "开启 / 打开" in result.conflicts[0]
    assert result.unused == ["pkg.a: Ctx: 'Old'"]
    assert b.messages == {"Ctx": {"Open": "开启"}, "Other": {"Save": "保存"}}
    assert result.failed


def test_ts_text_is_sorted_and_escaped():
    text = ts_text({"B": {"y": "乙"}, "A": {"<x> & z": "甲"}})
    assert text.index("<name>A</name>") < text.index("<name>B</name>")
    assert "&lt;x&gt; &amp; z" in text


@pytest.mark.parametrize(("context", "source", "chinese"), [
    ("Layers", "Cluster areas", "聚类范围"),          # the window's catalogue
    ("CaseListWidget", "All statuses", "全部状态"),   # the reports feature's
    ("QPlatformTheme", "Cancel", "取消"),              # Qt's own (qtbase_zh_CN)
])
def test_chinese_is_loaded_for_the_window_features_and_qt_itself(context, source, chinese):
    from PySide6.QtCore import QCoreApplication

    from gridapp.qt.translator import LanguageSwitcher

    switcher = LanguageSwitcher()
    try:
        assert switcher.apply("zh")
        assert QCoreApplication.translate(context, source) == chinese
        switcher.apply("en")
        assert QCoreApplication.translate(context, source) == source
    finally:
        switcher.apply("zh")


def test_qt_message_box_buttons_follow_the_language(qtbot):
    """Qt's own dialogs (issue 21): a QMessageBox's standard buttons are Chinese
    under zh (qtbase_zh_CN from PySide6) and English under en."""
    from PySide6.QtWidgets import QMessageBox

    from gridapp.qt.translator import LanguageSwitcher

    def button_texts() -> list[str]:
        box = QMessageBox()
        box.setStandardButtons(QMessageBox.StandardButton.Ok
                               | QMessageBox.StandardButton.Cancel
                               | QMessageBox.StandardButton.Save)
        qtbot.addWidget(box)
        return [box.button(b).text().replace("&", "") for b in (
            QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)]

    switcher = LanguageSwitcher()
    try:
        switcher.apply("zh")
        assert button_texts() == ["确定", "取消", "保存"]
        switcher.apply("en")
        assert button_texts() == ["OK", "Cancel", "Save"]
    finally:
        switcher.apply("zh")
