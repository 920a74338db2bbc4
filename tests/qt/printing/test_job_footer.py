"""The foot every print/export dialog shares (JobFooter), driven with small jobs:
written, failed, cancelled, refused while busy, stopped when the dialog closes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QDialog

from gridapp import i18n
from gridapp.errors import GridAppError
from gridapp.qt.printing.job_footer import JobFooter
from gridapp.qt.translator import LanguageSwitcher


@pytest.fixture
def english():
    """The texts as written (a window test before may have left Chinese on)."""
    before = i18n.language()
    switcher = LanguageSwitcher()
    switcher.apply("en")
    yield switcher
    switcher.apply(before)


@pytest.fixture
def dialog(qtbot, english):
    d = QDialog()
    qtbot.addWidget(d)
    d.clicks = []
    d.footer = JobFooter(d, "goButton", lambda: d.clicks.append("go"),
                         written=lambda r: f"done {r}", failed=lambda e: f"failed: {e}",
                         cancelled=lambda: "stopped")
    d.footer.button.setText("Go")
    d.show()
    yield d
    d.footer.job.shutdown()


def _held(release: threading.Event, started: threading.Event):  # type: ignore[no-untyped-def]
    """A job that waits for the test (or a cancel) before it ends."""

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        started.set()
        while not release.is_set():
            cancel.check()
            release.wait(0.005)
        return 42

    return work


def test_a_written_job_re_enables_the_button_and_says_so(qtbot, dialog):
    footer = dialog.footer
    assert footer.button.objectName() == "goButton" and footer.button.isDefault()
    release, started = threading.Event(), threading.Event()
    with qtbot.waitSignal(footer.finished, timeout=10_000) as blocker:
        assert footer.run(_held(release, started), Path("/tmp/out/atlas.pdf"))
        assert not footer.button.isEnabled() and footer.busy
        assert footer.job.label.text() == "Writing atlas.pdf…"
        assert not footer.run(_held(release, started), Path("other.pdf"))  # one at a time
        release.set()
    assert blocker.args == [42]
    assert footer.result == 42 and footer.last_error == ""
    assert footer.status.text() == "done 42"
    assert footer.button.isEnabled() and not footer.busy


def test_a_failed_job_keeps_the_error_and_finishes_with_none(qtbot, dialog):
    footer = dialog.footer

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        raise GridAppError("磁盘已满", "Disk full")

    with qtbot.waitSignal(footer.finished, timeout=10_000) as blocker:
        assert footer.run(work, Path("x.html"))
    assert blocker.args == [None]
    assert footer.last_error == "Disk full"
    assert footer.status.text() == f"failed: {footer.last_error}"
    assert footer.button.isEnabled()


def test_cancel_finishes_with_none_and_no_error(qtbot, dialog):
    footer = dialog.footer
    release, started = threading.Event(), threading.Event()
    with qtbot.waitSignal(footer.finished, timeout=10_000) as blocker:
        footer.run(_held(release, started), Path("x.pdf"))
        assert started.wait(10)
        footer.job.cancel_button.click()
    assert blocker.args == [None]
    assert footer.last_error == "" and footer.status.text() == "stopped"
    assert footer.button.isEnabled()


def test_closing_the_dialog_stops_the_job(qtbot, dialog):
    footer = dialog.footer
    release, started = threading.Event(), threading.Event()
    footer.run(_held(release, started), Path("x.pdf"))
    assert started.wait(10)
    dialog.reject()  # Close, Esc or the window's close button
    assert not footer.busy
    assert [t for t in dialog.findChildren(QThread) if t.isRunning()] == []


def test_the_button_does_the_dialogs_action(qtbot, dialog):
    dialog.footer.button.click()
    assert dialog.clicks == ["go"]


def test_close_rejects_the_dialog(qtbot, dialog):
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        dialog.footer.buttons.rejected.emit()


def test_the_progress_label_in_chinese(qtbot, dialog, english):
    english.apply("zh")
    release, started = threading.Event(), threading.Event()
    with qtbot.waitSignal(dialog.footer.finished, timeout=10_000):
        dialog.footer.run(_held(release, started), Path("图册.pdf"))
        assert dialog.footer.job.label.text() == "正在写入 图册.pdf…"
        release.set()
