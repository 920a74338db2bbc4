"""The split dialog (issue 21): pieces with the next code and shared figures, editable."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from shapely.geometry import LineString

from gridapp.qt.grids.split_dialog import SplitDialog
from gridapp.services.grids import tools as grids_tools


def _vertical_cut(geom, out: float = 25.0) -> LineString:  # type: ignore[no-untyped-def]
    c = geom.centroid
    return LineString([(c.x, geom.bounds[1] - out), (c.x, geom.bounds[3] + out)])


def _busiest(editor) -> int:  # type: ignore[no-untyped-def]
    """Row of the grid with the most households (so both halves have some)."""
    store = editor.session.store
    hh = [store.get("grid", int(g))["households"] or 0 for g in editor.grids.ids]
    return max(range(len(hh)), key=hh.__getitem__)


def test_dialog_shows_the_plan_and_gives_the_edits(window, editor, qtbot):
    k = _busiest(editor)
    gid = int(editor.grids.ids[k])
    row = window.session.store.get("grid", gid)
    line = editor.grids.to_storage(_vertical_cut(editor.grids.metric[k]))
    plan = grids_tools.plan_split(window.session, gid, line)
    dialog = SplitDialog(plan, (row["households"], row["population"]))
    qtbot.addWidget(dialog)
    assert [e.text() for e in dialog.code_edits][0] == row["code"]
    new_code = dialog.code_edits[1].text()
    assert new_code[:12] == row["code"][:12] and new_code != row["code"]
    hh = [s.value() for s in dialog.household_spins]
    assert sum(hh) == row["households"] and min(hh) > 0
    assert str(row["households"]) in dialog.summary.text()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.isEnabled()
    dialog.code_edits[1].setText(row["code"])  # the same code twice
    assert not save.isEnabled() and dialog.message.text()
    dialog.code_edits[1].setText("123")  # not a grid code
    assert not save.isEnabled()
    dialog.code_edits[1].setText(new_code)
    dialog.name_edits[1].setText("东片")
    dialog.household_spins[1].setValue(11)
    assert save.isEnabled()
    assert dialog.edits()[1] == {"code": new_code, "name": "东片", "households": 11,
                                 "population": plan.pieces[1].population}


def test_split_in_the_window_saves_what_the_dialog_says(window, editor, qtbot):
    store = window.session.store
    k = _busiest(editor)
    gid = int(editor.grids.ids[k])

    def click_save_when_shown() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SplitDialog)
        dialog.name_edits[1].setText("西片")
        dialog.population_spins[1].setValue(123)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    editor.edit_split = editor._ask_split  # the real, modal dialog
    editor.confirm = lambda report: True
    QTimer.singleShot(0, click_save_when_shown)
    result = editor.split_with_line(_vertical_cut(editor.grids.metric[k]))
    assert result is not None
    new = store.get("grid", result.opened[1])
    assert (new["name"], new["population"]) == ("西片", 123)
    assert new["previous_id"] == gid


def test_cancelling_the_dialog_saves_nothing(window, editor):
    k = _busiest(editor)
    gid = int(editor.grids.ids[k])
    editor.edit_split = lambda plan: None
    assert editor.split_with_line(_vertical_cut(editor.grids.metric[k])) is None
    assert window.session.store.get("grid", gid)["valid_to"] is None
    assert editor.undo_stack.count() == 0
