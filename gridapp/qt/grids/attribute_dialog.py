"""The grid attribute form: code (validated as you type), name, kind, households, population, notes."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.fit import FittedDialog
from gridapp.services.grids.edit import validate_code

_NONE = -1  # spin box value meaning "not known"


def _spin(parent: QWidget) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(_NONE, 1_000_000)
    box.setSpecialValueText("—")
    return box


class GridAttributeDialog(FittedDialog):
    """Edit one grid's attributes; :meth:`changes` gives what differs from *row*.

    *row* is the grid row (``code``, ``name``, ``kind``, ``households``,
    ``population``, ``notes``); *community_code* (12 digits) restricts the
    code; *taken* are codes of other current grids.
    """

    def __init__(
        self,
        row: dict[str, Any],
        community_code: str | None = None,
        taken: set[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("gridAttributeDialog")
        self.row = row
        self.community_code = community_code
        self.taken = set(taken or ()) - {str(row.get("code"))}
        self.code = QLineEdit(str(row.get("code") or ""), self)
        self.code.setMaxLength(15)
        self.code_error = QLabel(self)
        self.code_error.setStyleSheet("color: #c00000")
        self.code_error.setWordWrap(True)
        self.name = QLineEdit(str(row.get("name") or ""), self)
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Basic grid"), "basic")
        self.kind.addItem(
            self.tr("Special grid (school, hospital, market, park…)"), "special"
        )
        self.kind.setCurrentIndex(
            max(self.kind.findData(row.get("kind") or "basic"), 0)
        )
        self.households = _spin(self)
        self.population = _spin(self)
        for box, key in (
            (self.households, "households"),
            (self.population, "population"),
        ):
            value = row.get(key)
            box.setValue(int(value) if value is not None and value == value else _NONE)
        self.notes = QPlainTextEdit(str(row.get("notes") or ""), self)
        self.notes.setMaximumHeight(80)
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code)
        form.addRow("", self.code_error)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Households"), self.households)
        form.addRow(self.tr("Population"), self.population)
        form.addRow(self.tr("Notes"), self.notes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Grid {code}").format(code=row.get("code") or ""))
        self.code.textChanged.connect(self._on_code_changed)
        self._on_code_changed(self.code.text())

    def code_problem(self, text: str) -> str:
        """Why *text* is not a usable code ("" when it is)."""
        try:
            code = validate_code(text.strip(), self.community_code)
        except GridAppError as exc:
            return exc.message
        if code in self.taken:
            return self.tr("Code {code} is already used by another grid.").format(
                code=code
            )
        return ""

    def _on_code_changed(self, text: str) -> None:
        problem = self.code_problem(text)
        self.code_error.setText(problem)
        self.code_error.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def values(self) -> dict[str, Any]:
        def num(box: QSpinBox) -> int | None:
            return None if box.value() == _NONE else box.value()

        return {
            "code": self.code.text().strip(),
            "name": self.name.text().strip(),
            "kind": self.kind.currentData(),
            "households": num(self.households),
            "population": num(self.population),
            "notes": self.notes.toPlainText(),
        }

    def changes(self) -> dict[str, Any]:
        """Only the fields that differ from the row (what a new version saves).

        A cleared number cannot be saved as "unknown" through the service, so
        it keeps its old value.
        """

        def norm(key: str, v: Any) -> Any:
            if v is None or (isinstance(v, float) and v != v):
                return None
            if key in ("households", "population"):
                return int(v)
            return str(v) or None

        return {
            k: v
            for k, v in self.values().items()
            if v is not None and norm(k, self.row.get(k)) != norm(k, v)
        }
