"""What people expect of a desktop program (issue 21 "Polish people expect").

* Help menu: F1 lists every keyboard shortcut of the window (built from the
  actions themselves, so it is never out of date), and About.
* The window's layout (which panels are open, where, how wide) is remembered
  per role: a grid manager's and a dispatcher's on the same PC stay their own.
  Saved in the window's QSettings under ``window/state/<role>`` when the
  workspace closes, restored at login before the layers load (and before the
  role's panel rules hide what the role may not use).
* The status bar names the map tool in use, whichever way it was chosen
  (its action, a panel's button such as 绘制楼栋, Esc): it follows the
  canvas's ``toolChanged``; a tool without an action of its own names
  itself (``tool.title()``), and no tool action stays checked meanwhile.
* Esc on the map: a gesture in progress is cancelled (the canvas does that);
  with none in progress, Esc puts the pan tool back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from gridapp import __version__
from gridapp.qt.actions import ActionSpec, plain_title
from gridapp.qt.fit import FittedDialog


def shortcut_rows(window: Any) -> list[tuple[str, str]]:
    """(action title, its shortcuts) for every action with a shortcut, menu order kept."""
    rows = []
    for action_id in window.actions.ids():
        action = window.actions[action_id]
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            rows.append((plain_title(action.text()), "  /  ".join(keys)))
    return rows


class ShortcutsDialog(FittedDialog):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(QCoreApplication.translate("HelpDialogs", "Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        rows = shortcut_rows(window)
        rows.append((QCoreApplication.translate("HelpDialogs", "Cancel the gesture; again: back to Pan"),
                     "Esc"))
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([
            QCoreApplication.translate("HelpDialogs", "Command"),
            QCoreApplication.translate("HelpDialogs", "Keys")])
        for r, (title, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(title))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        note = QLabel(QCoreApplication.translate(
            "HelpDialogs", "The user guide is README.md and the docs folder beside the program."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 560)
        from gridapp.qt.fit import fit_dialog

        fit_dialog(self)


class PolishFeature(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.role: str | None = None
        self._applied = False  # a role's layout was chosen in this window
        window.actions.add_all([
            ActionSpec("gridapp.help.shortcuts",
                       QT_TRANSLATE_NOOP("Actions", "&Keyboard shortcuts"),
                       self.show_shortcuts, QKeySequence.StandardKey.HelpContents),
            ActionSpec("gridapp.help.about", QT_TRANSLATE_NOOP("Actions", "&About GridApp"),
                       self.show_about),
        ])
        self.menu = QMenu(window)
        self.menu.setObjectName("menu_help")
        window.actions.fill_menu(self.menu, ["gridapp.help.shortcuts", "gridapp.help.about"])
        window.menuBar().addMenu(self.menu)
        window.canvas.toolChanged.connect(self._on_tool_changed)
        # restored at login, before the layers load: with the panels still empty
        # restoreState is cheap (after loading it blocked the window 1.2-1.7 s)
        window.loggedIn.connect(self._restore_role_layout)
        window.workspaceClosed.connect(self._save_role_layout)
        # Esc on the map (a shortcut of the canvas only, so dialogs keep their Esc)
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window.canvas)
        self.escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.escape.activated.connect(self.escape_on_map)
        self.retranslate()

    def retranslate(self) -> None:
        self.menu.setTitle(QCoreApplication.translate("HelpDialogs", "&Help"))
        self.window.status.set_tool(self.tool_title(self.window.canvas.tool.name))

    # ------------------------------------------------------------ the tool's name
    def tool_title(self, name: str) -> str:
        """The map tool *name* as the user knows it: its action's title, else its own."""
        action = f"gridapp.tool.{name}"
        if action in self.window.actions:
            return str(self.window.actions[action].text())
        title = getattr(self.window.canvas.tools.get(name), "title", None)
        return str(title() if callable(title) else title or name)

    def _on_tool_changed(self, name: str) -> None:
        actions = self.window.actions
        action = f"gridapp.tool.{name}"
        if action in actions:
            if not actions[action].isChecked():
                actions[action].setChecked(True)  # e.g. Esc back to Pan
        else:  # no tool action is the tool in use now
            tools = actions.group("tools")
            checked = tools.checkedAction() if tools is not None else None
            if checked is not None:  # (Optional: the group lets go of it as well)
                policy = tools.exclusionPolicy()
                tools.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
                checked.setChecked(False)
                tools.setExclusionPolicy(policy)
        self.window.status.set_tool(self.tool_title(name))

    # ------------------------------------------------------------ help
    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information,
                          QCoreApplication.translate("HelpDialogs", "About GridApp"),
                          QCoreApplication.translate(
                              "HelpDialogs", "GridApp {version}: grids, patrols, cases and joint "
                              "enforcement for street offices.").format(version=__version__),
                          QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # ------------------------------------------------------------ layout per role
    def _key(self) -> str | None:
        return f"window/state/{self.role}" if self.role else None

    def _restore_role_layout(self) -> None:
        """The role's layout, unless the window shows it already.

        ``restoreState`` lays out and repaints every dock, ~33 ms of the GUI
        thread even for the state the window has (issue 21: a block of the
        district load's worst gaps), so it is skipped when there is nothing
        to change: the first login into a window still laid out as built
        (no layout restored from the settings, none applied since) for a
        role without a saved layout, or a saved layout equal to the window's.
        """
        session = self.window.session
        self.role = None if session is None else str(session.user.role.value)
        key = self._key()
        if key is None:
            return
        state = self.window.settings.value(key)
        first = not self._applied
        self._applied = True
        if state is None:
            if first and not getattr(self.window, "layout_restored", True):
                return  # the window is as built: the role's first layout already
            state = self.window.default_state
        if bytes(self.window.saveState()) == bytes(state):  # ~0.1 ms
            return
        self.window.restoreState(state)

    def _save_role_layout(self) -> None:
        key = self._key()
        if key:
            self.window.settings.setValue(key, self.window.saveState())
        self.role = None

    # ------------------------------------------------------------ Esc on the map
    def escape_on_map(self) -> None:
        """Cancel the gesture in progress; with none, go back to the pan tool."""
        canvas = self.window.canvas
        if canvas.tool.busy:
            canvas.tool.cancel()
            canvas.update()
        elif canvas.tool.name != "pan":
            self.window.set_tool("pan")


def install(window: Any) -> PolishFeature:
    return PolishFeature(window)
