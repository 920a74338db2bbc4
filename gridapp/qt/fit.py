"""Fitting the window and its dialogs on an office laptop screen (1366×768, or
1920×1080 at 150%, which is 1280×720 logical pixels).

* :class:`ScrollDock`: a dock whose panel scrolls instead of forcing the
  window taller or wider than the screen (its ``widget()`` is still the panel);
* :func:`fit_dialog`: a dialog that would not fit gets its contents in a
  scroll area (the buttons stay visible below it) and is sized and placed on
  the screen; :class:`FittedDialog`, the base of every GridApp dialog, does it
  each time the dialog is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFrame,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


# Room the window manager takes around a window (title bar and borders).
FRAME = QSize(16, 40)
# Smallest screens the window must fit, in logical pixels: 1366×768 at 100 %,
# 1920×1080 at 150 % (1280×720), each less a 40-pixel taskbar.
SCREENS = {"1366x768": QSize(1366, 768 - 40), "1920x1080@150%": QSize(1280, 720 - 27)}


def budget(screen_size: QSize) -> QSize:
    """The largest client size a top-level window may ask for on *screen_size*."""
    return QSize(screen_size.width() - FRAME.width(), screen_size.height() - FRAME.height())


def smallest_budget() -> QSize:
    """The client size that fits every screen of :data:`SCREENS`."""
    sizes = [budget(s) for s in SCREENS.values()]
    return QSize(min(s.width() for s in sizes), min(s.height() for s in sizes))


def available(widget: QWidget) -> QSize:
    screen: QScreen | None = widget.screen() or QGuiApplication.primaryScreen()
    geo = screen.availableGeometry()
    return budget(geo.size())


class ScrollDock(QDockWidget):
    """A dock that shows its panel in a scroll area.

    The panel keeps its own minimum size inside the scroll area; the dock
    itself can shrink to a small minimum, so the window's docks never add up
    to more than the screen.  :meth:`widget` returns the panel, not the
    scroll area.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setMinimumSize(60, 40)
        super().setWidget(self._scroll)

    def setWidget(self, widget: QWidget | None) -> None:  # noqa: N802 - Qt's name
        old = self._scroll.takeWidget()
        if old is not None:
            # as QDockWidget does: the old panel stays the dock's child (owned
            # by Qt, not Python) until the caller deletes or reuses it
            old.hide()
            old.setParent(self)
        if widget is not None:
            self._scroll.setWidget(widget)

    def widget(self) -> QWidget | None:  # type: ignore[override]
        return self._scroll.widget()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 160), min(hint.height(), 120))


def _wrap_in_scroll(dialog: QDialog) -> None:
    layout = dialog.layout()
    if layout is None or dialog.property("gridappScrolled"):
        return
    buttons = [b for b in dialog.findChildren(QDialogButtonBox)
               if b.parentWidget() is dialog and layout.indexOf(b) >= 0]
    for box in buttons:
        layout.removeWidget(box)
    inner = QWidget()
    inner.setLayout(layout)  # moves the layout and its widgets into *inner*
    scroll = QScrollArea()
    scroll.setObjectName("fitScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(inner)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, 6)
    outer.addWidget(scroll, 1)
    for box in buttons:
        box.setParent(dialog)
        outer.addWidget(box)
        box.setContentsMargins(9, 0, 9, 0)
    dialog.setProperty("gridappScrolled", True)


def fit_dialog(dialog: QDialog, room: QSize | None = None) -> bool:
    """Make *dialog* fit *room* (default: its screen); True if it had to scroll."""
    room = room or available(dialog)
    hint = dialog.minimumSizeHint()
    scrolled = hint.width() > room.width() or hint.height() > room.height()
    if scrolled:
        _wrap_in_scroll(dialog)
    if dialog.minimumWidth() > room.width() or dialog.minimumHeight() > room.height():
        dialog.setMinimumSize(min(dialog.minimumWidth(), room.width()),
                              min(dialog.minimumHeight(), room.height()))
    size = dialog.size().boundedTo(room)
    if scrolled:
        size = size.expandedTo(dialog.sizeHint().boundedTo(room))
    if size != dialog.size():
        dialog.resize(size)
    if dialog.isWindow():
        screen = dialog.screen() or QGuiApplication.primaryScreen()
        geo = screen.availableGeometry()
        x = min(max(dialog.x(), geo.left()), geo.right() - size.width() - FRAME.width())
        y = min(max(dialog.y(), geo.top()), geo.bottom() - size.height() - FRAME.height())
        dialog.move(max(x, geo.left()), max(y, geo.top()))
    return scrolled


class FittedDialog(QDialog):
    """A dialog that fits its screen each time it is shown: every GridApp dialog
    derives from it.  (Before, one event filter on the whole application did this,
    and every event of every widget, tens of thousands while a workspace loads,
    went through Python to find the dialogs' Show events.)"""

    def showEvent(self, event) -> None:  # noqa: N802
        # windowType(), not windowFlags() & Popup: Dialog & Popup is the Window bit
        if self.isWindow() and self.windowType() != Qt.WindowType.Popup:
            fit_dialog(self)
        super().showEvent(event)
