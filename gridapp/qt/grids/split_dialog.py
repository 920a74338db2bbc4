"""Before a split is saved: the pieces with code, name, households and population (issue 21).

The figures come from :func:`gridapp.services.grids.tools.plan_split` (shared by
the buildings in each piece, or by area); every one can be changed here.
:meth:`SplitDialog.edits` gives what :func:`~gridapp.services.grids.tools.split_grid`
takes as ``pieces``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridAppError
from gridapp.qt.fit import FittedDialog
from gridapp.services.grids.edit import validate_code

_NONE = -1  # spin box value meaning "not known"
COLUMNS = ("code", "name", "households", "population", "area", "buildings")


def _spin(value: int | None) -> QSpinBox:
    box = QSpinBox()
    box.setRange(_NONE, 10_000_000)
    box.setSpecialValueText("—")
    box.setValue(_NONE if value is None else int(value))
    return box


class SplitDialog(FittedDialog):
    """The pieces of a planned split, editable; OK saves them."""

    def __init__(self, plan: Any, total: tuple[int | None, int | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("splitDialog")
        self.plan = plan
        self.setWindowTitle(self.tr("Split grid"))
        hh, pop = total
        basis = (self.tr("shared by the households of the buildings in each piece")
                 if plan.basis == "buildings"
                 else self.tr("shared by area (no building in the grid has households)"))
        self.summary = QLabel(self.tr(
            "Households {hh} and population {pop} of the grid are {basis}. "
            "Check and change before saving.").format(
                hh="—" if hh is None else hh, pop="—" if pop is None else pop, basis=basis))
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(plan.pieces), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Name"), self.tr("Households"), self.tr("Population"),
            self.tr("Area (m²)"), self.tr("Buildings")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.code_edits: list[QLineEdit] = []
        self.name_edits: list[QLineEdit] = []
        self.household_spins: list[QSpinBox] = []
        self.population_spins: list[QSpinBox] = []
        for r, piece in enumerate(plan.pieces):
            code, name = QLineEdit(piece.code), QLineEdit(piece.name)
            code.setMaxLength(15)
            code.textChanged.connect(self._validate)
            households, population = _spin(piece.households), _spin(piece.population)
            for spin in (households, population):
                spin.valueChanged.connect(self._validate)
            for c, w in enumerate((code, name, households, population)):
                self.table.setCellWidget(r, c, w)
            self.table.setItem(r, 4, QTableWidgetItem(f"{piece.area_m2:,.0f}"))
            self.table.setItem(r, 5, QTableWidgetItem(str(piece.buildings)))
            self.code_edits.append(code)
            self.name_edits.append(name)
            self.household_spins.append(households)
            self.population_spins.append(population)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._validate()

    def _validate(self, *_: Any) -> bool:
        community = self.plan.pieces[0].code[:12]
        codes = [e.text().strip() for e in self.code_edits]
        problem = ""
        try:
            for c in codes:
                validate_code(c, community)
        except GridAppError as exc:
            problem = exc.message
        if not problem and len(set(codes)) != len(codes):
            problem = self.tr("Two pieces have the same code.")
        self.message.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problem)
        return not problem

    def edits(self) -> list[dict[str, Any]]:
        """The pieces' values as entered (``split_grid(pieces=...)``)."""
        def value(spin: QSpinBox) -> int | None:
            return None if spin.value() == _NONE else spin.value()

        return [{"code": c.text().strip(), "name": n.text().strip() or None,
                 "households": value(h), "population": value(p)}
                for c, n, h, p in zip(self.code_edits, self.name_edits, self.household_spins,
                                      self.population_spins, strict=True)]
