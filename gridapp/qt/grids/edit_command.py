"""One saved grid edit on the undo stack.

Grid history is never overwritten, so undo does not delete rows: it saves the
grids as they were before the edit as new versions (closing the edit's
rows), and redo saves the edit's result again.  Both are recorded edits
(``undo``/``redo`` in the audit log), and "show grids as of date" still shows
every step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand


class GridEditCommand(QUndoCommand):
    """Swap between the rows an edit closed and the rows it opened.

    The edit itself has already been saved when the command is pushed (the
    save may need the user's confirmation, which a command cannot ask for),
    so the first :meth:`redo` does nothing.
    """

    def __init__(
        self, editor: Any, title: str, closed: list[int], opened: list[int]
    ) -> None:
        from gridapp.services.grids.history import grid_version

        super().__init__(title)
        self.editor = editor
        session = editor.session
        self.before = [grid_version(session, int(i)) for i in closed]
        self.after = [grid_version(session, int(i)) for i in opened]
        self.live = [int(i) for i in opened]
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self.live = self.editor.swap(self.live, self.after, "redo")

    def undo(self) -> None:
        self.live = self.editor.swap(self.live, self.before, "undo")
