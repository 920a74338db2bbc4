"""The form of a newly drawn building: name, kind, households, floors, address."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from gridapp.qt.fit import FittedDialog
from gridapp.services.basedata.building_edit import BuildingDraft

FIELDS = ("name", "kind", "households", "floors", "address")


class BuildingFormDialog(FittedDialog):
    """Asks for a drawn building's attributes; :meth:`draft` gives them as typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("buildingForm")
        self.setWindowTitle(self.tr("New building"))
        self.edits = {f: QLineEdit(self) for f in FIELDS}
        form = QFormLayout(self)
        labels = (self.tr("Name"), self.tr("Kind"), self.tr("Households"), self.tr("Floors"),
                  self.tr("Address"))
        for f, label in zip(FIELDS, labels, strict=True):
            self.edits[f].setObjectName(f"newBuilding_{f}")
            form.addRow(label, self.edits[f])
        self.edits["kind"].setPlaceholderText(self.tr("e.g. residential, shop, school"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def draft(self) -> BuildingDraft:
        return BuildingDraft(**{f: self.edits[f].text().strip() for f in FIELDS})
